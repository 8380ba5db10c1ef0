// A provider on an IPv6 literal, as a real Java Dubbo 3.3 provider registers it: the InteropProvider started with
// DUBBO_IP_TO_REGISTRY=::ffff:127.0.0.1 writes `dubbo://[::ffff:127.0.0.1]:PORT/...` at interface level and, Java
// 3.3's default register mode being `all`, an application instance with address `[::ffff:127.0.0.1]` (brackets
// included, as curator-x-discovery writes it). The test rewrites no host: a TS consumer calls the provider found at
// interface level, found at application level (which first calls the instance's MetadataService on that host), and
// referred to directly by the bracketed literal and by the rewritten 127.0.0.1. And two or three references through one
// DubboClient to one TS provider on [::1] share one connection, as the provider sees it too.
import {
  createRegistry,
  DubboClient,
  DubboServer,
  type Filter,
  type Reference,
  type Registry,
  registerBuiltinRegistries,
  ServiceDiscoveryRegistry,
} from '@dubbo-ts/dubbo';
import { type DubboProtocol, ZookeeperServiceDiscovery } from '@dubbo-ts/dubbo/extension';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../registry/registry-helpers.js';
import { type InteropService, InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { makePerson, registerInteropTypes } from '../support/interop-types.js';
import { type PeerProvider, startJavaProvider } from '../support/peers.js';
import { unique, zookeeperAddress } from '../support/services.js';
import { UserServiceDescriptor, userServiceImpl } from '../support/user-service.js';

registerBuiltinRegistries();
registerInteropTypes();

const MAPPED = '::ffff:127.0.0.1';

describe('a Java 3.3 provider registered with DUBBO_IP_TO_REGISTRY=::ffff:127.0.0.1', () => {
  const group = `ipv6${unique().replace(/-/g, '')}`;
  const zk = `zookeeper://${zookeeperAddress()}`;
  let java: PeerProvider | undefined;
  const registries: Registry[] = [];
  const clients: DubboClient[] = [];

  beforeAll(async () => {
    java = await startJavaProvider({ registry: zk, group, env: { DUBBO_IP_TO_REGISTRY: MAPPED } });
  }, 150_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(registries.map((r) => r.destroy().catch(() => {})));
    await java?.stop();
  }, 60_000);

  function client(): DubboClient {
    const c = new DubboClient({ application: 'dubbo-ts-ipv6-test' });
    clients.push(c);
    return c;
  }
  function registry(mode: 'FORCE_INTERFACE' | 'FORCE_APPLICATION'): Registry {
    const r = createRegistry(`${zk}?migration=${mode}`);
    registries.push(r);
    return r;
  }
  /** A few calls of different shapes, each checked. */
  async function callsWork(proxy: InteropService): Promise<void> {
    expect(await proxy.echoString('héllo [::ffff:127.0.0.1]')).toBe('héllo [::ffff:127.0.0.1]');
    expect(await proxy.echoInt(-262144)).toBe(-262144);
    expect(await proxy.makePerson('Ada', 36)).toEqual(makePerson('Ada', 36));
  }
  async function listed(ref: Reference<InteropService>): Promise<void> {
    await until(() => ref.directory.providers.some((p) => p.url.port === java!.port && p.isAvailable()), 30_000);
  }

  it('is called when found at interface level (registry ?migration=FORCE_INTERFACE)', async () => {
    const c = client();
    const ref = c.refer(InteropServiceDescriptor, { registry: registry('FORCE_INTERFACE'), group, waitMs: 15_000 });
    await listed(ref);
    expect(ref.directory.providers.map((p) => p.url.address)).toEqual([`[${MAPPED}]:${java!.port}`]);
    expect(ref.directory.providers[0]!.url.getParameter('timestamp')).toMatch(/^\d+$/); // as registered by Java
    await callsWork(ref.proxy);
    expect(c.isConnected(`[${MAPPED}]`, java!.port)).toBe(true);
    expect(c.isConnected(MAPPED, java!.port)).toBe(true);
    expect((c.protocol() as DubboProtocol).connectionCount).toBe(1);
  }, 60_000);

  it('is called when found at application level (?migration=FORCE_APPLICATION: MetadataService on the IPv6 host)', async () => {
    // Java's instance node: address (and id) with the brackets.
    const discovery = new ZookeeperServiceDiscovery(createRegistry(zk).url);
    try {
      const instances = await discovery.getInstances('dubbo-ts-interop-provider');
      expect(instances.find((i) => i.port === java!.port)?.host).toBe(`[${MAPPED}]`);
    } finally {
      await discovery.close();
    }
    const c = client();
    const appLevel = registry('FORCE_APPLICATION');
    expect(appLevel).toBeInstanceOf(ServiceDiscoveryRegistry);
    const ref = c.refer(InteropServiceDescriptor, { registry: appLevel, group, waitMs: 15_000 });
    await listed(ref);
    const mine = ref.directory.providers.filter((p) => p.url.port === java!.port);
    // Built from the instance and the metadata its MetadataService answered (no per-process keys like timestamp).
    expect(mine.map((p) => p.url.host)).toEqual([`[${MAPPED}]`]);
    expect(mine[0]!.url.getParameter('timestamp')).toBeUndefined();
    expect(mine[0]!.url.getParameter('application')).toBe('dubbo-ts-interop-provider');
    expect(mine[0]!.url.path).toBe('org.apache.dubbo.interop.service.InteropService');
    await callsWork(ref.proxy);
    // The MetadataService call and the service calls went to one address, over the client's pooled connection.
    expect(c.isConnected(MAPPED, java!.port)).toBe(true);
    expect((c.protocol() as DubboProtocol).connectionCount).toBe(1);
  }, 60_000);

  it.each([
    ['the bracketed literal', () => `dubbo://[${MAPPED}]:${java!.port}`, MAPPED],
    ['the rewritten 127.0.0.1', () => `dubbo://127.0.0.1:${java!.port}`, '127.0.0.1'],
  ])(
    'is called by a direct reference to %s',
    async (_name, url, host) => {
      const c = client();
      const proxy = c.reference(InteropServiceDescriptor, { url: url(), group });
      await callsWork(proxy);
      expect(c.isConnected(host, java!.port)).toBe(true);
      expect((c.protocol() as DubboProtocol).connectionCount).toBe(1);
    },
    60_000,
  );
});

