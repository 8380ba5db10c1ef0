// The real ZooKeeper started by tools/services/zookeeper.sh: the primitives the ZooKeeper registry is built on
// (persistent paths, ephemeral nodes, child watches, removal of ephemerals when their session ends).
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique, zookeeperAddress } from '../support/services.js';
import { connectZookeeper, create, getChildren, mkdirp, removeRecursive } from '../support/zookeeper.js';

/** A promise with its resolve function attached. */
function deferred(): Promise<void> & { resolve: () => void } {
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r));
  return Object.assign(p, { resolve });
}

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
    // Each watch is set (its getChildren answered) before the change it waits for, or the change could win the race.
    const created = deferred();
    expect(await getChildren(watcher, providers, created.resolve)).toEqual([]);
    const node = encodeURIComponent('dubbo://127.0.0.1:20880/com.example.Demo?side=provider');
    await create(owner, `${providers}/${node}`, zookeeper.CreateMode.EPHEMERAL);
    await created;
    const removed = deferred();
    expect(await getChildren(watcher, providers, removed.resolve)).toEqual([node]);
    owner.close();
    await removed;
    expect(await getChildren(watcher, providers)).toEqual([]);
  });
});
