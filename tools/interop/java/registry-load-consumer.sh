#!/usr/bin/env bash
# registry-load-consumer.sh REGISTRY_URL GROUP INFLIGHT STOP_FILE [MODE]: a Java Dubbo 3.3 consumer of GreeterService found
# through REGISTRY_URL that keeps INFLIGHT calls in flight (failover, retries 2) until STOP_FILE exists, then prints
# "LOAD calls=N errors=M" (org.apache.dubbo.interop.registry.RegistryLoadConsumer).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/build.sh" >&2
export DUBBO_IP_TO_REGISTRY=${DUBBO_IP_TO_REGISTRY:-::ffff:127.0.0.1}
exec java -Xmx256m -Djava.net.preferIPv4Stack=true -Ddubbo.interop.loopback=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.apache.dubbo.interop.registry.RegistryLoadConsumer "$@"
