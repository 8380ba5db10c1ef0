// `pnpm bench routing [--quick]`: RPC throughput of a reference over 100 providers with a condition rule and a tag
// rule active, against the same reference shape without rules, in the same run (issue #16's performance case). The
// provider runs in a child process (tools/bench/rpc/provider.mjs) on 100 ports (tag rules tag addresses); both cases
// use the same 100 connections (one client) and differ only by the routers.
// Rules: a v3.0 tag rule (match `name` p0..p9 -> gray; untagged calls skip them) and a condition rule
// (`method = echo => name != p50`): 89 providers left per call. Rounds alternate; the ratio is the median of the
// rounds' ratios (tools/bench/rounds.mjs).
// Also prints the router chain's own cost per call (in-process, no I/O).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ConditionRouter,
  DubboClient,
  DubboUrl,
  ProviderInvoker,
  RouterChain,
  RpcInvocation,
  RpcResult,
  TagRouter,
} from '@dubbo-ts/dubbo';
import { getLogger, setLogger, silentLogger } from '@dubbo-ts/gost';
import { printResult, quick } from '../result.mjs';
import { interleave, pairedLine } from '../rounds.mjs';
import { ECHO_PAYLOAD, EchoDescriptor } from '../rpc/services.mjs';

const PROVIDERS = 100;
const TAG_RULE =
  'configVersion: v3.0\nforce: false\ntags:\n  - name: gray\n    match: [{key: name, value: {regex: "p[0-9]"}}]\n';
const CONDITION_RULE = 'configVersion: v3.0\nconditions:\n  - "method = echo => name != p50"\n';

function startProvider() {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('../rpc/provider.mjs', import.meta.url)), ['0', String(PROVIDERS)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout.on('data', (b) => {
      const m = /READY ([\d ]+)/.exec(String(b));
      if (m) resolve({ child, ports: m[1].trim().split(' ').map(Number) });
    });
    child.once('error', reject);
  });
}

function rules(url) {
  const tag = new TagRouter(url);
  tag.apply(TAG_RULE, 1);
  const condition = new ConditionRouter('bench.condition-router');
  condition.apply(CONDITION_RULE, 1);
  return [tag, condition];
}

async function drive(call, inflight, ms) {
  globalThis.gc?.();
  let count = 0;
  let running = true;
  const loop = async () => {
    while (running) {
      await call();
      count++;
    }
  };
  const t0 = performance.now();
  const loops = Array.from({ length: inflight }, loop);
  await new Promise((r) => setTimeout(r, ms));
  const n = count;
  const s = (performance.now() - t0) / 1000;
  running = false;
  await Promise.all(loops);
  return n / s;
}

/** ns per call of the chain alone over the 100 providers (cached results). */
function chainCost(chain, invokers, url) {
  const inv = new RpcInvocation('echo', 'Ljava/lang/String;', ['x'], {});
  chain.notify(invokers);
  let kept = 0;
  for (let i = 0; i < 10_000; i++) kept = chain.route(invokers, url, inv).length;
  const n = 1_000_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) kept = chain.route(invokers, url, inv).length;
  return { ns: Number(process.hrtime.bigint() - t0) / n, kept };
}

/**
 * The routing cases, also run by `pnpm bench rpc --only routing` (issue #16 asks for them in the rpc bench):
 * `line(case, ours, anchor, anchorValue, unit)` prints a RESULT line, `settle(label)` waits for an idle machine.
 */
export async function routingVsNoRules({ quick: q = quick, line, settle = async () => {} }) {
  const before = getLogger();
  setLogger(silentLogger); // the rules' "applied" lines
  const { child, ports } = await startProvider();
  const client = new DubboClient({ timeout: 10_000 });
  const urls = ports.map((port, i) => `dubbo://127.0.0.1:${port}/${EchoDescriptor.interfaceName}?name=p${i}`).join(';');
  const plain = client.reference(EchoDescriptor, { url: urls });
  const consumerUrl = DubboUrl.valueOf(`consumer://127.0.0.1/${EchoDescriptor.interfaceName}`);
  const ruled = client.reference(EchoDescriptor, { url: urls, routers: rules(consumerUrl) });
  const cases = [
    ['no_rules', () => plain.echo(ECHO_PAYLOAD)],
    ['rules', () => ruled.echo(ECHO_PAYLOAD)],
  ];
  const ms = q ? 300 : 500; // many short rounds: their median ratio is robust on a noisy host
  const rounds = q ? 3 : 15;
  try {
    for (const [, c] of cases) await drive(c, 32, 300);
    for (const inflight of [1, 32, 200]) {
      await settle(`echo-1x${inflight} (routing, 100 providers)`);
      const res = await interleave(
        cases.map(([n, c]) => [n, () => drive(c, inflight, ms)]),
        rounds,
      );
      pairedLine(
        line,
        `echo-1x${inflight}-rules_100p`,
        res.get('rules'),
        'no_rules',
        res.get('no_rules'),
        null,
        'req/s',
      );
    }
    // The chain alone.
    const target = (i) => ({
      url: DubboUrl.valueOf(`dubbo://127.0.0.1:${1000 + i}/x?name=p${i}`),
      isAvailable: () => true,
      invoke: async () => new RpcResult(null),
      destroy: () => {},
    });
    const invokers = Array.from({ length: PROVIDERS }, (_, i) => new ProviderInvoker(target(i)));
    const withRules = chainCost(new RouterChain(rules(consumerUrl)), invokers, consumerUrl);
    const empty = chainCost(new RouterChain([]), invokers, consumerUrl);
    console.log(
      `ROUTE chain over ${PROVIDERS} providers: ${withRules.ns.toFixed(0)} ns/call with a tag and a condition rule (${withRules.kept} left), ${empty.ns.toFixed(0)} ns/call without`,
    );
  } finally {
    await client.close();
    child.kill('SIGINT');
    setLogger(before);
  }
}

const line = (c, ours, anchor, anchorValue, unit) =>
  printResult({ bench: 'routing', case: c, ours, anchor, anchorValue, unit });
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await routingVsNoRules({ line });
  process.exit(0);
}
