// node --expose-gc tools/bench/rpc/exp-layers.mjs [INFLIGHT] [three|four]: echo through the layers against the direct
// path in interleaved rounds, paired ratios. `three`: direct, the direct path over the client's own protocol
// (same connection as the layers) and layers_1p; `four`: the rpc bench's four variants (direct, layers_1p,
// layers_3p, direct_3c).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DubboClient } from '@dubbo-ts/dubbo';
import { interleave, paired } from '../rounds.mjs';
import { directProtocol, directReference, layeredReference } from './layers.mjs';
import { ECHO_PAYLOAD, EchoDescriptor, makeUser, UserServiceDescriptor } from './services.mjs';

const child = fork(fileURLToPath(new URL('./provider.mjs', import.meta.url)), ['0', '3'], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const ports = await new Promise((r) =>
  child.stdout.on('data', (b) => {
    const m = /READY ([\d ]+)/.exec(String(b));
    if (m) r(m[1].trim().split(' ').map(Number));
  }),
);
const client = new DubboClient({ timeout: 10_000 });
const own = directProtocol();
const direct = directReference(own, EchoDescriptor, ports[0], 10_000);
const inflight = Number(process.argv[2] ?? 32);
const mode = process.argv[3] ?? 'three';
async function drive(ref, ms) {
  globalThis.gc?.();
  let n = 0;
  let running = true;
  const loops = Array.from({ length: inflight }, async () => {
    while (running) {
      await ref.echo(ECHO_PAYLOAD);
      n++;
    }
  });
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const rps = n / ((performance.now() - t0) / 1000);
  running = false;
  await Promise.all(loops);
  return rps;
}
let vs;
let pairs;
if (mode === 'three') {
  vs = [
    ['direct', direct],
    ['direct_clientproto', directReference(client.protocol('dubbo'), EchoDescriptor, ports[0], 10_000)],
    ['layers_1p', layeredReference(client, EchoDescriptor, [ports[0]])],
  ];
  pairs = [
    ['layers_1p', 'direct'],
    ['direct_clientproto', 'direct'],
    ['layers_1p', 'direct_clientproto'],
  ];
} else {
  const d3s = ports.map((p) => directReference(client.protocol('dubbo'), EchoDescriptor, p, 10_000));
  vs = [
    ['direct', direct],
    ['layers_1p', layeredReference(client, EchoDescriptor, [ports[0]])],
    ['layers_3p', layeredReference(client, EchoDescriptor, ports)],
    ['direct_3c', { echo: (x) => d3s[Math.floor(Math.random() * 3)].echo(x) }],
  ];
  pairs = [
    ['layers_1p', 'direct'],
    ['layers_3p', 'direct_3c'],
  ];
}
if (process.argv[4]) {
  // Warm the client's connection with one call kind first (what the rpc bench's warm-up does): `node ... four listUser`.
  const users = client.reference(UserServiceDescriptor, { url: `127.0.0.1:${ports[0]}` });
  const calls = {
    listUser: (i) => users.listUser(i),
    createUser: (i) => users.createUser(makeUser(i)),
    getUser: (i) => users.getUser(i),
  };
  await drive({ echo: () => calls[process.argv[4]](1) }, 500);
}
for (const [, r] of vs) await drive(r, 500);
const res = await interleave(
  vs.map(([n, r]) => [n, () => drive(r, 500)]),
  9,
);
for (const [n] of vs)
  console.log(
    n,
    res
      .get(n)
      .map((x) => (x / 1000).toFixed(0))
      .join(' '),
  );
for (const [a, b] of pairs) {
  const p = paired(res.get(a), res.get(b));
  console.log(`${a} / ${b}: median ${p.ratio.toFixed(2)} (${p.lo.toFixed(2)}..${p.hi.toFixed(2)})`);
}
await client.close();
await own.destroy();
child.kill();
process.exit(0);
