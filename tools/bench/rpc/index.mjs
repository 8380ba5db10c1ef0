// `pnpm bench rpc [--quick]`: dubbo-benchmark's four calls (existUser, createUser, getUser, listUser, with its
// 12-field User and 15-user Page) plus an echo of a 200-byte string, on loopback, one connection:
//   ours      TS consumer -> TS provider (@dubbo-ts/dubbo), and TS consumer -> Java provider;
//   anchors   getty (the same 16-byte-header + 200-byte framed echo straight on @dubbo-ts/getty: our ceiling),
//             grpc-js (@grpc/grpc-js unary echo), java-dubbo (Java consumer -> Java provider, Dubbo 3.3 BenchConsumer).
// Servers run in child processes; the TS, getty and grpc-js clients run in this process, interleaved round by round.
// Cases: 1 in flight (p50/p99 latency), 32 and 200 in flight (req/s).
// And the invocation layers against the path without them (anchor=direct: the proxy over the bare protocol
// invoker, see layers.mjs): `-layers_1p` a client reference with one provider URL, `-layers_3p` with three joined
// by ';' (three ports of the same provider process, so the provider's CPU is the same as the anchor's);
// layers_3p's anchor is direct_3c, direct proxies over the same three connections without the layers.
// And each load balancer over ten providers against random (anchor=random, see balancers.mjs).
// And a condition rule and a tag rule over 100 providers against no rules (anchor=no_rules, see routing/index.mjs).
// `--only transport,layers,balancers,routing,java` runs only those sections; `--no-java` skips the Java one.
import { fork, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DubboClient, DubboServer } from '@dubbo-ts/dubbo';
import { Client, Server } from '@dubbo-ts/getty';
import { FrameCodec, HEADER } from '../frame-codec.mjs';
import { settle as settleFor, waitIdle } from '../idle.mjs';
import { printResult, quick } from '../result.mjs';
import { alternate, interleave, pairedLine } from '../rounds.mjs';
import { routingVsNoRules } from '../routing/index.mjs';
import { balancersVsRandom } from './balancers.mjs';
import { directReference, layeredReference } from './layers.mjs';
import {
  ECHO_PAYLOAD,
  EchoDescriptor,
  echoImpl,
  makeUser,
  UserServiceDescriptor,
  userServiceImpl,
} from './services.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const PROTO = join(here, 'echo.proto');

// ---------------------------------------------------------------- servers (child processes)

async function loadGrpc() {
  const grpc = await import('@grpc/grpc-js');
  const loader = await import('@grpc/proto-loader');
  const def = loader.loadSync(PROTO, { keepCase: true });
  return { grpc, pkg: grpc.loadPackageDefinition(def).bench };
}

async function runServer(kind) {
  let port;
  let ports;
  if (kind === 'dubbo') {
    // Ten servers in one process: the first serves every case, the first three the layers_3p cases, all ten the
    // balancer cases.
    ports = [];
    for (let k = 0; k < 10; k++) {
      const server = new DubboServer({ port: 0 });
      server.export(UserServiceDescriptor, userServiceImpl);
      server.export(EchoDescriptor, echoImpl);
      await server.listen();
      ports.push(server.port);
    }
    port = ports[0];
  } else if (kind === 'getty') {
    const server = new Server({
      host: '127.0.0.1',
      codec: new FrameCodec(),
      listener: { onMessage: (s, f) => void s.send(f), onError() {} },
    });
    await server.listen();
    port = server.port;
  } else {
    const { grpc, pkg } = await loadGrpc();
    const server = new grpc.Server();
    server.addService(pkg.EchoService.service, { Echo: (call, cb) => cb(null, { value: call.request.value }) });
    port = await new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
  }
  process.send({ port, ports });
}

function startChild(kind) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--server', kind], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve({ child, port: m.port, ports: m.ports }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

/** Starts the Java InteropProvider; resolves {child, port} or {error}. */
function startJavaProvider() {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('bash', [join(root, 'tools/interop/java/interop.sh'), 'provider', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve({ error: String(e) });
      return;
    }
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      resolve({ error: `no READY from the Java provider in 90 s: ${err.slice(-300)}` });
    }, 90_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ error: String(e) });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ error: `the Java provider exited with ${code}: ${err.slice(-300)}` });
    });
  });
}

