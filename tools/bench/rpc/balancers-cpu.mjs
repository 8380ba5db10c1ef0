// node --expose-gc tools/bench/rpc/balancers-cpu.mjs: each balancer's own CPU per call over ten providers,
// in-process, through a reference over a protocol whose invoker answers at once (no bytes, no network).
import { DubboClient } from '@dubbo-ts/dubbo';
import { BALANCERS } from './balancers.mjs';
import { EchoDescriptor } from './services.mjs';
import { registerStubProtocol } from './stub-protocol.mjs';

registerStubProtocol();
const url = Array.from({ length: 10 }, (_, i) => `fake://127.0.0.1:${1000 + i}`).join(';');
const client = new DubboClient({ timeout: 10_000 });
// `node --expose-gc balancers-cpu.mjs [balancer...]`: only those (for a profile of one).
const only = process.argv.slice(2);
const refs = Object.fromEntries(
  ['random', ...BALANCERS]
    .filter((lb) => only.length === 0 || only.includes(lb))
    .map((lb) => [lb, client.reference(EchoDescriptor, { url, loadbalance: lb })]),
);
async function measure(ref, n) {
  globalThis.gc?.();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 32) {
    const ps = [];
    for (let k = 0; k < 32; k++) ps.push(ref.echo('x'));
    await Promise.all(ps);
  }
  return ((performance.now() - t0) * 1e6) / n;
}
for (const r of Object.values(refs)) await measure(r, 100_000);
const res = Object.fromEntries(Object.keys(refs).map((k) => [k, []]));
for (let round = 0; round < (only.length ? 30 : 7); round++)
  for (const [k, r] of Object.entries(refs)) res[k].push(await measure(r, 100_000));
for (const [k, xs] of Object.entries(res)) console.log(`${k}: ${Math.min(...xs).toFixed(0)} ns/call (min of 7)`);
await client.close();
process.exit(0);
