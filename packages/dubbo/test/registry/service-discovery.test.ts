// Application-level (Dubbo 3) discovery on the real ZooKeeper: Java's instance and mapping nodes, the TS consumer
// resolving the Java GreeterProvider through its MetadataService, and a TS provider registered at application level.
import {
  createRegistry,
  DubboServer,
  DubboUrl,
  defineService,
  formatZookeeperInstance,
  parseZookeeperInstance,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
  type ServiceDiscoveryRegistry,
  ZookeeperServiceDiscovery,
} from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { javaGreeterAddress, unique, zookeeperAddress } from '../support/services.js';
import { connectZookeeper, removeRecursive } from '../support/zookeeper.js';

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

describe('application-level discovery (ZooKeeper)', () => {
  it("reads the Java GreeterProvider's instance node and the interface -> application mapping", async () => {
    const discovery = new ZookeeperServiceDiscovery(createRegistry(`zookeeper://${zookeeperAddress()}`).url);
    cleanups.push(() => discovery.close());
    expect(await discovery.getMapping('org.apache.dubbo.interop.GreeterService')).toContain('dubbo-ts-interop-greeter');
    const instances = await discovery.getInstances('dubbo-ts-interop-greeter');
    const [host, port] = javaGreeterAddress().split(':');
    const inst = instances.find((i) => i.port === Number(port));
    expect(inst?.host).toBe(host);
    expect(inst?.metadata['dubbo.metadata.revision']).toMatch(/^[0-9a-f]{32}$/);
    expect(inst?.metadata['dubbo.metadata.storage-type']).toBe('local');
    expect(JSON.parse(inst?.metadata['dubbo.endpoints'] ?? '[]')).toEqual([{ port: Number(port), protocol: 'dubbo' }]);
    // Our writer produces the same document Java's does.
    const again = parseZookeeperInstance(formatZookeeperInstance(inst as never));
    expect(again).toEqual(inst);
  });

  it('calls the Java GreeterProvider found at application level (mapping -> instances -> MetadataService)', async () => {
    const registry = createRegistry(`zookeeper://${zookeeperAddress()}?registry-type=service`);
    cleanups.push(() => registry.destroy());
    const ref = referenceFromRegistry(GreeterDescriptor, { registry, waitMs: 15_000, timeout: 5000 });
    cleanups.push(() => ref.destroy());
    expect(await ref.proxy.greet('app-level')).toBe('Hello app-level, from Java Dubbo');
    const p = ref.directory.providers.find((x) => x.url.address === javaGreeterAddress());
    expect(p?.url.getParameter('application')).toBe('dubbo-ts-interop-greeter');
    expect(p?.url.path).toBe('org.apache.dubbo.interop.GreeterService');
  }, 30_000);

  it('registers a TS provider at application level (instance, mapping, MetadataService) that a TS consumer calls', async () => {
    const app = 'dubbo-ts-registry-test-ts'; // fixed: the interface -> application mapping is persistent
    const group = `g${unique().replace(/-/g, '')}`;
    const zk = `zookeeper://${zookeeperAddress()}?session=10000`;
    const discoveryRegistry = createRegistry(`${zk}&registry-type=service`) as ServiceDiscoveryRegistry;
    const interfaceRegistry: Registry = createRegistry(zk);
    cleanups.push(
      () => discoveryRegistry.destroy(),
      () => interfaceRegistry.destroy(),
    );
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(GreeterDescriptor, { greet: (n: string) => `ts hi ${n}` }, { group });
    await server.listen();
    cleanups.push(() => server.close(200));
    const registration = await registerServer(server, {
      registry: interfaceRegistry,
      discovery: discoveryRegistry.discovery,
      registerMode: 'instance',
      application: app,
    });
    cleanups.push(() => registration.unregister());
    expect(registration.urls).toEqual([]); // instance mode: nothing at interface level
    expect(await discoveryRegistry.discovery.getMapping('org.apache.dubbo.interop.GreeterService')).toContain(app);

    const consumerRegistry = createRegistry(`${zk}&migration=FORCE_APPLICATION`);
    cleanups.push(() => consumerRegistry.destroy());
    const ref = referenceFromRegistry(GreeterDescriptor, { registry: consumerRegistry, group, waitMs: 15_000 });
    cleanups.push(() => ref.destroy());
    expect(await ref.proxy.greet('x')).toBe('ts hi x');
    expect(ref.directory.providers.map((p) => p.url.port)).toEqual([server.port]);
  }, 30_000);

  it('sees a mapping written between the read that found none and the watch', async () => {
    const ns = `dubbo-ts-test/${unique()}`;
    const url = DubboUrl.valueOf(`zookeeper://${zookeeperAddress()}?session=10000&namespace=${ns}`);
    const consumer = new ZookeeperServiceDiscovery(url);
    const writer = new ZookeeperServiceDiscovery(url);
    cleanups.push(
      () => consumer.close(),
      () => writer.close(),
      async () => {
        const raw = await connectZookeeper(zookeeperAddress());
        await removeRecursive(raw, `/${ns}`).catch(() => {});
        raw.close();
      },
    );
    const iface = `org.apache.dubbo.tstest.Gap${unique().replace(/-/g, '')}`;
    // Deterministic: the mapping is written right after the consumer's first read of it answered "no node".
    const conn = consumer.connection;
    const realGetData = conn.getData.bind(conn);
    let injected = false;
    conn.getData = async (path, watcher) => {
      const data = await realGetData(path, watcher);
      if (!injected && path.endsWith(`/${iface}`)) {
        injected = true;
        await writer.addMapping(iface, 'dubbo-ts-gap-app');
      }
      return data;
    };
    const seen: string[][] = [];
    let found = () => {};
    const gotApp = new Promise<void>((resolve) => {
      found = resolve;
    });
    const stop = await consumer.watchMapping(iface, (apps) => {
      seen.push(apps);
      if (apps.includes('dubbo-ts-gap-app')) found();
    });
    cleanups.push(async () => stop());
    expect(injected).toBe(true);
    const timedOut = await Promise.race([
      gotApp.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 30_000)),
    ]);
    expect(timedOut).toBe(false);
    expect(seen.at(-1)).toEqual(['dubbo-ts-gap-app']);
  }, 60_000);

  it('picks up an application that starts providing the interface after the consumer subscribed (mapping watched)', async () => {
    const ns = `dubbo-ts-test/${unique()}`; // a private namespace: mapping nodes are persistent
    const zk = `zookeeper://${zookeeperAddress()}?session=10000&namespace=${ns}`;
    const Late = defineService<Greeter>({
      interfaceName: `org.apache.dubbo.tstest.Late${unique().replace(/-/g, '')}`,
      methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
    });
    const consumerRegistry = createRegistry(`${zk}&registry-type=service`);
    cleanups.push(() => consumerRegistry.destroy());
    const ref = referenceFromRegistry(Late, { registry: consumerRegistry, waitMs: 15_000 });
    cleanups.push(() => ref.destroy());
    const call = ref.proxy.greet('late'); // waits for the first provider

    const providerRegistry = createRegistry(`${zk}&registry-type=service`) as ServiceDiscoveryRegistry;
    cleanups.push(() => providerRegistry.destroy());
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(Late, { greet: (n: string) => `late hi ${n}` });
    await server.listen();
    cleanups.push(() => server.close(100));
    const registration = await registerServer(server, {
      registry: [],
      discovery: providerRegistry.discovery,
      registerMode: 'instance',
      application: 'dubbo-ts-late-app',
    });
    cleanups.push(() => registration.unregister());
    expect(await call).toBe('late hi late');
    cleanups.push(async () => {
      const raw = await connectZookeeper(zookeeperAddress());
      await removeRecursive(raw, `/${ns.split('/')[0]}/${ns.split('/')[1]}`).catch(() => {});
      raw.close();
    });
  }, 30_000);
});
