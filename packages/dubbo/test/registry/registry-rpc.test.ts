// Calls through registries: TS provider -> ZooKeeper / etcd -> TS consumer, and the Java GreeterProvider found in
// ZooKeeper by a TS consumer. The directory follows providers as they come and go.
import {
  createRegistry,
  DubboServer,
  defineService,
  type EtcdRegistry,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
  type ZookeeperRegistry,
} from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { etcdAddress, unique, zookeeperAddress } from '../support/services.js';
import { until } from './registry-helpers.js';

registerBuiltinRegistries();

interface Greeter {
  greet(name: string): string;
}
const GreeterDescriptor = defineService<Greeter>({
  interfaceName: 'org.apache.dubbo.interop.GreeterService',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function startProvider(registry: Registry, name: string, group: string) {
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(GreeterDescriptor, { greet: (who: string) => `hi ${who} from ${name}` }, { group });
  await server.listen();
  const registration = await registerServer(server, { registry, parameters: { application: `ts-${name}` } });
  cleanups.push(() => server.close(200));
  cleanups.push(() => registration.unregister());
  return { server, registration };
}

const registries: [string, () => Registry][] = [
  ['zookeeper', () => createRegistry(`zookeeper://${zookeeperAddress()}?session=4000`) as ZookeeperRegistry],
  ['etcd', () => createRegistry(`etcd://${etcdAddress()}?session=4000`) as EtcdRegistry],
];

describe.each(registries)('TS provider and TS consumer through %s', (_name, open) => {
  it('calls a provider found in the registry, follows providers as they come and go, and unregisters on shutdown', async () => {
    const group = `g${unique().replace(/-/g, '')}`; // isolates this run's providers
    const providerRegistry = open();
    const consumerRegistry = open();
    cleanups.push(
      () => consumerRegistry.destroy(),
      () => providerRegistry.destroy(),
    );

    // The reference exists before any provider: its first call waits (bounded) for the first list.
    const ref = referenceFromRegistry(GreeterDescriptor, { registry: consumerRegistry, group, waitMs: 10_000 });
    cleanups.push(() => ref.destroy());
    const pending = ref.proxy.greet('early');
    const a = await startProvider(providerRegistry, 'a', group);
    expect(await pending).toBe('hi early from a');

    const b = await startProvider(providerRegistry, 'b', group);
    await until(() => ref.directory.size === 2 && ref.directory.providers.every((p) => p.isAvailable()));
    // Random balancing: both providers answer (10 calls left both seen only with probability 1 - 2^-9: a run on a
    // busy CI machine drew b ten times; up to 200 calls make a miss a real fault, not chance).
    const seen = new Set<string>();
    for (let i = 0; i < 200 && seen.size < 2; i++) seen.add(await ref.proxy.greet('x'));
    expect(seen).toEqual(new Set(['hi x from a', 'hi x from b']));

    // Graceful shutdown of b: unregister first; consumers drop it, calls already sent to it are answered, and only
    // then does b close. No call fails meanwhile.
    const calls = Array.from({ length: 20 }, () => ref.proxy.greet('y'));
    await b.registration.unregister();
    await until(() => ref.directory.size === 1);
    const settled = await Promise.allSettled(calls);
    await b.server.close(200);
    for (let i = 0; i < 10; i++) expect(await ref.proxy.greet('z')).toBe('hi z from a');
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(a.server.port).toBeGreaterThan(0);

    // A reference with no provider fails after its wait with a typed error.
    const none = referenceFromRegistry(GreeterDescriptor, {
      registry: consumerRegistry,
      group: `${group}none`,
      waitMs: 300,
    });
    cleanups.push(() => none.destroy());
    await expect(none.proxy.greet('q')).rejects.toMatchObject({ code: 'DUBBO_ERR_NO_PROVIDER' });
  }, 60_000);
});

describe('Java provider found in ZooKeeper by a TS consumer', () => {
  it('calls the Java GreeterProvider discovered at interface level', async () => {
    const registry = open0();
    cleanups.push(() => registry.destroy());
    const ref = referenceFromRegistry(GreeterDescriptor, { registry, waitMs: 10_000, timeout: 5000 });
    cleanups.push(() => ref.destroy());
    expect(await ref.proxy.greet('dubbo-ts')).toBe('Hello dubbo-ts, from Java Dubbo');
    expect(ref.directory.providers.some((p) => p.url.getParameter('application') === 'dubbo-ts-interop-greeter')).toBe(
      true,
    );
  }, 30_000);
});

describe('Java provider found in ZooKeeper by a TS consumer in the default mode', () => {
  it('calls the Java GreeterProvider with a plain zookeeper:// registry (APPLICATION_FIRST, both levels read)', async () => {
    const registry = createRegistry(`zookeeper://${zookeeperAddress()}`);
    cleanups.push(() => registry.destroy());
    expect(registry.applicationLevel?.()).toBeDefined();
    const ref = referenceFromRegistry(GreeterDescriptor, { registry, waitMs: 15_000, timeout: 5000 });
    cleanups.push(() => ref.destroy());
    expect(await ref.proxy.greet('default')).toBe('Hello default, from Java Dubbo');
  }, 30_000);
});

function open0(): Registry {
  // About interface level: explicit, since a plain URL's consumers default to APPLICATION_FIRST.
  return createRegistry(`zookeeper://${zookeeperAddress()}?migration=FORCE_INTERFACE`);
}
