// The interface-level etcd registry against the real etcd 3.4.
import { createRegistry, DubboError, type EtcdRegistry, registerBuiltinRegistries } from '@dubbo-ts/dubbo';
import { urlPath } from '@dubbo-ts/dubbo/extension';
import { Etcd3 } from 'etcd3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTimeout } from '../../src/registry/etcd/etcd-session.js';
import { etcdAddress, unique } from '../support/services.js';
import { consumerUrl, holdsThousandProviders, providerUrl, RecordingListener, sleep } from './registry-helpers.js';

registerBuiltinRegistries();

describe('EtcdRegistry', () => {
  let raw: Etcd3;
  const opened: EtcdRegistry[] = [];
  const ns = `dubbo-ts-test/${unique()}`;
  const iface = (name: string) => `org.apache.dubbo.tstest.${name}${unique().replace(/-/g, '')}`;

  function open(params = ''): EtcdRegistry {
    const r = createRegistry(`etcd://${etcdAddress()}?session=4000&retry-period=200&namespace=${ns}${params}`);
    opened.push(r as EtcdRegistry);
    return r as EtcdRegistry;
  }

  beforeAll(() => {
    raw = new Etcd3({ hosts: `http://${etcdAddress()}` });
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((r) => r.destroy()));
  });
  afterAll(async () => {
    await raw.delete().prefix(`/${ns}/`);
    raw.close();
  });

  it('fails calls to an etcd nobody answers on with typed registry errors, the etcd3 error as cause', async () => {
    const failed = await withTimeout('put x', Promise.reject(new Error('14 UNAVAILABLE')), 1000, () => {}).catch(
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(DubboError);
    expect(failed).toMatchObject({ code: 'DUBBO_ERR_REGISTRY', message: 'put x: 14 UNAVAILABLE' });
    expect((failed as Error).cause).toBeInstanceOf(Error);
    const slow = await withTimeout('get y', new Promise(() => {}), 50, () => {}).catch((e: unknown) => e);
    expect(slow).toMatchObject({ code: 'DUBBO_ERR_REGISTRY_TIMEOUT' });
    const closedPort = createRegistry('etcd://127.0.0.1:1?timeout=2000');
    try {
      const err = await closedPort.register(providerUrl(iface('Nobody'), 20880)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DubboError);
      expect(['DUBBO_ERR_REGISTRY', 'DUBBO_ERR_REGISTRY_TIMEOUT']).toContain((err as DubboError).code);
    } finally {
      await closedPort.destroy();
    }
  });

  it("writes Java's layout as keys bound to a lease", async () => {
    const reg = open();
    const name = iface('Layout');
    const provider = providerUrl(name, 20880, { group: 'g1', version: '1.0.0' });
    await reg.register(provider);
    const key = `/${ns}/dubbo/${name}/providers/${(await import('@dubbo-ts/dubbo')).DubboUrl.encode(provider.toFullString())}`;
    expect(urlPath(reg.options, provider)).toBe(key);
    const res = await raw.get(key).exec();
    expect(res.kvs).toHaveLength(1);
    expect(res.kvs[0]?.value.toString()).toBe(provider.toFullString());
    expect(res.kvs[0]?.lease).toBe(await reg.leaseId());
    expect(res.kvs[0]?.lease).not.toBe('0');
    await reg.unregister(provider);
    expect(await raw.get(key).string()).toBeNull();
  });

  it('delivers the full list and each change to subscribers; destroy unregisters', async () => {
    const name = iface('RoundTrip');
    const a = open();
    const b = open();
    const consumer = open();
    await a.register(providerUrl(name, 20001));
    const listener = new RecordingListener();
    await consumer.subscribe(consumerUrl(name), listener);
    await listener.waitForAddresses(['127.0.0.1:20001']);
    await b.register(providerUrl(name, 20002));
    await b.register(providerUrl(name, 20003, { version: '9' })); // another version: not matched
    await listener.waitForAddresses(['127.0.0.1:20001', '127.0.0.1:20002']);
    expect(listener.history.at(-1)?.change.added.map((u) => u.port)).toEqual([20002]);
    expect(await consumer.lookup(consumerUrl(name, { version: '9' }))).toHaveLength(1);
    await b.destroy();
    await listener.waitForAddresses(['127.0.0.1:20001']);
    expect(listener.history.at(-1)?.change.removed.map((u) => u.port)).toEqual([20002]);
  });

  it('grants a new lease and writes everything again when the lease is lost', async () => {
    const name = iface('Lease');
    const provider = open();
    const consumer = open();
    await provider.register(providerUrl(name, 21001));
    const listener = new RecordingListener();
    await consumer.subscribe(consumerUrl(name), listener);
    await listener.waitForAddresses(['127.0.0.1:21001']);
    const lease = (await provider.leaseId()) as string;

    // Lose the lease as if it had expired: revoke it from another client (etcd deletes its keys at once).
    const t0 = performance.now();
    await raw.leaseClient.leaseRevoke({ ID: lease });
    await listener.waitFor((u) => u.length === 0, 10_000, 'key deleted with the lease');
    await listener.waitForAddresses(['127.0.0.1:21001'], 20_000);
    console.log(`RECOVERY etcd lease lost -> re-registered: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(await provider.leaseId()).not.toBe(lease);
  }, 40_000);

  it('keeps a registration alive past its TTL through keepalive', async () => {
    const name = iface('Ttl');
    const provider = open(); // session=4000: TTL 4 s
    await provider.register(providerUrl(name, 21101));
    await sleep(6000);
    const consumer = open();
    expect((await consumer.lookup(consumerUrl(name))).map((u) => u.port)).toEqual([21101]);
  }, 20_000);

  it('holds 1,000 providers, and a change of one is delivered as a one-URL change', async () => {
    const provider = open();
    const consumer = open();
    await holdsThousandProviders('etcd', provider, consumer, iface('Thousand'));
  }, 120_000);
});
