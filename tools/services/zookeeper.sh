#!/usr/bin/env bash
# zookeeper.sh install|start|stop: a standalone ZooKeeper (Debian package `zookeeper`) on 127.0.0.1, on a free port,
# data in a temp dir. `start` prints the address (also written to .services/zookeeper.addr).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

zk_ok() { # ZooKeeper answers "imok" to the four-letter word ruok
  # Bounded: a ZooKeeper that is starting can accept a connection and never serve it; wait_for then asks again.
  [ "$(node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1",()=>s.end("ruok"));s.setTimeout(2000,()=>s.destroy());let d="";s.on("data",b=>d+=b);s.on("close",()=>console.log(d));s.on("error",()=>console.log(""))' "$1")" = imok ]
}

case "${1:-}" in
  install) apt_install zookeeper default-jre-headless ;;
  start)
    "$0" install
    stop_pid zookeeper
    port=${ZOOKEEPER_PORT:-$(free_port)}
    data=$(mktemp -d "${TMPDIR:-/tmp}/dubbo-ts-zk.XXXXXX")
    conf="$data/conf"; mkdir -p "$conf"
    cat > "$conf/zoo.cfg" <<CFG
tickTime=2000
dataDir=$data/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=*
CFG
    printf 'log4j.rootLogger=WARN, F\nlog4j.appender.F=org.apache.log4j.FileAppender\nlog4j.appender.F.File=%s/zookeeper.log\nlog4j.appender.F.layout=org.apache.log4j.PatternLayout\nlog4j.appender.F.layout.ConversionPattern=%%d %%p %%c: %%m%%n\n' "$data" > "$conf/log4j.properties"
    nohup java -Xmx256m -Dzookeeper.4lw.commands.whitelist='*' -Dlog4j.configuration="file:$conf/log4j.properties" \
      -cp "$conf:/usr/share/java/zookeeper.jar:/usr/share/java/*" \
      org.apache.zookeeper.server.quorum.QuorumPeerMain "$conf/zoo.cfg" > "$data/stdout.log" 2>&1 &
    echo $! > "$SERVICES_DIR/zookeeper.pid"
    echo "$data" > "$SERVICES_DIR/zookeeper.dir"
    wait_for "ZooKeeper on 127.0.0.1:$port" 60 zk_ok "$port" || { tail -20 "$data/stdout.log" >&2; exit 1; }
    echo "127.0.0.1:$port" > "$SERVICES_DIR/zookeeper.addr"
    echo "127.0.0.1:$port"
    ;;
  stop)
    stop_pid zookeeper
    if [ -f "$SERVICES_DIR/zookeeper.dir" ]; then rm -rf "$(cat "$SERVICES_DIR/zookeeper.dir")"; rm -f "$SERVICES_DIR/zookeeper.dir"; fi
    rm -f "$SERVICES_DIR/zookeeper.addr"
    ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
