#!/usr/bin/env bash
# greeter.sh start [REGISTRY] | stop: runs the Java GreeterProvider (org.apache.dubbo 3.3, dubbo protocol, hessian2) on a
# free loopback port, registered in REGISTRY (e.g. zookeeper://127.0.0.1:2181; default: the ZooKeeper started by
# tools/services/zookeeper.sh). `start` waits for READY and prints the provider's address.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../services/common.sh"

# ready LOG PORT: the provider printed READY, or died (then fail at once instead of waiting out the timeout).
ready() {
  grep -q "^READY $2" "$1" && return 0
  kill -0 "$(cat "$SERVICES_DIR/java-greeter.pid")" 2>/dev/null || { echo "GreeterProvider exited" >&2; exit 1; }
  return 1
}

case "${1:-}" in
  start)
    registry=${2:-zookeeper://$(cat "$SERVICES_DIR/zookeeper.addr")}
    bash "$here/build.sh"
    stop_pid java-greeter
    port=$(free_port)
    log="$SERVICES_DIR/java-greeter.log"
    nohup java -Xmx256m -Djava.net.preferIPv4Stack=true -Ddubbo.interop.loopback=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
      org.apache.dubbo.interop.GreeterProvider "$port" "$registry" > "$log" 2>&1 &
    echo $! > "$SERVICES_DIR/java-greeter.pid"
    wait_for "Java GreeterProvider" 120 ready "$log" "$port" || { grep -m5 -A5 Exception "$log" >&2; exit 1; }
    echo "127.0.0.1:$port" > "$SERVICES_DIR/java-greeter.addr"
    echo "127.0.0.1:$port"
    ;;
  stop) stop_pid java-greeter; rm -f "$SERVICES_DIR/java-greeter.addr" ;;
  *) echo "usage: $0 start [REGISTRY] | stop" >&2; exit 2 ;;
esac
