#!/usr/bin/env bash
# hessian-lite golden vectors for @dubbo-ts/hessian2.
#   hessian-golden.sh generate <outdir>   writes <name>.bin per vector + manifest.json (deterministic: CI diffs it)
#   hessian-golden.sh verify <dir>        decodes the TS encodings in <dir> with hessian-lite; exits non-zero on
#                                         any mismatch, printing per-vector PASS/FAIL lines and the counts
# Works from any cwd. Builds the Maven project only if target/classpath.txt is missing.
set -euo pipefail
if [ $# -ne 2 ] || { [ "$1" != generate ] && [ "$1" != verify ]; }; then
  echo "usage: $0 generate|verify <dir>" >&2
  exit 2
fi
mode=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

if [ ! -f target/classpath.txt ]; then
  mvn -q -B -o package -DskipTests >&2 || mvn -q -B package -DskipTests >&2 || true
fi
if [ -f target/classpath.txt ]; then
  cp="target/classes:$(cat target/classpath.txt)"
else
  # The interop project could not be built (e.g. offline and a dependency missing): fall back to the hessian-lite
  # jar that Dubbo 3.3 brings, straight from the local Maven repository.
  jar=$(find "${HOME}/.m2/repository/org/apache/dubbo/hessian-lite" -name 'hessian-lite-*.jar' 2>/dev/null | sort -V | tail -1)
  if [ -z "$jar" ]; then
    echo "hessian-golden: cannot build tools/interop/java and no hessian-lite jar in ~/.m2" >&2
    exit 3
  fi
  echo "hessian-golden: interop project not built, using $jar" >&2
  cp="$jar"
fi

# The golden classes are compiled on their own so that this tool works even before the rest of the project compiles.
out=target/hessian-golden
src=src/main/java/org/apache/dubbo/interop/hessian
if [ ! -f "$out/org/apache/dubbo/interop/hessian/Golden.class" ] || [ -n "$(find "$src" -newer "$out/org/apache/dubbo/interop/hessian/Golden.class" -name '*.java')" ]; then
  # compile aside, then swap in, so a concurrent run never sees a half-built directory
  mkdir -p target
  tmp=$(mktemp -d target/hessian-golden.XXXXXX)
  javac -nowarn -encoding UTF-8 -d "$tmp" -cp "$cp" "$src"/*.java
  rm -rf "$out"
  mv "$tmp" "$out" 2>/dev/null || rm -rf "$tmp"
fi

exec java -Duser.timezone=UTC -Duser.language=en -Duser.country=US -Dfile.encoding=UTF-8 \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED \
  --add-opens java.base/java.math=ALL-UNNAMED --add-opens java.base/java.time=ALL-UNNAMED \
  --add-opens java.base/java.util.concurrent=ALL-UNNAMED --add-opens java.base/java.io=ALL-UNNAMED \
  --add-opens java.base/java.net=ALL-UNNAMED --add-opens java.base/java.lang.reflect=ALL-UNNAMED \
  --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens java.sql/java.sql=ALL-UNNAMED \
  --add-opens java.base/java.nio.file=ALL-UNNAMED --add-opens java.base/java.util.zip=ALL-UNNAMED \
  -cp "$out:$cp" org.apache.dubbo.interop.hessian.Golden "$mode" "$dir"