/**
 * Starts one Java BenchConsumer (`--serve=true`) against the Java provider, kept for the whole run: a JVM started
 * per level measured its JIT still compiling (echo at 32 in flight read 5.4k req/s, and one full run's ratio to
 * Java was 0.3x-2x the other's). Resolves `{ run(call, inflight, seconds), close() }` (`run` resolves
 * `{rps, p50, p99, errors}` or `{error}`; rounds run one at a time) or `{ error }`.
 */
function startJavaBench(port) {
  return new Promise((resolve) => {
    const args = ['bench', `dubbo://127.0.0.1:${port}`, '--serve=true'];
    const child = spawn('bash', [join(root, 'tools/interop/java/interop.sh'), ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    let waiting = null; // the resolver of the round in progress
    let round = null; // its BENCH figures, while its LATS line is awaited
    let ready = false;
    const fail = (why) => {
      if (!ready) resolve({ error: why });
      waiting?.({ error: why });
      waiting = null;
    };
    const timer = setTimeout(() => {
      child.kill();
      fail(`no "BENCH ready" from the Java consumer in 90 s: ${err.slice(-300)}`);
    }, 90_000);
    let wantLats = false;
    const run = (call, inflight, seconds, lats = false) =>
      new Promise((r) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          r({ error: 'the Java consumer has exited' });
          return;
        }
        waiting = r;
        wantLats = lats;
        child.stdin.write(`run ${call} ${inflight} ${seconds}${lats ? ' lats' : ''}\n`);
      });
    const BENCH =
      /^BENCH call=\w+ inflight=\d+ seconds=[\d.]+ calls=\d+ errors=(\d+) rps=([\d.]+) p50_us=(\d+) p99_us=(\d+)/;
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l === 'BENCH ready') {
        ready = true;
        clearTimeout(timer);
        resolve({ run, close: () => child.stdin.end('quit\n') });
        return;
      }
      const m = BENCH.exec(l);
      const w = waiting;
      if (m) {
        round = { rps: Number(m[2]), p50: Number(m[3]), p99: Number(m[4]), errors: Number(m[1]) };
        if (wantLats) return; // its LATS line follows
        w?.(round);
      } else if (l.startsWith('LATS') && round !== null) {
        w?.({ ...round, lats: Float64Array.from(l.split(' ').slice(1), Number) });
      } else if (l.startsWith('BENCH error=')) w?.({ error: l.slice(12) });
      else return; // a log line
      waiting = null;
      round = null;
    });
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    child.stdin.on('error', () => {}); // the exit handler reports it
    child.once('error', (e) => fail(String(e)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`the Java consumer exited with ${code}: ${err.slice(-300)}`);
    });
  });
}

// ---------------------------------------------------------------- load drivers (this process)

/** Before each case: wait (bounded) for an idle machine and print what was seen (tools/bench/idle.mjs). */
const settle = (label) => settleFor(label, { maxMs: quick ? 1000 : 10_000 });

/** Keeps `inflight` promise-returning calls going for `ms`; returns {rps, p50, p99} (us). */
async function drivePromises(call, inflight, ms, wantLat) {
  // Every round starts from a collected heap (run.mjs passes --expose-gc), so no round pays for the garbage of the
  // round before it (another variant's, in the interleaved comparisons).
  globalThis.gc?.();
  let count = 0;
  let errors = 0;
  let running = true;
  const lats = wantLat ? new Float64Array(1_000_000) : null;
  let nl = 0;
  let firstError = null;
  const loop = async () => {
    let i = 0;
    while (running) {
      const t0 = performance.now();
      try {
        await call(i++);
      } catch (e) {
        errors++;
        firstError ??= e;
      }
      count++;
      if (lats !== null && nl < lats.length) lats[nl++] = (performance.now() - t0) * 1000;
    }
  };
  const start = performance.now();
  const loops = Array.from({ length: inflight }, loop);
  await new Promise((r) => setTimeout(r, ms));
  const elapsed = (performance.now() - start) / 1000;
  const n = count;
  running = false;
  await Promise.all(loops);
  if (firstError) console.error(`  (${errors} errors, first: ${firstError.message})`);
  return { rps: n / elapsed, ...percentiles(lats, nl) };
}

