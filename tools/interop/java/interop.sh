#!/usr/bin/env bash
# interop.sh provider|consumer|bench|url-golden|balance-golden|balance-consumer ARGS...: runs the Java Dubbo 3.3 interop peers of package
# org.apache.dubbo.interop.service (see docs/interop-peers.md).
#   provider [PORT] [REGISTRY] [--heartbeat MS] [--threads N] [--group G] [--params k=v,..]   prints "READY <port>", runs until killed
#   consumer dubbo://127.0.0.1:PORT [--only go] [--filter REGEX]   PASS/FAIL lines, SUMMARY, exit 1 on failure
#   bench dubbo://127.0.0.1:PORT [--inflight N] [--seconds T] [--warmup W] [--calls a,b]   BENCH lines
#   flow dubbo://127.0.0.1:PORT [--calls N] [--retries R]   CALL lines (what Java saw per call), FLOW ok=N err=M
#   url-golden   prints golden vectors of Dubbo's URL model (packages/dubbo/test/common/url-golden.json)
#   balance-golden   prints, as JSON, what Dubbo's own RoundRobinLoadBalance, getWeight/calculateWarmupWeight and
#                    ConsistentHashLoadBalance choose (packages/dubbo/test/cluster/java-balance-golden.test.ts)
#   balance-consumer URL[;URL...] [--keys N]   a consistenthash reference: one JSON line of picks per stdin line
# Builds with maven first when target/classpath.txt is missing or older than the sources (build.sh). JAVA_OPTS adds JVM options.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  provider) main=org.apache.dubbo.interop.service.InteropProvider ;;
  consumer) main=org.apache.dubbo.interop.service.InteropConsumer ;;
  bench) main=org.apache.dubbo.interop.service.BenchConsumer ;;
  flow) main=org.apache.dubbo.interop.service.FlowConsumer ;;
  url-golden) main=org.apache.dubbo.interop.service.UrlGolden ;;
  balance-golden) main=org.apache.dubbo.interop.balance.BalanceGolden ;;
  balance-consumer) main=org.apache.dubbo.interop.balance.BalanceConsumer ;;
  *) echo "usage: $0 provider|consumer|bench|flow|url-golden|balance-golden|balance-consumer ARGS..." >&2; exit 2 ;;
esac
if [ -f "$here/build.sh" ]; then
  bash "$here/build.sh" >&2 # rebuilds only when sources are newer than target/classpath.txt
elif [ ! -f "$here/target/classpath.txt" ]; then
  (cd "$here" && mvn -q -B package -DskipTests >&2)
fi
# Registered provider URLs get host [::ffff:127.0.0.1]: Dubbo refuses 127.0.0.1 as DUBBO_IP_TO_REGISTRY and would
# otherwise register the machine's own address; the IPv4-mapped literal keeps consumers on loopback.
export DUBBO_IP_TO_REGISTRY=${DUBBO_IP_TO_REGISTRY:-::ffff:127.0.0.1}
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx512m} -Djava.net.preferIPv4Stack=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" "$main" "$@"
