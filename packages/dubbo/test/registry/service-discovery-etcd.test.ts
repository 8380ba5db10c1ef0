// Application-level (Dubbo 3) discovery on the real etcd: Java's instance keys (leased, Gson JSON), the
// interface -> application mapping key, a TS provider called by a TS consumer through instance + MetadataService,
// instances that go away (destroy, lease expiry), instances updated in place (a new metadata revision) and mappings
// that appear after the consumer subscribed.
import {
  createRegistry,
  DubboServer,
  DubboUrl,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
  type ServiceDiscoveryRegistry,
} from '@dubbo-ts/dubbo';
import {
  EtcdServiceDiscovery,
  formatEtcdInstance,
  parseEtcdInstance,
  type ServiceInstance,
} from '@dubbo-ts/dubbo/extension';
import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { etcdAddress, unique } from '../support/services.js';
import { consumerUrl, RecordingListener, until } from './registry-helpers.js';
import {
  findsServiceExportedLaterByNewRevision,
  greeter,
  instanceAtRevision,
  revisionOf,
} from './service-discovery-cases.js';
import { TcpProxy } from './tcp-proxy.js';

registerBuiltinRegistries();

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('application-level discovery (etcd)', () => {
  let raw: Etcd3;
  const ns = `dubbo-ts-test/${unique()}`; // a private namespace: mapping keys are persistent
  const base = (address = etcdAddress(), params = '') =>
    `etcd://${address}?retry-period=200&namespace=${ns}${params}${params.includes('session=') ? '' : '&session=4000'}`;

  beforeAll(() => {
    raw = new Etcd3({ hosts: `http://${etcdAddress()}` });
  });
  afterAll(async () => {
    await raw.delete().prefix(`/${ns}/`);
    raw.close();
  });

  async function provider(
    service: ReturnType<typeof greeter>,
    registry: Registry,
    app: string,
    options: { registerMode?: 'instance' | 'all'; reply?: string } = {},
  ) {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(service, { greet: (n: string) => `${options.reply ?? app} hi ${n}` });
    await server.listen();
    cleanups.push(() => server.close(100));
    const registration = await registerServer(server, {
      registry,
      application: app,
      registerMode: options.registerMode,
    });
    cleanups.push(() => registration.unregister());
    return { server, registration };
  }

  it("writes Java's instance key (leased, Gson JSON) and mapping key, and a FORCE_APPLICATION consumer calls the provider", async () => {
    const Svc = greeter('EtcdApp');
    const providerRegistry = createRegistry(base()); // plain URL: register mode `all` by default
    cleanups.push(() => providerRegistry.destroy());
    const { server, registration } = await provider(Svc, providerRegistry, 'dubbo-ts-etcd-app');
    expect(registration.urls).toHaveLength(1); // interface level too (`all`)

    const key = `/${ns}/services/dubbo-ts-etcd-app/127.0.0.1:${server.port}`;
    const kv = (await raw.get(key).exec()).kvs[0];
    expect(kv).toBeDefined();
    expect(kv?.lease).not.toBe('0'); // gone with the process
    const doc = JSON.parse(kv?.value.toString() ?? '{}');
    expect(Object.keys(doc)).toEqual(['serviceName', 'host', 'port', 'enabled', 'healthy', 'metadata']);
    expect(doc).toMatchObject({ serviceName: 'dubbo-ts-etcd-app', host: '127.0.0.1', port: server.port });
    expect(doc.metadata['dubbo.metadata.revision']).toBe(registration.metadata?.revision);
    expect(doc.metadata['dubbo.metadata.storage-type']).toBe('local');
    expect(parseEtcdInstance(formatEtcdInstance(parseEtcdInstance(kv?.value ?? '')))).toEqual(
      parseEtcdInstance(kv?.value ?? ''),
    );
    expect(await raw.get(`/${ns}/dubbo/mapping/${Svc.interfaceName}`).string()).toBe('dubbo-ts-etcd-app');
    // The interface-level key is there as well.
    expect(await raw.getAll().prefix(`/${ns}/dubbo/${Svc.interfaceName}/providers/`).keys()).toHaveLength(1);

    const consumerRegistry = createRegistry(base(etcdAddress(), '&migration=FORCE_APPLICATION'));
    cleanups.push(() => consumerRegistry.destroy());
    const ref = referenceFromRegistry(Svc, { registry: consumerRegistry, waitMs: 15_000 });
    cleanups.push(() => ref.destroy());
    expect(await ref.proxy.greet('x')).toBe('dubbo-ts-etcd-app hi x');
    const [p] = ref.directory.providers;
    expect(p?.url.port).toBe(server.port);
    expect(p?.url.getParameter('application')).toBe('dubbo-ts-etcd-app');
  }, 30_000);

  it('drops an instance whose provider destroyed its registry, and one whose lease expired (then it comes back)', async () => {
    const Svc = greeter('EtcdGone');
    const app = 'dubbo-ts-etcd-gone';
    const consumer = createRegistry(base(etcdAddress(), '&registry-type=service')) as ServiceDiscoveryRegistry;
    cleanups.push(() => consumer.destroy());
    const listener = new RecordingListener();
    await consumer.subscribe(consumerUrl(Svc.interfaceName), listener);

    const stay = createRegistry(base());
    const leaving = createRegistry(base());
    const proxy = new TcpProxy('127.0.0.1', Number(etcdAddress().split(':')[1]));
    await proxy.start();
    cleanups.push(() => proxy.close());
    const cutOff = createRegistry(base(proxy.address, '&session=3000&timeout=2000'));
    cleanups.push(
      () => stay.destroy(),
      () => leaving.destroy(),
      () => cutOff.destroy(),
    );
    const a = await provider(Svc, stay, app, { registerMode: 'instance' });
    const b = await provider(Svc, leaving, app, { registerMode: 'instance' });
    const c = await provider(Svc, cutOff, app, { registerMode: 'instance' });
    const all = [a, b, c].map((x) => `127.0.0.1:${x.server.port}`);
    await listener.waitForAddresses(all);

    await leaving.destroy(); // unregisters its instance
    await listener.waitForAddresses([all[0] as string, all[2] as string]);

    // c's keepalives cannot get through: etcd expires its lease (TTL 3 s) and deletes the instance key.
    proxy.cut();
    const t0 = performance.now();
    await listener.waitForAddresses([all[0] as string], 20_000);
    const tExpired = performance.now() - t0;
    proxy.restore(); // c's discovery grants a new lease and writes the instance again
    const t1 = performance.now();
    await listener.waitForAddresses([all[0] as string, all[2] as string], 30_000);
    console.log(
      `RECOVERY etcd instance lease expired (cut off, TTL 3 s) -> dropped by the consumer after ${tExpired.toFixed(0)} ms; back ${(performance.now() - t1).toFixed(0)} ms after the partition healed`,
    );
  }, 90_000);

  it('picks up a mapping added after the consumer subscribed (plain etcd URL: APPLICATION_FIRST)', async () => {
    const Svc = greeter('EtcdLate');
    const consumerRegistry = createRegistry(base());
    cleanups.push(() => consumerRegistry.destroy());
    const ref = referenceFromRegistry(Svc, { registry: consumerRegistry, waitMs: 15_000 });
    cleanups.push(() => ref.destroy());
    const call = ref.proxy.greet('late'); // waits for the first provider
    await ref.ready;

    const providerRegistry = createRegistry(base());
    cleanups.push(() => providerRegistry.destroy());
    // Instance only: nothing at interface level, so the consumer can find it only through the mapping.
    await provider(Svc, providerRegistry, 'dubbo-ts-etcd-late', { registerMode: 'instance' });
    expect(await call).toBe('dubbo-ts-etcd-late hi late');
  }, 30_000);

  it('sees an instance updated in place (same host:port) with its new data, each time', async () => {
    const url = DubboUrl.valueOf(base());
    const writer = new EtcdServiceDiscovery(url);
    const reader = new EtcdServiceDiscovery(url);
    cleanups.push(
      () => writer.close(),
      () => reader.close(),
    );
    const app = `dubbo-ts-etcd-updated-${unique()}`;
    const inst = instanceAtRevision(app, 31003, 'r1');
    const revised = (revision: string) => instanceAtRevision(app, 31003, revision);
    await writer.register(inst);
    const seen: ServiceInstance[][] = [];
    const stop = await reader.watchInstances(app, (list) => seen.push([...list]));
    cleanups.push(async () => stop());
    expect(revisionOf(seen.at(-1))).toBe('r1');
    for (const revision of ['r2', 'r3', 'r4']) {
      await writer.update(revised(revision));
      await until(() => revisionOf(seen.at(-1)) === revision);
    }
    expect(seen.at(-1)).toEqual([expect.objectContaining({ serviceName: app, host: '127.0.0.1', port: 31003 })]);
    expect(revisionOf(await reader.getInstances(app))).toBe('r4');
  }, 30_000);

  it("finds a service the provider exports after the consumer subscribed, through the instance's new revision", async () => {
    const url = base(etcdAddress(), '&registry-type=service');
    const app = `dubbo-ts-etcd-revised-${unique()}`;
    const services = [greeter('EtcdRevisedFirst'), greeter('EtcdRevisedSecond')] as const;
    await findsServiceExportedLaterByNewRevision(url, app, services, cleanups);
  }, 30_000);

  it('watches instances and mappings through the ServiceDiscovery interface, and writes them again after a lost lease', async () => {
    const url = DubboUrl.valueOf(base(etcdAddress(), '&session=3000'));
    const writer = new EtcdServiceDiscovery(url);
    const reader = new EtcdServiceDiscovery(url);
    cleanups.push(
      () => writer.close(),
      () => reader.close(),
    );
    const app = `dubbo-ts-etcd-watch-${unique()}`;
    const seen: ServiceInstance[][] = [];
    const stop = await reader.watchInstances(app, (list) => seen.push([...list]));
    cleanups.push(async () => stop());
    const apps: string[][] = [];
    const iface = `org.apache.dubbo.tstest.Map${unique().replace(/-/g, '')}`;
    const stopMapping = await reader.watchMapping(iface, (a) => apps.push(a));
    cleanups.push(async () => stopMapping());
    expect(apps).toEqual([[]]);

    const inst: ServiceInstance = { serviceName: app, host: '127.0.0.1', port: 31001, metadata: { k: 'v' } };
    await writer.register(inst);
    await writer.addMapping(iface, app);
    await writer.addMapping(iface, 'other-app');
    await until(() => seen.at(-1)?.length === 1 && apps.at(-1)?.length === 2);
    expect(seen.at(-1)?.[0]).toMatchObject({ serviceName: app, host: '127.0.0.1', port: 31001, metadata: { k: 'v' } });
    expect(apps.at(-1)).toEqual([app, 'other-app']);
    expect(await reader.getMapping(iface)).toEqual([app, 'other-app']);

    await writer.update({ ...inst, metadata: { k: 'v2' } });
    await until(() => seen.at(-1)?.[0]?.metadata.k === 'v2');

    // The lease is revoked behind the writer's back: the key goes, and the writer puts it back on a new lease.
    const before = await writer.leaseId();
    const mark = seen.length;
    await raw.leaseClient.leaseRevoke({ ID: before as string });
    await until(() => seen.slice(mark).some((l) => l.length === 0));
    await until(() => seen.at(-1)?.length === 1, 20_000);
    expect(await writer.leaseId()).not.toBe(before);
    expect((await reader.getInstances(app)).map((i) => i.metadata.k)).toEqual(['v2']);

    await writer.unregister(inst);
    await until(() => seen.at(-1)?.length === 0);
  }, 60_000);
});
