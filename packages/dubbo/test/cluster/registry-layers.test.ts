// The invocation layers over a real ZooKeeper: attachments set with RpcContext go with their own call when two calls
// through a registry reference are made back to back; a provider's registered settings reach its consumers under
// the reference's own; two references to one provider share one connection; IPv6 literals in brackets are called.
import {
  createRegistry,
  DubboClient,
  DubboServer,
  defineService,
  type Registry,
  RpcContext,
  type RpcInvocation,
  registerBuiltinRegistries,
  registerServer,
} from '@dubbo-ts/dubbo';
import type { DubboProtocol } from '@dubbo-ts/dubbo/extension';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../registry/registry-helpers.js';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();

interface Tagged {
  tag(): string;
  timeoutSeen(): string;
}
const TaggedDescriptor = defineService<Tagged>({
  interfaceName: 'org.apache.dubbo.tstest.Tagged',
  methods: {
    tag: { params: [], returns: 'java.lang.String' },
    timeoutSeen: { params: [], returns: 'java.lang.String' },
  },
});
interface Other {
  ping(): string;
}
const OtherDescriptor = defineService<Other>({
  interfaceName: 'org.apache.dubbo.tstest.Other',
  methods: { ping: { params: [], returns: 'java.lang.String' } },
});

interface Lister {
  names(): string[];
}
const ListerDescriptor = defineService<Lister>({
  interfaceName: 'org.apache.dubbo.tstest.Lister',
  methods: { names: { params: [], returns: 'java.util.List' } },
});

const impl = {
  tag: (inv: RpcInvocation) => String(inv.getAttachment('k') ?? 'none'),
  timeoutSeen: (inv: RpcInvocation) => String(inv.getAttachment('timeout')),
} as never;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

function zk(): Registry {
  const r = createRegistry(`zookeeper://${zookeeperAddress()}?migration=FORCE_INTERFACE`);
  cleanups.push(() => r.destroy());
  return r;
}

async function provider(group: string, parameters: Record<string, string> = {}, host = '127.0.0.1') {
  const server = new DubboServer({ host, port: 0 });
  server.export(TaggedDescriptor, impl, { group });
  await server.listen();
  cleanups.push(() => server.close(200));
  const registration = await registerServer(server, { registry: zk(), parameters });
  cleanups.push(() => registration.unregister());
  return server;
}

describe('invocation layers through ZooKeeper', () => {
  it('sends RpcContext attachments with the call they were set for, back to back (bug: they went to call 1)', async () => {
    const group = `g${unique().replace(/-/g, '')}`;
    await provider(group);
    await provider(group);
    const client = new DubboClient();
    cleanups.push(() => client.close());
    const ref = client.refer(TaggedDescriptor, { registry: zk(), group, waitMs: 15_000 });
    // Both calls are made before any provider list has arrived: the first waits for it, the second queues behind.
    RpcContext.setAttachment('k', 'one');
    const first = ref.proxy.tag();
    RpcContext.setAttachment('k', 'two');
    const second = ref.proxy.tag();
    const third = ref.proxy.tag();
    expect(await Promise.all([first, second, third])).toEqual(['one', 'two', 'none']);
  });

  it("carries a provider's registered timeout to its consumers, under the client's and the reference's", async () => {
    const group = `g${unique().replace(/-/g, '')}`;
    await provider(group, { timeout: '4000' });
    const plain = new DubboClient();
    const withDefault = new DubboClient({ timeout: 2500 });
    cleanups.push(
      () => plain.close(),
      () => withDefault.close(),
    );
    const registry = zk();
    const seen = (c: DubboClient, timeout?: number) =>
      c.reference(TaggedDescriptor, { registry, group, waitMs: 15_000, timeout }).timeoutSeen();
    expect(await seen(plain)).toBe('4000');
    expect(await seen(withDefault)).toBe('2500');
    expect(await seen(withDefault, 1500)).toBe('1500');
  });

  it('shares one connection between two references to one provider, direct and through the registry', async () => {
    const group = `g${unique().replace(/-/g, '')}`;
    const server = await provider(group);
    server.export(OtherDescriptor, { ping: () => 'pong' });
    const client = new DubboClient();
    cleanups.push(() => client.close());
    const viaRegistry = client.refer(TaggedDescriptor, { registry: zk(), group, waitMs: 15_000 });
    const direct = client.reference(OtherDescriptor, { url: server.address });
    expect(await viaRegistry.proxy.tag()).toBe('none');
    expect(await direct.ping()).toBe('pong');
    const protocol = client.protocol() as DubboProtocol;
    expect(protocol.connectionCount).toBe(1);
    expect(client.isConnected('127.0.0.1', server.port)).toBe(true);
    // The connection outlives the first reference to go, and closes with the last.
    await viaRegistry.destroy();
    expect(await direct.ping()).toBe('pong');
    expect(protocol.connectionCount).toBe(1);
  });

  it('calls a provider on an IPv6 literal: registered as dubbo://[::1]:PORT and referred to directly', async () => {
    const group = `g${unique().replace(/-/g, '')}`;
    const server = await provider(group, {}, '::1');
    const client = new DubboClient();
    cleanups.push(() => client.close());
    const direct = client.reference(TaggedDescriptor, { url: `dubbo://[::1]:${server.port}`, group });
    expect(await direct.tag()).toBe('none');
    const ref = client.refer(TaggedDescriptor, { registry: zk(), group, waitMs: 15_000 });
    await until(() => ref.directory.providers.length === 1);
    expect(ref.directory.providers[0]!.url.host).toBe('[::1]');
    expect(await ref.proxy.tag()).toBe('none');
    expect(client.isConnected('[::1]', server.port)).toBe(true);
    expect((client.protocol() as DubboProtocol).connectionCount).toBe(1); // one address, brackets or not
  });

  it('merges the answers of several groups (group list, merger=true), each provider called in its own group', async () => {
    const u = unique().replace(/-/g, '');
    const groups = [`a${u}`, `b${u}`];
    for (const [i, group] of groups.entries()) {
      const server = new DubboServer({ host: '127.0.0.1', port: 0 });
      server.export(ListerDescriptor, { names: () => [`from-${i}`] }, { group });
      await server.listen();
      cleanups.push(() => server.close(200));
      const registration = await registerServer(server, { registry: zk() });
      cleanups.push(() => registration.unregister());
    }
    const client = new DubboClient();
    cleanups.push(() => client.close());
    const registry = zk();
    const merged = client.refer(ListerDescriptor, {
      registry,
      group: groups.join(','),
      merger: 'true',
      waitMs: 15_000,
    });
    await until(() => merged.directory.providers.length === 2);
    expect([...(await merged.proxy.names())].sort()).toEqual(['from-0', 'from-1']);
    const one = client.refer(ListerDescriptor, { registry, group: groups.join(','), waitMs: 15_000 });
    await until(() => one.directory.providers.length === 2);
    expect(['from-0', 'from-1']).toContain((await one.proxy.names())[0]);
  });
});
