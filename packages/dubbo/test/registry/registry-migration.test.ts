// Consumer migration (Java's MigrationInvoker): the APPLICATION_FIRST rule, the default mode of a plain
// zookeeper:// registry for consumers (APPLICATION_FIRST) and providers (register mode `all`), and FORCE_INTERFACE.
import {
  createRegistry,
  DubboServer,
  DubboUrl,
  defineService,
  EtcdRegistry,
  type NotifyListener,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
  ServiceDiscoveryRegistry,
  type ZookeeperRegistry,
} from '@dubbo-ts/dubbo';
import {
  consumerView,
  EtcdServiceDiscovery,
  MigrationRegistry,
  preferApplicationLevel,
} from '@dubbo-ts/dubbo/extension';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { etcdAddress, unique, zookeeperAddress } from '../support/services.js';
import { connectZookeeper, removeRecursive } from '../support/zookeeper.js';
import { consumerUrl, providerUrl, RecordingListener } from './registry-helpers.js';

registerBuiltinRegistries();

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** A registry whose subscribers are fed by the test. */
class FakeRegistry implements Registry {
  readonly url = DubboUrl.valueOf('fake://127.0.0.1:1');
  listener: NotifyListener | undefined;
  failSubscribe = false;
  constructor(private readonly level: string) {}
  isAvailable(): boolean {
    return true;
  }
  async register(): Promise<void> {}
  async unregister(): Promise<void> {}
  async subscribe(_url: DubboUrl, listener: NotifyListener): Promise<void> {
    if (this.failSubscribe) throw new Error('unreachable');
    this.listener = listener;
  }
  async unsubscribe(): Promise<void> {
    this.listener = undefined;
  }
  async lookup(): Promise<DubboUrl[]> {
    return [];
  }
  async destroy(): Promise<void> {}
  push(ports: number[]): void {
    const urls = ports.map((p) => providerUrl('org.apache.dubbo.tstest.Mig', p, { level: this.level }));
    this.listener?.notify(urls, { added: urls, removed: [] });
  }
}

const ports = (l: RecordingListener) => l.urls.map((u) => u.port).sort();
const levels = (l: RecordingListener) => [...new Set(l.urls.map((u) => u.getParameter('level')))];

describe('APPLICATION_FIRST', () => {
  it("follows Java's DefaultMigrationAddressComparator: application level when it has at least as many providers", () => {
    expect(preferApplicationLevel(0, 0)).toBe(false);
    expect(preferApplicationLevel(0, 3)).toBe(false);
    expect(preferApplicationLevel(2, 0)).toBe(true);
    expect(preferApplicationLevel(2, 2)).toBe(true);
    expect(preferApplicationLevel(3, 2)).toBe(true);
    expect(preferApplicationLevel(1, 2)).toBe(false);
    expect(preferApplicationLevel(1, 2, 0.5)).toBe(true);
  });

  it('waits for both levels, then switches between them as their lists change', async () => {
    const iface = new FakeRegistry('interface');
    const app = new FakeRegistry('application');
    const url = DubboUrl.valueOf('zookeeper://127.0.0.1:2181?timeout=60000');
    const m = new MigrationRegistry(url, iface, app, 'APPLICATION_FIRST');
    const l = new RecordingListener();
    await m.subscribe(consumerUrl('org.apache.dubbo.tstest.Mig'), l);
    app.push([]); // application level answers first, with nothing: no list yet (interface level not heard)
    expect(l.history).toHaveLength(0);
    iface.push([1, 2]);
    expect(ports(l)).toEqual([1, 2]);
    expect(levels(l)).toEqual(['interface']);
    app.push([1]); // fewer than interface level: interface level stays
    expect(levels(l)).toEqual(['interface']);
    app.push([1, 2]);
    expect(ports(l)).toEqual([1, 2]);
    expect(levels(l)).toEqual(['application']);
    iface.push([1, 2, 3]); // a provider at interface level only: interface level again
    expect(ports(l)).toEqual([1, 2, 3]);
    expect(levels(l)).toEqual(['interface']);
    app.push([]);
    iface.push([]);
    expect(ports(l)).toEqual([]);
    await m.unsubscribe(consumerUrl('org.apache.dubbo.tstest.Mig'), l);
    expect(iface.listener).toBeUndefined();
    expect(app.listener).toBeUndefined();
  });

  it('serves interface level at once when application level cannot be subscribed', async () => {
    const iface = new FakeRegistry('interface');
    const app = new FakeRegistry('application');
    app.failSubscribe = true;
    const m = new MigrationRegistry(
      DubboUrl.valueOf('zookeeper://127.0.0.1:2181?timeout=60000'),
      iface,
      app,
      'APPLICATION_FIRST',
    );
    const l = new RecordingListener();
    const done = m.subscribe(consumerUrl('org.apache.dubbo.tstest.Mig'), l);
    iface.push([7]);
    await done;
    expect(ports(l)).toEqual([7]);
  });
});

