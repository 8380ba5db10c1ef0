#!/usr/bin/env bash
# registry-consumer.sh REGISTRY_URL MODE GROUP NAME: a Java Dubbo 3.3 GreeterService consumer that discovers its
# provider through REGISTRY_URL in migration MODE (DEFAULT, FORCE_INTERFACE, FORCE_APPLICATION, APPLICATION_FIRST)
# and prints "RESULT <greeting>" (org.apache.dubbo.interop.registry.RegistryConsumer).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/build.sh" >&2
exec java -Xmx256m -Djava.net.preferIPv4Stack=true -Ddubbo.interop.loopback=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.apache.dubbo.interop.registry.RegistryConsumer "$@"
