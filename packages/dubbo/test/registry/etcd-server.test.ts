// The real etcd started by tools/services/etcd.sh: the primitives the etcd registry is built on (a key bound to a
// lease, a prefix watch that sees it appear and disappear when the lease expires).
import { Etcd3 } from 'etcd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdAddress, unique } from '../support/services.js';

describe('etcd server', () => {
  let client: Etcd3;
  const prefix = `/dubbo-ts-test/${unique()}/providers/`;

  beforeAll(() => {
    client = new Etcd3({ hosts: `http://${etcdAddress()}`, dialTimeout: 10_000 });
  });
  afterAll(async () => {
    await client.delete().prefix(prefix);
    client.close();
  });

  it('sees a leased key through a prefix watch, and sees it deleted when the lease expires', async () => {
    const watcher = await client.watch().prefix(prefix).create();
    const events: string[] = [];
    const deleted = new Promise<void>((resolve) => {
      watcher.on('put', (kv) => events.push(`put ${kv.key.toString()}=${kv.value.toString()}`));
      watcher.on('delete', (kv) => {
        events.push(`delete ${kv.key.toString()}`);
        resolve();
      });
    });

    const lease = client.lease(2, { autoKeepAlive: false });
    const key = `${prefix}dubbo%3A%2F%2F127.0.0.1%3A20880`;
    await lease.put(key).value('provider');
    expect(await client.get(key).string()).toBe('provider');

    await deleted; // the lease is never kept alive, so etcd expires it and deletes the key
    await watcher.cancel();
    expect(events).toEqual([`put ${key}=provider`, `delete ${key}`]);
    expect(await client.get(key).string()).toBeNull();
  });
});
