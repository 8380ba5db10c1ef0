// `pnpm bench flow [--quick]`: what flow control costs and what it buys.
//
// 1. Cost: echo (200-byte string) at 200 in flight through each limit set so high it never refuses (the filter's
//    bookkeeping only) against the same echo with no limit (anchor=none): provider `tps` with each strategy
//    (fixedWindow, slidingWindow, tokenBucket), `executes`, `flowcontrol=gradient`; consumer `actives` and
//    `breaker=provider`. All providers are servers of one child process; rounds are interleaved; the median of the
//    rounds' ratios counts (../rounds.mjs).
// 2. Overload: a provider method that takes 5 ms on a bounded pool (POOL slots, a FIFO queue before them: a
//    thread pool's shape), offered 3x its capacity (open loop, from this process, call timeout 1000 ms as Java's
//    default). Goodput (answers within the timeout per second, against the pool's capacity) and p99 of the
//    accepted calls (against the p99 of the same calls unloaded), with no limit (the server's own task pool only),
//    with `executes` set right (twice the pool: a slot's next call waits at most one service time, so arrivals in
//    bursts do not leave slots idle), and with `flowcontrol=gradient` (adaptive, nothing to set).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DubboClient, DubboServer, defineService } from '@dubbo-ts/dubbo';
import { settle } from '../idle.mjs';
import { printResult, quick } from '../result.mjs';
import { interleave, pairedLine } from '../rounds.mjs';
import { ECHO_PAYLOAD, EchoDescriptor, echoImpl } from '../rpc/services.mjs';

const POOL = 4;
const WORK_MS = 5;
const CAPACITY = (POOL * 1000) / WORK_MS; // calls per second the pool can serve
const TIMEOUT = 1000;

const WorkDescriptor = defineService({
  interfaceName: 'org.apache.dubbo.bench.WorkService',
  methods: { work: { params: ['int'], returns: 'int' } },
});

/** POOL slots with a FIFO queue before them; each call holds a slot for WORK_MS. */
function boundedPool() {
  let busy = 0;
  const queue = [];
  const release = () => {
    const next = queue.shift();
    if (next !== undefined) next();
    else busy--;
  };
  return {
    work: (n) =>
      new Promise((resolve) => {
        const run = () =>
          setTimeout(() => {
            release();
            resolve(n);
          }, WORK_MS);
        if (busy < POOL) {
          busy++;
          run();
        } else queue.push(run);
      }),
  };
}

/** Provider-side limits measured for their cost (each on its own server), and the overload variants. */
const COST_PROVIDERS = {
  none: {},
  'tps-fixedWindow': {
    'tps.limit.rate': '1000000000',
    'tps.limit.interval': '1000',
    'tps.limit.strategy': 'fixedWindow',
  },
  'tps-slidingWindow': {
    'tps.limit.rate': '1000000000',
    'tps.limit.interval': '1000',
    'tps.limit.strategy': 'slidingWindow',
  },
  'tps-tokenBucket': {
    'tps.limit.rate': '1000000000',
    'tps.limit.interval': '1000',
    'tps.limit.strategy': 'tokenBucket',
  },
  executes: { executes: '100000' },
  gradient: { flowcontrol: 'gradient', 'flowcontrol.initial.limit': '1000', 'flowcontrol.min.limit': '1000' },
};
const OVERLOAD = {
  none: {},
  executes: { executes: String(2 * POOL) },
  gradient: { flowcontrol: 'gradient' },
};

async function runServer() {
  const ports = {};
  for (const [name, parameters] of Object.entries(COST_PROVIDERS)) {
    const server = new DubboServer({ port: 0 });
    server.export(EchoDescriptor, echoImpl, { parameters });
    await server.listen();
    ports[`cost:${name}`] = server.port;
  }
  for (const [name, parameters] of Object.entries(OVERLOAD)) {
    const server = new DubboServer({ port: 0 });
    server.export(WorkDescriptor, boundedPool(), { parameters });
    await server.listen();
    ports[`overload:${name}`] = server.port;
  }
  process.send(ports);
}

/** Keeps `inflight` calls going for `ms`; req/s. */
async function closedLoop(call, inflight, ms) {
  globalThis.gc?.();
  let n = 0;
  let running = true;
  const loop = async () => {
    while (running) {
      await call();
      n++;
    }
  };
  const start = performance.now();
  const loops = Array.from({ length: inflight }, loop);
  await new Promise((r) => setTimeout(r, ms));
  const rps = n / ((performance.now() - start) / 1000);
  running = false;
  await Promise.all(loops);
  return rps;
}

