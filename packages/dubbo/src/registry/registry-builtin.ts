import type { DubboUrl } from '../common/url.js';
import type { Registry } from './registry.js';
import { EtcdRegistry } from './registry-etcd.js';
import { registries } from './registry-factory.js';
import { MigrationRegistry, migrationMode } from './registry-migration.js';
import { ZookeeperRegistry } from './registry-zookeeper.js';
import { ServiceDiscoveryRegistry } from './service-discovery-registry.js';

function zookeeper(url: DubboUrl): Registry {
  if (url.getParameter('registry-type') === 'service') return new ServiceDiscoveryRegistry(url);
  const migration = url.getParameter('migration');
  if (migration === undefined || migration === '') return new ZookeeperRegistry(url);
  const mode = migrationMode(migration);
  if (mode === 'FORCE_INTERFACE') return new ZookeeperRegistry(url);
  if (mode === 'FORCE_APPLICATION') return new ServiceDiscoveryRegistry(url);
  return new MigrationRegistry(url, new ZookeeperRegistry(url), new ServiceDiscoveryRegistry(url), mode);
}

/**
 * Registers the registries dubbo-ts ships, explicitly (importing the package has no side effects):
 * - `zookeeper`: interface level ({@link ZookeeperRegistry}); with `registry-type=service` application level
 *   ({@link ServiceDiscoveryRegistry}); with `migration=APPLICATION_FIRST|FORCE_APPLICATION|FORCE_INTERFACE` the
 *   consumer migration modes ({@link MigrationRegistry}).
 * - `etcd` / `etcdv3`: interface level ({@link EtcdRegistry}).
 */
export function registerBuiltinRegistries(): void {
  registries.register('zookeeper', zookeeper);
  registries.register('etcd', (url) => new EtcdRegistry(url));
  registries.register('etcdv3', (url) => new EtcdRegistry(url));
}
