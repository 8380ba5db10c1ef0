// `pnpm bench getty [--quick]`: a framed echo (16-byte header whose last 4 bytes carry the body length, 200-byte
// body) through getty, against the same protocol written directly on node:net (anchor=net). Servers run in child
// processes (one per implementation), the client in this process; ours and the anchor are measured interleaved.
// Cases: 1 connection x 1 in flight (p50/p99 latency), 1 x 100 and 4 x 100 in flight (req/s), write merging on/off.
import { fork } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client, Server } from '@dubbo-ts/getty';
import { FrameCodec, HEADER } from '../frame-codec.mjs';
import { printResult, quick } from '../result.mjs';

const BODY = 200;

function makeFrame() {
  const f = Buffer.alloc(HEADER + BODY, 0x61);
  f.writeUInt16BE(0xdabb, 0);
  f.writeUInt16BE(0xc200, 2);
  f.writeBigUInt64BE(1n, 4);
  f.writeUInt32BE(BODY, 12);
  return f;
}

/** Raw net framing: calls onFrame(frame) for each whole frame; one pending buffer for partial frames. */
function netFramer(onFrame) {
  let pending = null;
  return (chunk) => {
    let buf = chunk;
    if (pending !== null) {
      buf = Buffer.concat([pending, chunk]);
      pending = null;
    }
    let off = 0;
    const len = buf.length;
    while (len - off >= HEADER) {
      const total = HEADER + buf.readUInt32BE(off + 12);
      if (len - off < total) break;
      onFrame(buf.subarray(off, off + total));
      off += total;
    }
    if (off < len) pending = buf.subarray(off);
  };
}

// ---------- servers (child processes) ----------
async function runServer(kind, merge) {
  let port;
  if (kind === 'net') {
    const srv = createServer({ noDelay: true }, (sock) => {
      const framer = netFramer((f) => sock.write(f));
      // With merging, the hand-written ceiling corks around each chunk: the replies to one read leave in one writev.
      sock.on(
        'data',
        merge
          ? (chunk) => {
              sock.cork();
              framer(chunk);
              sock.uncork();
            }
          : framer,
      );
      sock.on('error', () => {});
    });
    await new Promise((r) => srv.listen(0, '127.0.0.1', r));
    port = srv.address().port;
  } else {
    const server = new Server({
      host: '127.0.0.1',
      codec: new FrameCodec(),
      writeMerge: merge,
      listener: {
        onMessage(session, frame) {
          session.send(frame);
        },
        onError() {},
      },
    });
    await server.listen();
    port = server.port;
  }
  process.send({ port });
}

// ---------- clients (this process) ----------
const frame = makeFrame();

/** Drives `conns` connections with `inflight` requests each for `ms`; returns {rps, lat} (lat in us, 1x1 only). */
async function runNet(port, conns, inflight, ms, wantLat, merge) {
  const socks = await Promise.all(
    Array.from(
      { length: conns },
      () =>
        new Promise((resolve, reject) => {
          const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(s));
          s.once('error', reject);
        }),
    ),
  );
  return drive(
    socks.length,
    (i, onFrame) => {
      const s = socks[i];
      const framer = netFramer(onFrame);
      s.on(
        'data',
        merge
          ? (chunk) => {
              s.cork();
              framer(chunk);
              s.uncork();
            }
          : framer,
      );
    },
    (i) => socks[i].write(frame),
    merge ? (i) => socks[i].cork() : null,
    merge ? (i) => socks[i].uncork() : null,
    inflight,
    ms,
    wantLat,
    () => {
      for (const s of socks) s.destroy();
    },
  );
}

async function runGetty(port, conns, inflight, ms, wantLat, merge) {
  const handlers = new Map(); // session id -> on-frame callback
  const client = new Client({
    host: '127.0.0.1',
    port,
    connections: conns,
    codec: new FrameCodec(),
    writeMerge: merge,
    reconnect: false,
    listener: {
      onMessage(session) {
        handlers.get(session.id)();
      },
      onError() {},
    },
  });
  await client.connect();
  while (client.sessions.length < conns) await new Promise((r) => setTimeout(r, 5));
  const sessions = client.sessions;
  return drive(
    conns,
    (i, onFrame) => {
      handlers.set(sessions[i].id, onFrame);
    },
    (i) => sessions[i].send(frame),
    null,
    null,
    inflight,
    ms,
    wantLat,
    () => client.close(),
  );
}