/** p50 and p99 of a round, and its latencies (a sorted copy, for percentiles over rounds pooled: ../rounds.mjs). */
function percentiles(lats, nl) {
  if (lats === null || nl === 0) return { p50: 0, p99: 0 };
  const a = lats.subarray(0, nl).sort();
  return { p50: a[Math.floor(nl * 0.5)], p99: a[Math.floor(nl * 0.99)], lats: a.slice() };
}

/**
 * The getty ceiling, shaped as an RPC like ours: each call writes a framed echo (16-byte header with the call id,
 * 200-byte body) and awaits its own response through an id -> pending map, driven by the same promise-per-call
 * loops. What ours adds on top is the dubbo layer itself (hessian2 bodies, invocation, dispatch, timeouts).
 */
async function gettyRpc(port) {
  const template = Buffer.alloc(HEADER + 200, 0x61);
  template.writeUInt16BE(0xdabb, 0);
  template.writeUInt16BE(0xc202, 2);
  template.writeUInt32BE(200, 12);
  const pending = new Map();
  let nextId = 0;
  const client = new Client({
    host: '127.0.0.1',
    port,
    codec: new FrameCodec(),
    reconnect: false,
    listener: {
      onMessage(_s, frame) {
        const id = frame.readUInt32BE(8);
        const resolve = pending.get(id);
        if (resolve !== undefined) {
          pending.delete(id);
          resolve(frame);
        }
      },
      onError() {},
    },
  });
  await client.connect();
  const session = client.mustPickSession();
  const call = () =>
    new Promise((resolve) => {
      const id = nextId++ >>> 0;
      const f = Buffer.allocUnsafe(template.length);
      template.copy(f);
      f.writeUInt32BE(id, 8);
      pending.set(id, resolve);
      session.send(f);
    });
  return { call, close: () => client.close() };
}

/** Raw getty (not a RESULT anchor, printed for context): callbacks, no ids, no promise per call. */
async function driveGettyRaw(port, inflight, ms) {
  const frame = Buffer.alloc(HEADER + 200, 0x61);
  frame.writeUInt16BE(0xdabb, 0);
  frame.writeUInt16BE(0xc202, 2);
  frame.writeUInt32BE(200, 12);
  let count = 0;
  let running = true;
  let session;
  const client = new Client({
    host: '127.0.0.1',
    port,
    codec: new FrameCodec(),
    reconnect: false,
    listener: {
      onMessage() {
        count++;
        if (running) session.send(frame);
      },
      onError() {},
    },
  });
  await client.connect();
  session = client.mustPickSession();
  const start = performance.now();
  for (let k = 0; k < inflight; k++) session.send(frame);
  await new Promise((r) => setTimeout(r, ms));
  const rps = count / ((performance.now() - start) / 1000);
  running = false;
  await new Promise((r) => setTimeout(r, 50));
  await client.close();
  return rps;
}

// ---------------------------------------------------------------- main

function tsCalls(users, echo) {
  return {
    echo: () => echo.echo(ECHO_PAYLOAD),
    existUser: (i) => users.existUser(String(i)),
    createUser: (i) => users.createUser(makeUser(i)),
    getUser: (i) => users.getUser(i),
    listUser: (i) => users.listUser(i),
  };
}

