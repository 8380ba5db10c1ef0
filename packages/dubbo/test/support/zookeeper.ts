import zookeeper from 'node-zookeeper-client';

/** Connects a node-zookeeper-client to `address`, failing after `timeoutMs` instead of retrying forever. */
export function connectZookeeper(address: string, timeoutMs = 15_000): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(address, { sessionTimeout: 10_000, retries: 3 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`could not connect to ZooKeeper at ${address} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

/** Promise wrapper of getChildren that also reports the next change through `onChange`. */
export function getChildren(client: zookeeper.Client, path: string, onChange?: () => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const done = (err: unknown, children: string[]) => (err ? reject(err) : resolve(children));
    if (onChange) client.getChildren(path, () => onChange(), done);
    else client.getChildren(path, done);
  });
}

/** Promise wrapper of mkdirp. */
export function mkdirp(client: zookeeper.Client, path: string): Promise<void> {
  return new Promise((resolve, reject) => client.mkdirp(path, (err: unknown) => (err ? reject(err) : resolve())));
}

/** Promise wrapper of create. */
export function create(client: zookeeper.Client, path: string, mode: number): Promise<string> {
  return new Promise((resolve, reject) =>
    client.create(path, mode, (err: unknown, created: string) => (err ? reject(err) : resolve(created))),
  );
}

/** Promise wrapper of removeRecursive (in node-zookeeper-client 1.1, missing from its type definitions). */
export function removeRecursive(client: zookeeper.Client, path: string): Promise<void> {
  const c = client as zookeeper.Client & { removeRecursive(path: string, cb: (err: unknown) => void): void };
  return new Promise((resolve, reject) => c.removeRecursive(path, (err) => (err ? reject(err) : resolve())));
}
