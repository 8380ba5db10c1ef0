// One client cut off from the real server by a TCP proxy, while others change the registry: after the partition the
// client's list equals the server's (no change missed), its registrations are back, and its reconnect attempts
// during the partition stay few (jittered backoff, no storm).
import { createRegistry, type EtcdRegistry, registerBuiltinRegistries, type ZookeeperRegistry } from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { etcdAddress, unique, zookeeperAddress } from '../support/services.js';
import { consumerUrl, providerUrl, RecordingListener, sleep } from './registry-helpers.js';
import { TcpProxy } from './tcp-proxy.js';

registerBuiltinRegistries();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function proxyTo(address: string): Promise<TcpProxy> {
  const [host, port] = address.split(':');
  const proxy = new TcpProxy(host as string, Number(port));
  await proxy.start();
  cleanups.push(() => proxy.close());
  return proxy;
}

const iface = (name: string) => `org.apache.dubbo.tstest.${name}${unique().replace(/-/g, '')}`;

describe('registry clients partitioned from the server', () => {
  it('ZooKeeper: a consumer cut off while providers change sees exactly the server list after it reconnects', async () => {
    const proxy = await proxyTo(zookeeperAddress());
    const name = iface('Blip');
    const direct = createRegistry(`zookeeper://${zookeeperAddress()}?session=10000`) as ZookeeperRegistry;
    const consumer = createRegistry(`zookeeper://${proxy.address}?session=10000&timeout=2000`) as ZookeeperRegistry;
    cleanups.push(
      () => direct.destroy(),
      () => consumer.destroy(),
    );
    await direct.register(providerUrl(name, 23001));
    await direct.register(providerUrl(name, 23002));
    const listener = new RecordingListener();
    await consumer.subscribe(consumerUrl(name), listener);
    await listener.waitForAddresses(['127.0.0.1:23001', '127.0.0.1:23002']);
    const generation = consumer.connection.generation;

    proxy.cut(); // well within the session: the session survives
    const acceptedBefore = proxy.accepted;
    await direct.unregister(providerUrl(name, 23001));
    await direct.register(providerUrl(name, 23003));
    await sleep(3000);
    expect(consumer.isAvailable()).toBe(false);
    expect(listener.urls.map((u) => u.port).sort()).toEqual([23001, 23002]); // last good list kept meanwhile
    const attempts = proxy.accepted - acceptedBefore;
    proxy.restore();
    const t0 = performance.now();
    await listener.waitForAddresses(['127.0.0.1:23002', '127.0.0.1:23003']);
    console.log(
      `RECOVERY zookeeper partition 3 s: list equal to the server's ${(performance.now() - t0).toFixed(0)} ms after it healed; ${attempts} reconnect attempts while cut`,
    );
    expect(consumer.connection.generation).toBe(generation); // same session: watches re-sent, not rebuilt
    expect(attempts).toBeLessThanOrEqual(30); // jittered spin delay (up to 2 s), not a tight loop (hundreds)
    expect(listener.history.every((h) => h.urls.length > 0)).toBe(true);
  }, 60_000);

  it('etcd: a provider cut off until its lease expires registers again, and a cut-off consumer misses no change', async () => {
    const proxy = await proxyTo(etcdAddress());
    const name = iface('Partition');
    const direct = createRegistry(`etcd://${etcdAddress()}?session=3000`) as EtcdRegistry;
    const provider = createRegistry(
      `etcd://${proxy.address}?session=3000&timeout=2000&retry-period=200`,
    ) as EtcdRegistry;
    cleanups.push(
      () => direct.destroy(),
      () => provider.destroy(),
    );
    await provider.register(providerUrl(name, 24001));
    const listener = new RecordingListener();
    await direct.subscribe(consumerUrl(name), listener);
    await listener.waitForAddresses(['127.0.0.1:24001']);

    // The provider's keepalives cannot get through: etcd expires the lease (TTL 3 s) and deletes its key.
    proxy.cut();
    const t0 = performance.now();
    await listener.waitFor((u) => u.length === 0, 15_000, 'lease expired');
    const tExpired = performance.now() - t0;
    proxy.restore();
    const t1 = performance.now();
    await listener.waitForAddresses(['127.0.0.1:24001'], 30_000);
    console.log(
      `RECOVERY etcd lease expired (cut off, TTL 3 s) after ${tExpired.toFixed(0)} ms; re-registered ${(performance.now() - t1).toFixed(0)} ms after the partition healed`,
    );

    // A consumer cut off while a provider registers resumes its watch and has the new provider.
    const consumerProxy = await proxyTo(etcdAddress());
    const consumer = createRegistry(`etcd://${consumerProxy.address}?session=3000&timeout=2000`) as EtcdRegistry;
    cleanups.push(() => consumer.destroy());
    const consumerListener = new RecordingListener();
    await consumer.subscribe(consumerUrl(name), consumerListener);
    await consumerListener.waitForAddresses(['127.0.0.1:24001']);
    consumerProxy.cut();
    await direct.register(providerUrl(name, 24002));
    await sleep(1500);
    expect(consumerListener.urls.map((u) => u.port)).toEqual([24001]);
    consumerProxy.restore();
    await consumerListener.waitForAddresses(['127.0.0.1:24001', '127.0.0.1:24002'], 30_000);
  }, 90_000);
});