/**
 * The invocation layers against the path without them, for `calls` at each level. Variants, each its own
 * references: `direct` (the anchor: the proxy over the bare protocol invoker of the first provider), `layers_1p`
 * and `layers_3p` (references of `client` with one provider URL, and with three joined by ';'), and `direct_3c`
 * (layers_3p's anchor: direct proxies over the three providers, one picked at random per call). The direct
 * invokers come from the client's own protocol instance, so every variant runs over the same connections and the
 * ratio is what the layers cost, nothing else: with a second protocol instance (its own connections to the same
 * providers) the one-provider cases read 0.71-0.85 in this bench, yet 0.99-1.06 when layers.mjs's two paths were
 * compared alone (tools/bench/rpc/exp-layers.mjs), and 0.95-1.03 here once both used one connection.
 * Throughput: rounds rotate the order (direct, 1p, 3p, 3c; 1p, 3p, 3c, direct; ...); the ratio is the median of
 * the rounds' ratios (tools/bench/rounds.mjs), so a round another job on the machine slowed does not decide it.
 * Latency at 1 in flight: the four alternate call by call within each round (rounds.mjs `alternate`), the
 * percentiles over all rounds' calls pooled. With a variant per 500 ms the pooled p99s of two identical paths read
 * 0.6-1.5 of each other from run to run: the host's stalls (a few ms, a few per second) went to whichever variant
 * was running; alternated, they land on every variant alike.
 */
async function layersVsDirect(client, ports, calls, levels, line) {
  // Many short rounds: the median of their paired ratios is then robust to a host that steals CPU in bursts.
  const ms = quick ? 150 : 500;
  const rounds = quick ? 3 : 13;
  const protocol = client.protocol('dubbo'); // the client's: the same connections as the layered references
  const direct = (d, port) => directReference(protocol, d, port, 10_000); // the client's timeout
  const layered = (d, ps) => layeredReference(client, d, ps);
  // One of `refs` per call, uniform random as the random balancer picks among providers of equal weight.
  const anyOf = (d, refs) => {
    const pick = () => refs[Math.floor(Math.random() * refs.length)];
    return Object.fromEntries([...d.methods.keys()].map((m) => [m, (...a) => pick()[m](...a)]));
  };
  const both = (make) => tsCalls(make(UserServiceDescriptor), make(EchoDescriptor));
  const variants = [
    ['direct', both((d) => direct(d, ports[0]))],
    ['layers_1p', both((d) => layered(d, ports.slice(0, 1)))],
    ['layers_3p', both((d) => layered(d, ports))],
    [
      'direct_3c',
      both((d) =>
        anyOf(
          d,
          ports.map((p) => direct(d, p)),
        ),
      ),
    ],
  ];
  for (const name of calls) for (const [, c] of variants) await drivePromises(c[name], 32, quick ? 150 : 500, false);
  for (const name of calls) {
    for (const inflight of levels) {
      const lat = inflight === 1;
      await settle(`${name}-1x${inflight} (layers)`);
      // Latency: the variants alternated call by call (one stall of the host lands on all of them alike);
      // throughput: each variant on its own for a round, the order rotated.
      const res = lat
        ? await alternate(
            variants.map(([v, c]) => [v, c[name]]),
            rounds,
            ms * variants.length,
          )
        : await interleave(
            variants.map(([v, c]) => [v, () => drivePromises(c[name], inflight, ms, lat)]),
            rounds,
          );
      // Each layered case against the same connections without the layers: one provider against the direct
      // proxy, three against direct proxies over the same three connections (one picked at random per call).
      for (const [v, a] of [
        ['layers_1p', 'direct'],
        ['layers_3p', 'direct_3c'],
      ]) {
        if (lat) {
          for (const p of ['p50', 'p99']) pairedLine(line, `${name}-1x1-${p}-${v}`, res.get(v), a, res.get(a), p, 'us');
        } else {
          pairedLine(line, `${name}-1x${inflight}-${v}`, res.get(v), a, res.get(a), 'rps', 'req/s');
        }
      }
    }
  }
}

