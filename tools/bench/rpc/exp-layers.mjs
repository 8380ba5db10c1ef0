import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DubboClient } from '@dubbo-ts/dubbo';
import { interleave, paired } from '../rounds.mjs';
import { directProtocol, directReference, layeredReference } from './layers.mjs';
import { ECHO_PAYLOAD, EchoDescriptor } from './services.mjs';

const child = fork(fileURLToPath(new URL('./provider.mjs', import.meta.url)), ['0', '1'], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const port = await new Promise((r) =>
  child.stdout.on('data', (b) => {
    const m = /READY (\d+)/.exec(String(b));
    if (m) r(Number(m[1]));
  }),
);
const client = new DubboClient({ timeout: 10_000 });
const own = directProtocol();
const d1 = directReference(own, EchoDescriptor, port, 10_000);
const d2 = directReference(client.protocol('dubbo'), EchoDescriptor, port, 10_000);
const l1 = layeredReference(client, EchoDescriptor, [port]);
const inflight = Number(process.argv[2] ?? 32);
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
const vs = [
  ['direct', d1],
  ['direct_clientproto', d2],
  ['layers_1p', l1],
];
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
for (const [a, b] of [
  ['layers_1p', 'direct'],
  ['direct_clientproto', 'direct'],
  ['layers_1p', 'direct_clientproto'],
]) {
  const p = paired(res.get(a), res.get(b));
  console.log(`${a} / ${b}: median ${p.ratio.toFixed(2)} (${p.lo.toFixed(2)}..${p.hi.toFixed(2)})`);
}
await client.close();
await own.destroy();
child.kill();
process.exit(0);
