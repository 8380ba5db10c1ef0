#!/usr/bin/env bash
# config-tool.sh publish|get|remove CONFIG_CENTER_URL KEY [GROUP]   (publish reads the value from stdin)
# Java Dubbo 3.3's own config center (org.apache.dubbo.interop.config.ConfigTool over ZookeeperDynamicConfiguration).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bash "$here/build.sh" >&2
exec java -Xmx256m -Djava.net.preferIPv4Stack=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" org.apache.dubbo.interop.config.ConfigTool "$@"