async function drive(conns, listen, send, cork, uncork, inflight, ms, wantLat, close) {
  let count = 0;
  let running = true;
  let t0 = 0;
  const lats = wantLat ? new Float64Array(2_000_000) : null;
  let nl = 0;
  let done;
  const finished = new Promise((r) => {
    done = r;
  });
  let outstanding = 0;
  for (let i = 0; i < conns; i++) {
    const idx = i;
    listen(idx, () => {
      count++;
      if (lats !== null) {
        const now = performance.now();
        if (nl < lats.length) lats[nl++] = (now - t0) * 1000;
        t0 = now;
      }
      if (running) send(idx);
      else if (--outstanding === 0) done();
    });
  }
  const start = performance.now();
  t0 = start;
  for (let i = 0; i < conns; i++) {
    cork?.(i);
    for (let k = 0; k < inflight; k++) send(i);
    uncork?.(i);
  }
  outstanding = conns * inflight;
  await new Promise((r) => setTimeout(r, ms));
  const elapsed = (performance.now() - start) / 1000;
  const n = count;
  running = false;
  // Let the in-flight requests drain before closing so the next measurement starts clean.
  await Promise.race([finished, new Promise((r) => setTimeout(r, 2000))]);
  await close();
  let p50 = 0;
  let p99 = 0;
  if (lats !== null && nl > 0) {
    const a = lats.subarray(0, nl).sort();
    p50 = a[Math.floor(nl * 0.5)];
    p99 = a[Math.floor(nl * 0.99)];
  }
  return { rps: n / elapsed, p50, p99 };
}

function startServer(kind, merge) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--server', kind, merge ? 'on' : 'off'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m) => resolve({ child, port: m.port }));
    child.once('error', reject);
  });
}

async function main() {
  // The machine is shared and noisy: several short interleaved rounds, median of each side.
  const ms = quick ? 400 : 1000;
  const rounds = quick ? 4 : 9;
  const netOn = await startServer('net', true);
  const netOff = await startServer('net', false);
  const on = await startServer('getty', true);
  const off = await startServer('getty', false);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    // Warm up both sides' JIT.
    await runNet(netOn.port, 1, 50, 300, false, true);
    await runNet(netOff.port, 1, 50, 300, false, false);
    await runGetty(on.port, 1, 50, 300, false, true);
    await runGetty(off.port, 1, 50, 300, false, false);
    for (const merge of [true, false]) {
      const tag = merge ? 'merge-on' : 'merge-off';
      const srv = merge ? on : off;
      const net = merge ? netOn : netOff;
      for (const [conns, inflight] of [
        [1, 1],
        [1, 100],
        [4, 100],
      ]) {
        const lat = inflight === 1;
        const ours = [];
        const anchor = [];
        for (let r = 0; r < rounds; r++) {
          anchor.push(await runNet(net.port, conns, inflight, ms, lat, merge));
          ours.push(await runGetty(srv.port, conns, inflight, ms, lat, merge));
        }
        if (lat) {
          for (const p of ['p50', 'p99']) {
            printResult({
              bench: 'getty',
              case: `${conns}x${inflight}-${p}-${tag}`,
              ours: median(ours.map((x) => x[p])),
              anchor: 'net',
              anchorValue: median(anchor.map((x) => x[p])),
              unit: 'us',
            });
          }
        } else {
          printResult({
            bench: 'getty',
            case: `${conns}x${inflight}-${tag}`,
            ours: median(ours.map((x) => x.rps)),
            anchor: 'net',
            anchorValue: median(anchor.map((x) => x.rps)),
            unit: 'req/s',
          });
        }
      }
    }
  } finally {
    for (const s of [netOn, netOff, on, off]) s.child.kill();
  }
}

if (process.argv[2] === '--server') {
  await runServer(process.argv[3], process.argv[4] === 'on');
} else {
  await main();
}
