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
import { fileURLToPath } from 'node:url';
import { DubboClient, DubboServer } from '@dubbo-ts/dubbo';
import { Client, Server } from '@dubbo-ts/getty';
import { FrameCodec, HEADER } from '../frame-codec.mjs';
import { settle as settleFor } from '../idle.mjs';
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

/** Runs Java BenchConsumer against the Java provider; resolves Map(call -> {rps, p50, p99}) or {error}. */
function runJavaBench(port, inflight, seconds, warmup, calls) {
  return new Promise((resolve) => {
    const args = ['bench', `dubbo://127.0.0.1:${port}`, '--inflight', String(inflight), '--seconds', String(seconds)];
    args.push('--warmup', String(warmup), '--calls', calls.join(','));
    const child = spawn('bash', [join(root, 'tools/interop/java/interop.sh'), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err = (err + d).slice(-4000);
    });
    child.once('error', (e) => resolve({ error: String(e) }));
    child.once('exit', (code) => {
      const res = new Map();
      for (const m of out.matchAll(
        /BENCH call=(\w+) inflight=\d+ seconds=[\d.]+ calls=(\d+) errors=(\d+) rps=([\d.]+) p50_us=(\d+) p99_us=(\d+)/g,
      )) {
        res.set(m[1], { rps: Number(m[4]), p50: Number(m[5]), p99: Number(m[6]), errors: Number(m[3]) });
      }
      if (res.size === 0) resolve({ error: `BenchConsumer exited with ${code}, no BENCH lines: ${err.slice(-300)}` });
      else resolve(res);
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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
  const rounds = quick ? 2 : 3;
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

    // 3. dubbo-benchmark's calls: TS->TS and TS->Java against Java->Java.
    let tsjava = null;
    if (java.error) console.log(`java-dubbo anchor unavailable: ${java.error}`);
    else {
      tsjava = tsCalls(
        client.reference(UserServiceDescriptor, { url: `127.0.0.1:${java.port}` }),
        client.reference(EchoDescriptor, { url: `127.0.0.1:${java.port}` }),
      );
      for (const name of calls) await drivePromises(tsjava[name], 32, quick ? 300 : 1500, false); // warm the JVM
    }
    // The Java anchor runs in its own JVM, so it cannot be interleaved call by call: it is measured before and
    // after the TS rounds of each level and the two are averaged, so a host that slows down or speeds up during
    // the level moves both sides alike.
    const javaRun = async (inflight) => {
      if (tsjava === null) return null;
      const r = await runJavaBench(java.port, inflight, quick ? 1 : 3, quick ? 0.5 : 2, calls);
      if (!r.error) return r;
      console.log(`java-dubbo anchor failed at ${inflight} in flight: ${r.error}`);
      return null;
    };
    const meanOf = (x, y) => {
      if (x === undefined || y === undefined) return x ?? y;
      return { rps: (x.rps + y.rps) / 2, p50: (x.p50 + y.p50) / 2, p99: (x.p99 + y.p99) / 2 };
    };
    for (const inflight of noJava ? [] : quick ? [200] : levels) {
      const lat = inflight === 1;
      const before = await javaRun(inflight);
      const measured = [];
      for (const name of calls) {
        await settle(`${name}-1x${inflight} (ts-ts, ts-java)`);
        const a = [];
        const b = [];
        for (let k = 0; k < rounds; k++) {
          a.push(await drivePromises(tsts[name], inflight, ms, lat));
          if (tsjava !== null) b.push(await drivePromises(tsjava[name], inflight, ms, lat));
        }
        measured.push([name, a, b]);
      }
      const after = await javaRun(inflight);
      for (const [name, a, b] of measured) {
        const j = meanOf(before?.get(name), after?.get(name));
        if (before && after && j) {
          const x = before.get(name);
          const y = after.get(name);
          const fig = lat
            ? `p50 ${x.p50}/${y.p50} us, p99 ${x.p99}/${y.p99} us`
            : `${x.rps.toFixed(0)}/${y.rps.toFixed(0)} req/s`;
          console.log(`(java-dubbo) ${name}-1x${inflight} before/after the TS rounds: ${fig}`);
        }
        const report = (suffix, xs) => {
          if (lat) {
            for (const p of ['p50', 'p99']) {
              const v = median(xs.map((x) => x[p]));
              if (j) line(`${name}-1x1-${p}${suffix}`, v, 'java-dubbo', j[p], 'us');
              else console.log(`rpc ${name}-1x1-${p}${suffix} ours=${v.toFixed(0)} us (no java-dubbo anchor)`);
            }
          } else {
            const v = median(xs.map((x) => x.rps));
            if (j) line(`${name}-1x${inflight}${suffix}`, v, 'java-dubbo', j.rps, 'req/s');
            else console.log(`rpc ${name}-1x${inflight}${suffix} ours=${v.toFixed(0)} req/s (no java-dubbo anchor)`);
          }
        };
        report('-ts-ts', a);
        if (b.length) report('-ts-java', b);
      }
    }
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
