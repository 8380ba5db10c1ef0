#!/usr/bin/env bash
# etcd.sh install|start|stop: a single-node etcd (Debian package `etcd-server`) on 127.0.0.1, on free client and peer
# ports, data in a temp dir. `start` prints the client address (also written to .services/etcd.addr).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  install) apt_install etcd-server ;;
  start)
    "$0" install
    stop_pid etcd
    port=${ETCD_PORT:-$(free_port)}
    peer=$(free_port)
    data=$(mktemp -d "${TMPDIR:-/tmp}/dubbo-ts-etcd.XXXXXX")
    nohup etcd --name dubbo-ts --data-dir "$data/data" \
      --listen-client-urls "http://127.0.0.1:$port" --advertise-client-urls "http://127.0.0.1:$port" \
      --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
      --initial-cluster "dubbo-ts=http://127.0.0.1:$peer" > "$data/etcd.log" 2>&1 &
    echo $! > "$SERVICES_DIR/etcd.pid"
    echo "$data" > "$SERVICES_DIR/etcd.dir"
    wait_for "etcd on 127.0.0.1:$port" 60 curl -sf "http://127.0.0.1:$port/health" || { tail -20 "$data/etcd.log" >&2; exit 1; }
    echo "127.0.0.1:$port" > "$SERVICES_DIR/etcd.addr"
    echo "127.0.0.1:$port"
    ;;
  stop)
    stop_pid etcd
    if [ -f "$SERVICES_DIR/etcd.dir" ]; then rm -rf "$(cat "$SERVICES_DIR/etcd.dir")"; rm -f "$SERVICES_DIR/etcd.dir"; fi
    rm -f "$SERVICES_DIR/etcd.addr"
    ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