/** Offers `rate` calls per second for `ms` (open loop, 1 ms ticks); goodput and latencies of the answers. */
async function openLoop(call, rate, ms) {
  globalThis.gc?.();
  const lat = [];
  let ok = 0;
  let refused = 0;
  let timedOut = 0;
  let other = 0;
  const pending = [];
  const start = performance.now();
  let sent = 0;
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    for (; sent < due; sent++) {
      const t0 = performance.now();
      pending.push(
        call(sent).then(
          () => {
            ok++;
            lat.push((performance.now() - t0) * 1000);
          },
          (e) => {
            if (e?.code === 'DUBBO_ERR_LIMIT_EXCEEDED') refused++;
            else if (e?.code === 'DUBBO_ERR_CLIENT_TIMEOUT') timedOut++;
            else other++;
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(pending);
  lat.sort((a, b) => a - b);
  const p99 = lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] : Number.NaN;
  return { goodput: ok / elapsed, p99, ok, refused, timedOut, other, sent };
}

async function main() {
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ports = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (c) => reject(new Error(`server exited with ${c}`)));
  });
  const client = new DubboClient({ timeout: TIMEOUT });
  const line = (c, ours, anchor, anchorValue, unit) =>
    printResult({ bench: 'flow', case: c, ours, anchor, anchorValue, unit });
  try {
    // 1. Cost at 200 in flight: provider limits (each its own server), consumer limits (over the `none` server).
    const url = (p) => `127.0.0.1:${p}`;
    const variants = Object.keys(COST_PROVIDERS).map((name) => {
      const ref = client.reference(EchoDescriptor, { url: url(ports[`cost:${name}`]) });
      return [name, () => ref.echo(ECHO_PAYLOAD)];
    });
    for (const [name, parameters] of [
      ['consumer-actives', { actives: '100000' }],
      ['consumer-breaker', { breaker: 'provider' }],
    ]) {
      const ref = client.reference(EchoDescriptor, { url: url(ports['cost:none']), parameters });
      variants.push([name, () => ref.echo(ECHO_PAYLOAD)]);
    }
    const ms = quick ? 150 : 400; // many short rounds: their median ratio is robust on a noisy host
    const rounds = quick ? 3 : 15;
    for (const [, call] of variants) await closedLoop(call, 32, quick ? 150 : 400); // warm-up
    await settle('echo-1x200 (flow filters)', { maxMs: quick ? 1000 : 10_000 });
    const res = await interleave(
      variants.map(([name, call]) => [name, () => closedLoop(call, 200, ms)]),
      rounds,
    );
    for (const [name] of variants) {
      if (name !== 'none')
        pairedLine(line, `echo-1x200-${name}`, res.get(name), 'none', res.get('none'), null, 'req/s');
    }

    // 2. Overload: the unloaded p99 first (a tenth of capacity), then 3x capacity for each variant.
    const seconds = quick ? 3 : 6;
    for (const [name] of Object.entries(OVERLOAD)) {
      const ref = client.reference(WorkDescriptor, { url: url(ports[`overload:${name}`]), retries: 0 });
      const call = (i) => ref.work(i);
      await openLoop(call, CAPACITY / 10, 500); // warm-up
      await settle(`work-overload-${name}`, { maxMs: quick ? 1000 : 10_000 });
      const calm = await openLoop(call, CAPACITY / 10, quick ? 1000 : 2000);
      const r = await openLoop(call, CAPACITY * 3, seconds * 1000);
      console.log(
        `(overload) ${name}: offered ${r.sent} in ${seconds} s (3x ${CAPACITY}/s), answered ${r.ok}, refused ${r.refused}, timed out ${r.timedOut}, other ${r.other}; unloaded p99 ${calm.p99.toFixed(0)} us`,
      );
      line(`work-3x-goodput-${name}`, r.goodput, 'capacity', CAPACITY, 'req/s');
      line(`work-3x-p99-${name}`, r.p99, 'unloaded-p99', calm.p99, 'us');
      // Let the queue of the no-limit case drain before the next variant.
      await new Promise((res) => setTimeout(res, TIMEOUT + 500));
    }
  } finally {
    await client.close();
    child.kill();
  }
  process.exit(0);
}

if (process.argv[2] === '--server') await runServer();
else await main();
