// The config centers over real servers: Java's layout (/dubbo/config/dubbo/<key>), get/publish/remove, watches that
// see every change including deletion, and a server restart that loses no rule and no watch.
import {
  type ConfigChangedEvent,
  createDynamicConfiguration,
  DubboUrl,
  type DynamicConfiguration,
} from '@dubbo-ts/dubbo';
import { configCenterUrlOf, type ZookeeperDynamicConfiguration } from '@dubbo-ts/dubbo/extension';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, until } from '../registry/registry-helpers.js';
import { TcpProxy } from '../registry/tcp-proxy.js';
import { etcdAddress, unique, zookeeperAddress } from '../support/services.js';
import { connectZookeeper } from '../support/zookeeper.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

function open(url: string): DynamicConfiguration {
  const cc = createDynamicConfiguration(url);
  cleanups.push(() => cc.close());
  return cc;
}

function recorder() {
  const events: ConfigChangedEvent[] = [];
  return { events, listener: (e: ConfigChangedEvent) => events.push(e), last: () => events[events.length - 1] };
}

const centers: [string, () => string][] = [
  ['zookeeper', () => `zookeeper://${zookeeperAddress()}?session=4000`],
  ['etcd', () => `etcd://${etcdAddress()}?session=4000`],
];

describe.each(centers)('%s config center', (_name, address) => {
  it('reads, writes and removes keys, and watches deliver the value, each change and the deletion', async () => {
    const cc = open(address());
    const key = `app${unique()}.condition-router`;
    expect(await cc.getConfig(key)).toBeUndefined();
    const r = recorder();
    const stop = cc.watch(key, r.listener);
    await cc.publishConfig(key, 'conditions: ["=> host=1"]');
    await until(() => r.events.length === 1);
    expect(r.last()).toMatchObject({ key, group: 'dubbo', content: 'conditions: ["=> host=1"]', changeType: 'ADDED' });
    expect(await cc.getConfig(key)).toBe('conditions: ["=> host=1"]');
    await cc.publishConfig(key, 'conditions: ["=> host=2"]');
    await until(() => r.events.length === 2);
    expect(r.last()).toMatchObject({ content: 'conditions: ["=> host=2"]', changeType: 'MODIFIED' });
    // A second watcher of the same key gets the current value at once.
    const late = recorder();
    const stopLate = cc.watch(key, late.listener);
    await until(() => late.events.length === 1);
    expect(late.last()?.content).toBe('conditions: ["=> host=2"]');
    stopLate();
    await cc.removeConfig(key);
    await until(() => r.events.length === 3);
    expect(r.last()).toMatchObject({ content: null, changeType: 'DELETED' });
    await cc.removeConfig(key); // absent is fine
    // A key written before the watch starts is delivered first.
    await cc.publishConfig(key, 'v: 3');
    const again = recorder();
    cc.watch(key, again.listener);
    await until(() => again.events.length === 1);
    expect(again.last()?.content).toBe('v: 3');
    stop();
    await cc.removeConfig(key);
  });
});

describe('zookeeper config center layout and restarts', () => {
  it("writes Java's path /dubbo/config/dubbo/<key> (namespace from the URL)", async () => {
    const cc = open(`zookeeper://${zookeeperAddress()}`);
    const key = `app${unique()}.tag-router`;
    await cc.publishConfig(key, 'tags: []');
    cleanups.push(() => cc.removeConfig(key));
    const zk = await connectZookeeper(zookeeperAddress());
    cleanups.push(async () => zk.close());
    const data = await new Promise<Buffer>((resolve, reject) =>
      zk.getData(`/dubbo/config/dubbo/${key}`, (err, d) => (err ? reject(err) : resolve(d))),
    );
    expect(data.toString()).toBe('tags: []');
    expect((cc as ZookeeperDynamicConfiguration).pathOf(key, 'dubbo')).toBe(`/dubbo/config/dubbo/${key}`);
  });

  it('derives the config center from a registry URL as Java does (group as namespace; opt-out)', () => {
    const u = configCenterUrlOf(DubboUrl.valueOf('zookeeper://10.0.0.1:2181?timeout=3000'));
    expect(u?.toFullString()).toBe('zookeeper://10.0.0.1:2181?namespace=dubbo&timeout=3000');
    expect(configCenterUrlOf(DubboUrl.valueOf('zookeeper://10.0.0.1:2181?group=shop'))?.getParameter('namespace')).toBe(
      'shop',
    );
    expect(configCenterUrlOf(DubboUrl.valueOf('zookeeper://10.0.0.1:2181?use-as-config-center=false'))).toBeUndefined();
    expect(configCenterUrlOf(DubboUrl.valueOf('multicast://224.5.6.7:1234'))).toBeUndefined();
  });

  it.each([
    ['a short outage (same session)', 500],
    ['an outage past the session timeout (new session)', 7000],
  ])(
    'keeps the last value through %s and sees the change made meanwhile',
    async (_what, outageMs) => {
      const [host, port] = zookeeperAddress().split(':');
      const proxy = new TcpProxy(host!, Number(port));
      await proxy.start();
      cleanups.push(() => proxy.close());
      const cc = open(`zookeeper://${proxy.address}?timeout=2000&session=4000&retry-max-period=1000`);
      const writer = open(`zookeeper://${zookeeperAddress()}`);
      const key = `outage${unique()}.condition-router`;
      cleanups.push(() => writer.removeConfig(key));
      await writer.publishConfig(key, 'rule: 1');
      const r = recorder();
      cc.watch(key, r.listener);
      await until(() => r.events.length === 1);
      proxy.cut();
      await writer.publishConfig(key, 'rule: 2');
      await sleep(outageMs);
      expect(r.last()?.content).toBe('rule: 1'); // nothing reported for the outage itself
      proxy.restore();
      await until(() => r.last()?.content === 'rule: 2', 60_000);
      expect(r.events.map((e) => e.changeType)).toEqual(['ADDED', 'MODIFIED']);
    },
    120_000,
  );
});
