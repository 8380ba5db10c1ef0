// Application-level (Dubbo 3) discovery on the real ZooKeeper: Java's instance and mapping nodes, the TS consumer
// resolving the Java GreeterProvider through its MetadataService, a TS provider registered at application level, and
// instances updated in place (a new metadata revision) seen by watching consumers.
import {
  createRegistry,
  DubboServer,
  DubboUrl,
  defineService,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
  type ServiceDiscoveryRegistry,
} from '@dubbo-ts/dubbo';
import {
  formatZookeeperInstance,
  parseZookeeperInstance,
  type ServiceInstance,
  ZookeeperServiceDiscovery,
} from '@dubbo-ts/dubbo/extension';
import { afterEach, describe, expect, it } from 'vitest';
import { javaGreeterAddress, unique, zookeeperAddress } from '../support/services.js';
import { connectZookeeper, removeRecursive } from '../support/zookeeper.js';
import { until } from './registry-helpers.js';
import {
  findsServiceExportedLaterByNewRevision,
  type Greeter,
  greeter,
  instanceAtRevision,
  revisionOf,
} from './service-discovery-cases.js';

registerBuiltinRegistries();

const GreeterDescriptor = defineService<Greeter>({
  interfaceName: 'org.apache.dubbo.interop.GreeterService',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

const cleanups: (() => Promise<unknown>)[] = [];

/** A private namespace (mapping nodes are persistent), removed after the test. */
function privateNamespace(): string {
  const ns = `dubbo-ts-test/${unique()}`;
  cleanups.push(async () => {
    const raw = await connectZookeeper(zookeeperAddress());
    await removeRecursive(raw, `/${ns}`).catch(() => {});
    raw.close();
  });
  return ns;
}

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

  it('sees an instance updated in place (same host:port), also when it changes right after its data was read', async () => {
    const url = DubboUrl.valueOf(`zookeeper://${zookeeperAddress()}?session=10000&namespace=${privateNamespace()}`);
    const reader = new ZookeeperServiceDiscovery(url);
    const writer = new ZookeeperServiceDiscovery(url);
    cleanups.push(
      () => reader.close(),
      () => writer.close(),
    );
    const app = `dubbo-ts-updated-${unique()}`;
    const inst = instanceAtRevision(app, 31002, 'r1');
    const revised = (revision: string) => instanceAtRevision(app, 31002, revision);
    await writer.register(inst);
    // Deterministic: the instance is updated right after the reader's first read of its node answered, before the
    // reader goes on with that (now old) data.
    const conn = reader.connection;
    const realGetData = conn.getData.bind(conn);
    let injected = false;
    conn.getData = async (path, watcher) => {
      const data = await realGetData(path, watcher);
      if (!injected && path.endsWith(`/${app}/127.0.0.1:31002`)) {
        injected = true;
        await writer.update(revised('r2'));
      }
      return data;
    };
    const seen: ServiceInstance[][] = [];
    const stop = await reader.watchInstances(app, (list) => seen.push([...list]));
    cleanups.push(async () => stop());
    expect(injected).toBe(true);
    expect(revisionOf(seen[0])).toBe('r1'); // read before the update
    await until(() => revisionOf(seen.at(-1)) === 'r2', 20_000);
    // Each later update too: the data watch is armed again on every event.
    for (const revision of ['r3', 'r4', 'r5']) {
      await writer.update(revised(revision));
      await until(() => revisionOf(seen.at(-1)) === revision, 20_000);
    }
    expect(seen.at(-1)).toEqual([expect.objectContaining({ serviceName: app, host: '127.0.0.1', port: 31002 })]);
    // A second watcher of the same application gets the current data, not the first read's.
    const late: ServiceInstance[][] = [];
    const stopLate = await reader.watchInstances(app, (list) => late.push([...list]));
    cleanups.push(async () => stopLate());
    expect(revisionOf(late.at(-1))).toBe('r5');
    // Removal is still seen (child watch), and the instance coming back with new data.
    await writer.unregister(inst);
    await until(() => seen.at(-1)?.length === 0, 20_000);
    await writer.register(revised('r6'));
    await until(() => revisionOf(seen.at(-1)) === 'r6', 20_000);
  }, 60_000);

  it("finds a service the provider exports after the consumer subscribed, through the instance's new revision", async () => {
    const zk = `zookeeper://${zookeeperAddress()}?session=10000&namespace=${privateNamespace()}&registry-type=service`;
    const services = [greeter('RevisedFirst'), greeter('RevisedSecond')] as const;
    await findsServiceExportedLaterByNewRevision(zk, 'dubbo-ts-revised-app', services, cleanups);
  }, 60_000);
});