async function main() {
  const ms = quick ? 250 : 1000;
  const javaRounds = quick ? 3 : 5;
  const levels = [1, 32, 200];
  const calls = quick ? ['echo', 'getUser'] : ['echo', 'existUser', 'createUser', 'getUser', 'listUser'];
  // --only transport,layers,balancers,routing,java runs those sections (default: all); --no-java skips Java.
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;
  const run = (section) => only === null || only.has(section);
  const noJava = process.argv.includes('--no-java') || !run('java');
  const javaP = noJava ? Promise.resolve({ error: 'skipped (--no-java)' }) : startJavaProvider();
  const dubbo = await startChild('dubbo');
  const getty = await startChild('getty');
  const grpcSrv = await startChild('grpc');
  const { grpc, pkg } = await loadGrpc();
  const grpcClient = new pkg.EchoService(`127.0.0.1:${grpcSrv.port}`, grpc.credentials.createInsecure());
  const grpcEcho = (req) =>
    new Promise((resolve, reject) => grpcClient.Echo(req, (e, r) => (e ? reject(e) : resolve(r))));
  const grpcReq = { value: ECHO_PAYLOAD };
  const client = new DubboClient({ timeout: 10_000 });
  const tsts = tsCalls(
    client.reference(UserServiceDescriptor, { url: `127.0.0.1:${dubbo.port}` }),
    client.reference(EchoDescriptor, { url: `127.0.0.1:${dubbo.port}` }),
  );
  const line = (c, ours, anchor, anchorValue, unit) =>
    printResult({ bench: 'rpc', case: c, ours, anchor, anchorValue, unit });
  // The JVM's start-up (class loading, JIT) takes both cores of a small machine for seconds: wait for it before
  // measuring anything, or the first cases measure the JVM booting beside them.
  const java = await javaP;
  try {
    // Warm-up (JIT on both sides).
    for (const name of calls) await drivePromises(tsts[name], 32, quick ? 200 : 500, false);
    const gettyRpcClient = await gettyRpc(getty.port);
    const gettyCall = gettyRpcClient.call;
    await drivePromises(gettyCall, 32, quick ? 200 : 500, false);
    await drivePromises(() => grpcEcho(grpcReq), 32, quick ? 200 : 500, false);

    // 1. The transport anchors: echo, TS->TS vs getty and grpc-js, interleaved.
    for (const inflight of run('transport') ? levels : []) {
      const lat = inflight === 1;
      await settle(`echo-1x${inflight} (transport)`);
      const transport = [
        ['getty', gettyCall],
        ['ours', tsts.echo],
        ['grpc-js', () => grpcEcho(grpcReq)],
      ];
      // Latency with the three alternated call by call (see alternate in ../rounds.mjs); throughput round by round.
      const res = lat
        ? await alternate(transport, quick ? 3 : 5, ms * transport.length)
        : await interleave(
            transport.map(([n, c]) => [n, () => drivePromises(c, inflight, ms, lat)]),
            quick ? 3 : 5,
          );
      for (const anchor of ['getty', 'grpc-js']) {
        if (lat) {
          for (const p of ['p50', 'p99'])
            pairedLine(line, `echo-1x1-${p}`, res.get('ours'), anchor, res.get(anchor), p, 'us');
        } else {
          pairedLine(line, `echo-1x${inflight}`, res.get('ours'), anchor, res.get(anchor), 'rps', 'req/s');
        }
      }
    }

    if (run('transport')) {
      const raw = await driveGettyRaw(getty.port, 200, ms);
      console.log(`(context) raw getty framed echo, callbacks, 200 in flight: ${raw.toFixed(0)} req/s`);
    }
    await gettyRpcClient.close();

    // 2. The invocation layers against the path without them (anchor=direct).
    const layerCalls = calls.filter((c) => c === 'echo' || c === 'getUser');
    if (run('layers')) await layersVsDirect(client, dubbo.ports.slice(0, 3), layerCalls, levels, line);

    // 2b. Each load balancer over ten providers against random (anchor=random).
    if (run('balancers')) {
      const options = { quick, levels: quick ? [200] : levels, calls: layerCalls, settle };
      await balancersVsRandom(client, dubbo.ports, drivePromises, line, options);
    }

    // 2c. A condition rule and a tag rule over 100 providers against no rules (anchor=no_rules; issue #16).
    if (run('routing')) await routingVsNoRules({ quick, line, settle });

    // 3. dubbo-benchmark's calls: TS->TS and TS->Java against Java->Java. One Java consumer JVM serves every
    // round: warmed first (JIT), then its rounds interleave with the TS ones (the order rotated round by round),
    // each ratio the median of the rounds' ratios, so neither a JIT still compiling nor one busy moment decides it.
    // The JVMs are idle while the TS rounds run (the consumer waits on its stdin), and after each Java round the
    // bench waits (bounded) for the machine to go quiet, as a JVM may still be collecting or compiling.
    let tsjava = null;
    let javaBench = null;
    if (java.error) console.log(`java-dubbo anchor unavailable: ${java.error}`);
    else {
      tsjava = tsCalls(
        client.reference(UserServiceDescriptor, { url: `127.0.0.1:${java.port}` }),
        client.reference(EchoDescriptor, { url: `127.0.0.1:${java.port}` }),
      );
      const jb = await startJavaBench(java.port);
      if (jb.error) console.log(`java-dubbo anchor unavailable: ${jb.error}`);
      else javaBench = jb;
    }
    // Warm-up: both JVMs (provider and consumer) and the TS->Java path. A JVM on this 2-core machine takes tens of
    // seconds to compile its hot paths (Java->Java echo at 32 in flight read 177, 577, 1.5k, 3.7k, 5k ... 14k req/s
    // in its first 2-second rounds): passes over every call at 32 in flight until a pass's total is within 10% of
    // the one before (at least 3 passes, at most 12), then each call once at 200 and at 1 in flight.
    if (javaBench !== null) {
      const seconds = quick ? 0.3 : 1.5;
      let before = 0;
      for (let pass = 1; pass <= (quick ? 2 : 12); pass++) {
        let total = 0;
        for (const name of calls) {
          const r = await javaBench.run(name, 32, seconds);
          total += r.rps ?? 0;
          await drivePromises(tsjava[name], 32, seconds * 500, false);
        }
        console.log(`(java-dubbo warm-up) pass ${pass}: ${total.toFixed(0)} req/s over the ${calls.length} calls`);
        if (pass >= 3 && Math.abs(total - before) <= 0.1 * before) break;
        before = total;
      }
      for (const name of calls) {
        for (const inflight of [200, 1]) {
          await javaBench.run(name, inflight, seconds);
          await drivePromises(tsjava[name], inflight, seconds * 500, false);
        }
      }
    }
    const javaRound = async (name, inflight) => {
      const r = await javaBench.run(name, inflight, ms / 1000, inflight === 1);
      await waitIdle({ maxMs: 1500 });
      if (r.error) throw new Error(`java-dubbo round failed (${name} at ${inflight} in flight): ${r.error}`);
      if (r.errors > 0) console.error(`  (java-dubbo ${name} at ${inflight} in flight: ${r.errors} errors)`);
      return r;
    };
    // At 1 in flight both sides keep every call's latency (Java prints them), and the percentiles are taken over
    // all five rounds' calls pooled (pairedLine): a 1-second round's p99 is its slowest ~50 calls, which one stall
    // of the host decides (round ratios of 0.23..1.36 in one case).
    const tsRound = (call, inflight) => drivePromises(call, inflight, ms, inflight === 1);
    for (const inflight of javaBench === null ? [] : quick ? [200] : levels) {
      for (const name of calls) {
        await settle(`${name}-1x${inflight} (ts-ts, ts-java, java-dubbo)`);
        const res = await interleave(
          [
            ['java', () => javaRound(name, inflight)],
            ['ts-ts', () => tsRound(tsts[name], inflight)],
            ['ts-java', () => tsRound(tsjava[name], inflight)],
          ],
          javaRounds,
        );
        for (const v of ['ts-ts', 'ts-java']) {
          const [xs, java] = [res.get(v), res.get('java')];
          if (inflight === 1) {
            for (const p of ['p50', 'p99']) pairedLine(line, `${name}-1x1-${p}-${v}`, xs, 'java-dubbo', java, p, 'us');
          } else {
            pairedLine(line, `${name}-1x${inflight}-${v}`, xs, 'java-dubbo', java, 'rps', 'req/s');
          }
        }
      }
    }
    javaBench?.close();
  } finally {
    await client.close();
    grpcClient.close();
    for (const s of [dubbo, getty, grpcSrv]) s.child.kill();
    const java = await javaP;
    java.child?.kill();
  }
  process.exit(0);
}

if (process.argv[2] === '--server') await runServer(process.argv[3]);
else await main();
