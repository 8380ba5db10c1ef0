#!/usr/bin/env bash
# Builds the Java interop project (real org.apache.dubbo 3.3 + hessian-lite from Maven Central into the default local
# repository ~/.m2, so later runs are offline and fast). Skips the build when classes are newer than the sources.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  source ../../services/common.sh
  apt_install maven default-jdk-headless
fi
stamp=target/classpath.txt
if [ -f "$stamp" ] && [ -z "$(find src pom.xml -newer "$stamp" -type f 2>/dev/null | head -1)" ]; then exit 0; fi
mvn -q -B package -DskipTests
touch "$stamp"
