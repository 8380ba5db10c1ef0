#!/usr/bin/env bash
# Builds every interop peer ahead of the tests, so no test has to compile inside its timeout:
#   - the Java project (real org.apache.dubbo 3.3 + hessian-lite; tools/interop/java/build.sh, maven, cached in ~/.m2)
#   - the dubbo-go provider and consumer (tools/interop/go/bin/{provider,consumer}), downloading the Go modules
#     pinned by go.mod/go.sum through the Go module proxy on a fresh machine.
# Each build is skipped when its output is newer than its sources. Safe to run repeatedly.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

echo "interop: Java peers (maven)" >&2
bash "$here/java/build.sh"

# The Go toolchain: PATH first, then the usual install locations (the official tarball lives in /usr/local/go).
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin "$HOME/go/bin" "$HOME/.local/go/bin" /usr/lib/go/bin; do
    if [ -x "$d/go" ]; then
      export PATH="$d:$PATH"
      break
    fi
  done
fi
if ! command -v go >/dev/null 2>&1; then
  echo "interop: no Go toolchain found (PATH, /usr/local/go/bin); install Go >= $(sed -n 's/^go //p' "$here/go/go.mod")" >&2
  exit 1
fi

cd "$here/go"
export GOPROXY=${GOPROXY:-https://proxy.golang.org,direct}
export CGO_ENABLED=0
# no VCS stamping: the checkout may belong to another user or be a shallow CI clone
export GOFLAGS=${GOFLAGS:--buildvcs=false}
stale() {
  local bin=$1
  [ ! -x "$bin" ] || [ -n "$(find cmd service go.mod go.sum -newer "$bin" -type f 2>/dev/null | head -1)" ]
}
if stale bin/provider || stale bin/consumer; then
  echo "interop: Go modules ($(go version | cut -d' ' -f3), GOPROXY=$GOPROXY)" >&2
  go mod download
  for cmd in provider consumer; do
    echo "interop: building tools/interop/go/bin/$cmd" >&2
    go build -o "bin/$cmd" "./cmd/$cmd"
  done
fi
echo "interop: peers ready (java: $here/java/target, go: $here/go/bin)" >&2
