#!/usr/bin/env bash
# The README's test command: every check and every test, with the real servers they need.
# On a fresh clone it installs what is missing (pnpm, packages, ZooKeeper, etcd, a JDK and Maven with the
# Java Dubbo artifacts, Go modules), starts ZooKeeper, etcd and the Java peers on loopback, runs everything,
# and stops the servers on exit whatever happened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
started=$SECONDS
step() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

export DUBBO_TS_SERVICES_DIR=${DUBBO_TS_SERVICES_DIR:-$root/.services}
stop_all() {
  bash tools/interop/java/greeter.sh stop || true
  bash tools/services/etcd.sh stop || true
  bash tools/services/zookeeper.sh stop || true
}
trap stop_all EXIT

step "set-up: pnpm, packages, build"
bash tools/setup.sh
step "typecheck";  pnpm -s typecheck
step "lint";       pnpm -s lint
step "cycles";     pnpm -s cycles
step "pack and import each package from outside the workspace"
bash tools/pack-check.sh

step "services: ZooKeeper, etcd"
DUBBO_TS_ZOOKEEPER=$(bash tools/services/zookeeper.sh start)
DUBBO_TS_ETCD=$(bash tools/services/etcd.sh start)
export DUBBO_TS_ZOOKEEPER DUBBO_TS_ETCD
echo "ZooKeeper $DUBBO_TS_ZOOKEEPER, etcd $DUBBO_TS_ETCD"

step "Java interop peers (org.apache.dubbo 3.3, hessian-lite)"
bash tools/interop/java/build.sh
bash tools/interop/prepare.sh # the dubbo-go peers too, so no test compiles inside its timeout
DUBBO_TS_JAVA_GREETER=$(bash tools/interop/java/greeter.sh start "zookeeper://$DUBBO_TS_ZOOKEEPER")
export DUBBO_TS_JAVA_GREETER
echo "Java GreeterProvider $DUBBO_TS_JAVA_GREETER"

if [ -f tools/interop/java/hessian-golden.sh ]; then
  step "hessian2 golden vectors: regenerate with hessian-lite and compare with the committed ones"
  golden=$(mktemp -d)
  bash tools/interop/java/hessian-golden.sh generate "$golden"
  diff -r "$golden" packages/hessian2/test/golden
  echo "golden vectors identical: $(ls "$golden" | wc -l) files"
  rm -rf "$golden"
fi
step "Caucho Hessian vectors (BigDecimal as raw fields): regenerate with com.caucho:hessian and compare"
caucho=$(mktemp -d)
bash tools/interop/java/caucho-vectors.sh generate "$caucho"
diff -r "$caucho" packages/hessian2/test/caucho
echo "Caucho vectors identical: $(ls "$caucho" | wc -l) files"
rm -rf "$caucho"

step "tests"
report=$(mktemp)
set +e
pnpm -s vitest run --reporter=default --reporter=json --outputFile.json="$report"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
  if (r.numPendingTests || r.numTodoTests) { console.log(`skipped or todo tests are not allowed: ${r.numPendingTests + r.numTodoTests}`); process.exit(1); }
  if (r.numTotalTests === 0) process.exit(1);
' "$report" || status=1
rm -f "$report"
step "done, exit $status"
exit $status