describe('default migration on a plain zookeeper:// registry', () => {
  const ns = `dubbo-ts-test/${unique()}`; // a private namespace: mapping nodes are persistent
  const zk = `zookeeper://${zookeeperAddress()}?session=10000&namespace=${ns}`;
  afterAll(async () => {
    const raw = await connectZookeeper(zookeeperAddress());
    await removeRecursive(raw, `/${ns}`).catch(() => {});
    raw.close();
  });

  const service = (name: string) =>
    defineService<{ greet(n: string): string }>({
      interfaceName: `org.apache.dubbo.tstest.${name}${unique().replace(/-/g, '')}`,
      methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
    });

  async function serve(svc: ReturnType<typeof service>, registry: Registry, registerMode?: 'interface' | 'instance') {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(svc, { greet: (n: string) => `${registerMode ?? 'default'} ${n}` });
    await server.listen();
    cleanups.push(() => server.close(100));
    const registration = await registerServer(server, { registry, registerMode, application: 'dubbo-ts-mig-app' });
    cleanups.push(() => registration.unregister());
    return registration;
  }

  function open(params = ''): Registry {
    const r = createRegistry(`${zk}${params}`);
    cleanups.push(() => r.destroy());
    return r;
  }

  it('providers register at both levels by default; consumers find instance-only and interface-only providers', async () => {
    const providerRegistry = open() as ZookeeperRegistry;
    expect(providerRegistry.applicationLevel()).toBeDefined();
    const both = service('MigBoth');
    const registration = await serve(both, providerRegistry);
    expect(registration.urls).toHaveLength(1); // interface level
    expect(registration.instance?.serviceName).toBe('dubbo-ts-mig-app'); // and application level (`all`)

    const instanceOnly = service('MigInstance');
    await serve(instanceOnly, providerRegistry, 'instance');
    const interfaceOnly = service('MigInterface');
    await serve(interfaceOnly, providerRegistry, 'interface');

    const consumerRegistry = open();
    for (const [svc, reply] of [
      [both, 'default'],
      [instanceOnly, 'instance'],
      [interfaceOnly, 'interface'],
    ] as const) {
      const ref = referenceFromRegistry(svc, { registry: consumerRegistry, waitMs: 15_000 });
      cleanups.push(() => ref.destroy());
      expect(await ref.proxy.greet('x')).toBe(`${reply} x`);
    }

    // FORCE_INTERFACE keeps the old behaviour: the instance-only provider is not seen.
    const old = open('&migration=FORCE_INTERFACE');
    const none = referenceFromRegistry(instanceOnly, { registry: old, waitMs: 1000 });
    cleanups.push(() => none.destroy());
    await expect(none.proxy.greet('q')).rejects.toMatchObject({ code: 'DUBBO_ERR_NO_PROVIDER' });
  }, 60_000);

  it('register-mode=interface on the registry URL keeps a provider at interface level', async () => {
    const registry = open('&register-mode=interface');
    const registration = await serve(service('MigUrlMode'), registry);
    expect(registration.instance).toBeUndefined();
    expect(registration.urls).toHaveLength(1);
  }, 30_000);
});

describe('etcd registry URLs (wired as zookeeper)', () => {
  it('selects interface level, application level or both by registry-type and migration', async () => {
    const at = `etcd://${etcdAddress()}`;
    const open = (params: string) => {
      const r = createRegistry(params === '' ? at : `${at}?${params.slice(1)}`);
      cleanups.push(() => r.destroy());
      return r;
    };
    const plain = open('');
    expect(plain).toBeInstanceOf(EtcdRegistry);
    expect(plain.applicationLevel?.()?.discovery).toBeInstanceOf(EtcdServiceDiscovery);
    const view = consumerView(plain);
    expect(view).toBeInstanceOf(MigrationRegistry);
    expect((view as MigrationRegistry).mode).toBe('APPLICATION_FIRST');

    const service = open('&registry-type=service');
    expect(service).toBeInstanceOf(ServiceDiscoveryRegistry);
    expect((service as ServiceDiscoveryRegistry).discovery).toBeInstanceOf(EtcdServiceDiscovery);
    expect(consumerView(service)).toBe(service);

    const forced = open('&migration=FORCE_INTERFACE');
    expect(forced).toBeInstanceOf(EtcdRegistry);
    expect(forced.applicationLevel?.()).toBeUndefined();
    expect(consumerView(forced)).toBe(forced);

    expect(open('&migration=FORCE_APPLICATION')).toBeInstanceOf(ServiceDiscoveryRegistry);
    const first = open('&migration=application_first');
    expect(first).toBeInstanceOf(MigrationRegistry);
    expect(consumerView(first)).toBe(first); // the URL names its mode: used as it is
    const v3 = createRegistry(`etcdv3://${etcdAddress()}`);
    cleanups.push(() => v3.destroy());
    expect(v3).toBeInstanceOf(EtcdRegistry);
    expect(() => createRegistry(`${at}?migration=SOMETIMES`)).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_INVALID_ARG' }),
    );
  });
});
