#!/usr/bin/env bash
# registry-consumer.sh call REGISTRY_URL MIGRATION GROUP NAME: a Java Dubbo 3.3 GreeterService consumer that discovers
#   its provider through REGISTRY_URL in MIGRATION mode (DEFAULT, FORCE_INTERFACE, FORCE_APPLICATION,
#   APPLICATION_FIRST) and prints "RESULT <greeting>";
# registry-consumer.sh load REGISTRY_URL MIGRATION GROUP INFLIGHT STOP_FILE: keeps INFLIGHT calls in flight (failover,
#   retries 2) until STOP_FILE exists, then prints "LOAD calls=N errors=M"
# (org.apache.dubbo.interop.registry.RegistryConsumer).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/build.sh" >&2
if [[ "${1:-}" == load ]]; then export DUBBO_IP_TO_REGISTRY=${DUBBO_IP_TO_REGISTRY:-::ffff:127.0.0.1}; fi
exec java -Xmx256m -Djava.net.preferIPv4Stack=true -Ddubbo.interop.loopback=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.apache.dubbo.interop.registry.RegistryConsumer "$@"
