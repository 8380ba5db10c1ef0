#!/usr/bin/env bash
# interop.sh provider|consumer ARGS...: runs the dubbo-go (v3, dubbo protocol, hessian2) interop peers
# (see docs/interop-peers.md).
#   provider [PORT] [REGISTRY [GROUP]]     prints "READY <port>", runs until killed; with REGISTRY
#                                          (zookeeper://host:port) registers InteropService at interface level
#   consumer dubbo://127.0.0.1:PORT [RE]   PASS/FAIL lines, SUMMARY, exit 1 on failure
# Builds bin/provider and bin/consumer first when missing or older than the sources (dubbo-go compiles slowly).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  provider | consumer) ;;
  *) echo "usage: $0 provider|consumer ARGS..." >&2; exit 2 ;;
esac
bin="$here/bin/$cmd"
if [ ! -x "$bin" ] || [ -n "$(find "$here/cmd" "$here/service" "$here/go.mod" "$here/go.sum" -newer "$bin" -type f 2>/dev/null | head -1)" ]; then
  (cd "$here" && CGO_ENABLED=0 go build -o "$bin" "./cmd/$cmd")
fi
exec "$bin" "$@"