describe('references through one DubboClient to one TS provider on [::1]', () => {
  let server: DubboServer | undefined;
  const seen = new Set<string>();
  const record: Filter = (next) => (inv) => {
    seen.add(inv.remoteAddress);
    return next(inv);
  };

  beforeAll(async () => {
    server = new DubboServer({ host: '::1', port: 0, filters: [record] });
    server.export(InteropServiceDescriptor, interopServiceImpl);
    server.export(UserServiceDescriptor, userServiceImpl);
    await server.listen();
  });

  afterAll(async () => {
    await server?.close(1000);
  });

  it('share one connection: two services and the same service twice (connectionCount 1, one peer address seen)', async () => {
    const c = new DubboClient();
    try {
      const url = `dubbo://[::1]:${server!.port}`;
      expect(server!.address).toBe(url);
      const interop = c.reference(InteropServiceDescriptor, { url });
      const again = c.reference(InteropServiceDescriptor, { url, timeout: 3000 });
      const users = c.reference(UserServiceDescriptor, { url });
      for (let i = 0; i < 20; i++) {
        const [a, b, u] = await Promise.all([interop.echoString(`a${i}`), again.echoInt(i), users.existUser('a9')]);
        expect([a, b, u]).toEqual([`a${i}`, i, true]);
      }
      const protocol = c.protocol() as DubboProtocol;
      expect(protocol.connectionCount).toBe(1);
      expect(c.isConnected('[::1]', server!.port)).toBe(true);
      expect(c.isConnected('::1', server!.port)).toBe(true);
      expect(seen.size, [...seen].join(', ')).toBe(1);
    } finally {
      await c.close();
    }
  }, 30_000);
});
