#!/usr/bin/env bash
# registry-tool.sh lookup REGISTRY_URL INTERFACE [GROUP] [VERSION] | register REGISTRY_URL URL...
# Java Dubbo 3.3's own registry code (org.apache.dubbo.interop.registry.RegistryTool): lookup prints what Java parses
# from the registry; register writes URLs the way Java does and keeps them until stdin closes.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/build.sh" >&2
exec java -Xmx256m -Djava.net.preferIPv4Stack=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.apache.dubbo.interop.registry.RegistryTool "$@"
