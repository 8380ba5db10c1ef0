#!/usr/bin/env bash
# routing-consumer.sh REGISTRY_URL GROUP APPLICATION: a Java 3.3 GreeterService consumer under Java's governance rules
# (org.apache.dubbo.interop.registry.RoutingConsumer); "CALLS n [tag]" on stdin -> "SEEN answer=count ...".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/build.sh" >&2
exec java -Xmx256m -Djava.net.preferIPv4Stack=true -Dorg.slf4j.simpleLogger.defaultLogLevel=${JAVA_LOG_LEVEL:-warn} \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.apache.dubbo.interop.registry.RoutingConsumer "$@"
