# Shared by the service scripts. State (pids, ports, data dirs, logs) lives in $DUBBO_TS_SERVICES_DIR,
# default <repo>/.services, so a start and its stop agree without hard-coded ports.
set -euo pipefail
SERVICES_DIR=${DUBBO_TS_SERVICES_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.services}
mkdir -p "$SERVICES_DIR"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_install PKG... : installs Debian packages only when missing (apt-get update first).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}" >&2
  # tools/test.sh builds the interop peers in the background: wait for another install's lock instead of failing.
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# free_port: a TCP port that is free on 127.0.0.1 right now.
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_for DESC TIMEOUT_S CMD...: retries CMD every 0.2 s until it succeeds, or fails after TIMEOUT_S.
wait_for() {
  local desc=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "$desc did not come up within ${timeout}s" >&2; return 1; fi
    sleep 0.2
  done
}

# stop_pid NAME: stops the process whose pid is in $SERVICES_DIR/NAME.pid (TERM, then KILL after 10 s).
stop_pid() {
  local f="$SERVICES_DIR/$1.pid"
  [ -f "$f" ] || return 0
  local pid; pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
