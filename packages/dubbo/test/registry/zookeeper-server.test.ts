// The real ZooKeeper started by tools/services/zookeeper.sh: the primitives the ZooKeeper registry is built on
// (persistent paths, ephemeral nodes, child watches, removal of ephemerals when their session ends).
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique, zookeeperAddress } from '../support/services.js';
import { connectZookeeper, create, getChildren, mkdirp, removeRecursive } from '../support/zookeeper.js';

describe('ZooKeeper server', () => {
  let watcher: zookeeper.Client;
  const root = `/dubbo-ts-test/${unique()}`;

  beforeAll(async () => {
    watcher = await connectZookeeper(zookeeperAddress());
    await mkdirp(watcher, `${root}/providers`);
  });
  afterAll(async () => {
    await removeRecursive(watcher, root).catch(() => {});
    watcher.close();
  });

  it('creates an ephemeral node, fires a child watch, and removes the node when its session closes', async () => {
    const owner = await connectZookeeper(zookeeperAddress());
    const providers = `${root}/providers`;
    expect(await getChildren(watcher, providers)).toEqual([]);

    const created = new Promise<void>((resolve) => void getChildren(watcher, providers, resolve));
    const node = encodeURIComponent('dubbo://127.0.0.1:20880/com.example.Demo?side=provider');
    await create(owner, `${providers}/${node}`, zookeeper.CreateMode.EPHEMERAL);
    await created;
    expect(await getChildren(watcher, providers)).toEqual([node]);

    const removed = new Promise<void>((resolve) => void getChildren(watcher, providers, resolve));
    owner.close();
    await removed;
    expect(await getChildren(watcher, providers)).toEqual([]);
  });
});
