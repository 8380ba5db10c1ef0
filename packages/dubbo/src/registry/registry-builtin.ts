import { EtcdRegistry } from './registry-etcd.js';
import { registries } from './registry-factory.js';
import { ZookeeperRegistry } from './registry-zookeeper.js';

/**
 * Registers the registries dubbo-ts ships: `zookeeper` ({@link ZookeeperRegistry}) and `etcd` / `etcdv3`
 * ({@link EtcdRegistry}). Explicit, so importing the package has no side effects.
 */
export function registerBuiltinRegistries(): void {
  registries.register('zookeeper', (url) => new ZookeeperRegistry(url));
  registries.register('etcd', (url) => new EtcdRegistry(url));
  registries.register('etcdv3', (url) => new EtcdRegistry(url));
}
