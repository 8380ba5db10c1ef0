// A provider process killed (SIGKILL: no unregister): the consumer stops using it at once (its connection closed)
// and drops it from the directory within the session timeout / lease TTL; calls meanwhile go to the live provider.
// The provider processes run the built package (pnpm build first, as CI does).
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createRegistry,
  defineService,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
} from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { etcdAddress, unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();
const fixture = fileURLToPath(new URL('./fixtures/provider-process.mjs', import.meta.url));

interface Greeter {
  greet(name: string): string;
}
const GreeterDescriptor = defineService<Greeter>({
  interfaceName: 'org.apache.dubbo.interop.GreeterService',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

function startProvider(
  registryUrl: string,
  group: string,
  name: string,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fixture, registryUrl, group, name], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`provider ${name} not ready: ${err}`)), 30_000);
    child.stderr?.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`provider ${name} exited ${code}: ${err}`));
    });
  });
}

const cases: [string, string, number][] = [
  ['zookeeper', `zookeeper://${zookeeperAddress()}?session=4000`, 4000],
  ['etcd', `etcd://${etcdAddress()}?session=4000`, 4000],
];

describe.each(cases)('a provider process killed, with %s', (kind, registryUrl, ttlMs) => {
  it('is no longer called once its connection closes, and leaves the directory within the session/lease', async () => {
    const group = `g${unique().replace(/-/g, '')}`;
    const a = await startProvider(registryUrl, group, 'a');
    const b = await startProvider(registryUrl, group, 'b');
    const registry: Registry = createRegistry(registryUrl);
    cleanups.push(() => registry.destroy());
    const ref = referenceFromRegistry(GreeterDescriptor, { registry, group, waitMs: 10_000 });
    cleanups.push(() => ref.destroy());
    const deadline = Date.now() + 15_000;
    while (!(ref.directory.size === 2 && ref.directory.providers.every((p) => p.isAvailable()))) {
      if (Date.now() > deadline) throw new Error('two connected providers expected');
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = new Set<string>();
    for (let i = 0; i < 10; i++) before.add(await ref.proxy.greet('x'));
    expect(before).toEqual(new Set(['hi x from a', 'hi x from b']));

    const t0 = performance.now();
    const exited = new Promise((r) => b.child.once('exit', r));
    b.child.kill('SIGKILL');
    await exited;
    const bInvoker = ref.directory.providers.find((p) => p.url.port === b.port);
    while (bInvoker?.isAvailable()) await new Promise((r) => setTimeout(r, 5));
    // From here on every call goes to a, although b is still listed until its session / lease ends.
    const results: string[] = [];
    while (ref.directory.size === 2) {
      results.push(await ref.proxy.greet('y'));
      await new Promise((r) => setTimeout(r, 2)); // a steady trickle, not a flood
      if (performance.now() - t0 > ttlMs * 4) throw new Error('killed provider still listed');
    }
    const dropped = performance.now() - t0;
    console.log(
      `KILL ${kind}: provider dropped from the directory ${dropped.toFixed(0)} ms after SIGKILL (session/TTL ${ttlMs} ms); ${results.length} calls meanwhile, all to the live provider`,
    );
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results)).toEqual(new Set(['hi y from a']));
    expect(ref.directory.providers.map((p) => p.url.port)).toEqual([a.port]);
  }, 60_000);
});
