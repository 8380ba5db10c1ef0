// node --expose-gc tools/bench/rpc/layers-cpu.mjs: the invocation layers' own CPU per call, in-process, over a
// protocol whose invoker answers at once (no bytes, no network): direct proxy vs layered reference (1 and 3 URLs).
import { DubboClient, DubboUrl } from '@dubbo-ts/dubbo';
import { createProxy } from '@dubbo-ts/dubbo/extension';
import { EchoDescriptor } from './services.mjs';
import { registerStubProtocol, StubInvoker } from './stub-protocol.mjs';

registerStubProtocol();
const name = EchoDescriptor.interfaceName;
const direct = createProxy(EchoDescriptor, new StubInvoker(DubboUrl.valueOf(`fake://127.0.0.1:1/${name}`)), {
  path: name,
  interfaceName: name,
  group: '',
  version: '',
  attachments: { 'remote.application': 'x' },
  filters: [],
});
const client = new DubboClient({ timeout: 10_000 });
const l1 = client.reference(EchoDescriptor, { url: 'fake://127.0.0.1:1' });
const l3 = client.reference(EchoDescriptor, { url: 'fake://127.0.0.1:1;fake://127.0.0.1:2;fake://127.0.0.1:3' });
async function measure(ref, n) {
  globalThis.gc?.();
  const t0 = performance.now();
  for (let i = 0; i < n; i += 100) {
    const ps = [];
    for (let k = 0; k < 100; k++) ps.push(ref.echo('x'));
    await Promise.all(ps);
  }
  return ((performance.now() - t0) * 1e6) / n;
}
const all = { direct, layers_1p: l1, layers_3p: l3 };
// `node --expose-gc layers-cpu.mjs [variant...]`: only those (for a profile of one).
const only = process.argv.slice(2);
const variants = Object.fromEntries(Object.entries(all).filter(([k]) => only.length === 0 || only.includes(k)));
for (const r of Object.values(variants)) await measure(r, 200_000);
const res = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < 7; round++)
  for (const [k, r] of Object.entries(variants)) res[k].push(await measure(r, 200_000));
for (const [k, xs] of Object.entries(res))
  console.log(
    `${k}: ${Math.min(...xs).toFixed(0)} ns/call (min of 7), median ${xs.sort((a, b) => a - b)[3].toFixed(0)}`,
  );
await client.close();
process.exit(0);
