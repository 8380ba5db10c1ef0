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
  if [ -n "${peers_pid:-}" ]; then pkill -P "$peers_pid" 2>/dev/null || true; kill "$peers_pid" 2>/dev/null || true; fi
  bash tools/interop/java/greeter.sh stop || true
  bash tools/services/etcd.sh stop || true
  bash tools/services/zookeeper.sh stop || true
}
trap stop_all EXIT

step "set-up: pnpm, packages, build"
bash tools/setup.sh

# The interop peers (Maven's Java Dubbo 3.3 artifacts, the Go modules: minutes on a fresh machine, mostly fetching)
# build in the background while the JS checks run; the hessian2 golden and Caucho vectors are regenerated there too.
peers_log=$(mktemp)
golden_dir=$(mktemp -d)
caucho_dir=$(mktemp -d)
(
  set -e
  started_peers=$SECONDS
  bash tools/interop/java/build.sh
  bash tools/interop/prepare.sh # the dubbo-go peers too, so no test compiles inside its timeout
  echo "interop peers built in $((SECONDS - started_peers)) s"
  if [ -f tools/interop/java/hessian-golden.sh ]; then bash tools/interop/java/hessian-golden.sh generate "$golden_dir"; fi
  bash tools/interop/java/caucho-vectors.sh generate "$caucho_dir"
) >"$peers_log" 2>&1 &
peers_pid=$!
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

step "Java and Go interop peers (org.apache.dubbo 3.3, hessian-lite, dubbo-go): waiting for the background build"
peers_status=0
wait "$peers_pid" || peers_status=$?
cat "$peers_log"
rm -f "$peers_log"
if [ "$peers_status" != 0 ]; then echo "building the interop peers failed (exit $peers_status)" >&2; exit 1; fi
DUBBO_TS_JAVA_GREETER=$(bash tools/interop/java/greeter.sh start "zookeeper://$DUBBO_TS_ZOOKEEPER")
export DUBBO_TS_JAVA_GREETER
echo "Java GreeterProvider $DUBBO_TS_JAVA_GREETER"

if [ -f tools/interop/java/hessian-golden.sh ]; then
  step "hessian2 golden vectors: regenerated with hessian-lite (in the background build), compared with the committed ones"
  diff -r "$golden_dir" packages/hessian2/test/golden
  echo "golden vectors identical: $(ls "$golden_dir" | wc -l) files"
fi
rm -rf "$golden_dir"
step "Caucho Hessian vectors (BigDecimal as raw fields): regenerated with com.caucho:hessian (in the background build), compared"
diff -r "$caucho_dir" packages/hessian2/test/caucho
echo "Caucho vectors identical: $(ls "$caucho_dir" | wc -l) files"
rm -rf "$caucho_dir"

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
