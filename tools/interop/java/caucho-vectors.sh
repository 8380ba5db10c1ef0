#!/usr/bin/env bash
# Test vectors written by stock Caucho Hessian (com.caucho:hessian) for @dubbo-ts/hessian2: values Caucho writes in
# forms hessian-lite never does (a java.math.BigDecimal as its raw fields intVal/scale/...).
#   caucho-vectors.sh generate <outdir>   writes <name>.bin per vector + manifest.json (deterministic: CI diffs it
#                                         against packages/hessian2/test/caucho)
# Works from any cwd. Needs only the Caucho jar: from the built project's classpath, else from ~/.m2 (fetched once).
set -euo pipefail
if [ $# -ne 2 ] || [ "$1" != generate ]; then
  echo "usage: $0 generate <dir>" >&2
  exit 2
fi
mkdir -p "$2"
dir=$(cd "$2" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

version=4.0.38
jar="${HOME}/.m2/repository/com/caucho/hessian/$version/hessian-$version.jar"
if [ ! -f "$jar" ]; then
  mvn -q -B dependency:get -Dartifact="com.caucho:hessian:$version" >&2
fi

out=target/caucho-vectors
src=src/main/java/org/apache/dubbo/interop/caucho
cls="$out/org/apache/dubbo/interop/caucho/CauchoVectors.class"
if [ ! -f "$cls" ] || [ -n "$(find "$src" -newer "$cls" -name '*.java')" ]; then
  mkdir -p target
  tmp=$(mktemp -d target/caucho-vectors.XXXXXX)
  javac -nowarn -encoding UTF-8 -d "$tmp" -cp "$jar" "$src"/*.java
  rm -rf "$out"
  mv "$tmp" "$out" 2>/dev/null || rm -rf "$tmp"
fi

exec java -Duser.timezone=UTC -Duser.language=en -Duser.country=US -Dfile.encoding=UTF-8 \
  --add-opens java.base/java.math=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$out:$jar" org.apache.dubbo.interop.caucho.CauchoVectors generate "$dir"
