import type { DubboUrl } from '../common/url.js';
import { MigrationRegistry, migrationMode } from './discovery/registry-migration.js';
import { ServiceDiscoveryRegistry } from './discovery/service-discovery-registry.js';
import { EtcdRegistry } from './etcd/registry-etcd.js';
import { EtcdServiceDiscovery } from './etcd/service-discovery-etcd.js';
import type { Registry } from './registry.js';
import type { RegistryBase } from './registry-base.js';
import { registries } from './registry-factory.js';
import { ZookeeperRegistry } from './zookeeper/registry-zookeeper.js';
import { ZookeeperServiceDiscovery } from './zookeeper/service-discovery-zookeeper.js';

/**
 * One registry server's factory, the same for ZooKeeper and etcd: `registry-type=service` is application level
 * only; `migration=MODE` the consumer migration modes; a plain URL is interface level with the application level of
 * the same server attached ({@link Registry.applicationLevel}), so consumers default to `APPLICATION_FIRST` and
 * providers to register mode `all`, as Java 3.3's do.
 */
function serverFactory(
  interfaceLevel: (url: DubboUrl) => RegistryBase,
  applicationLevel: (url: DubboUrl) => ServiceDiscoveryRegistry,
): (url: DubboUrl) => Registry {
  return (url) => {
    if (url.getParameter('registry-type') === 'service') return applicationLevel(url);
    const migration = url.getParameter('migration');
    if (migration === undefined || migration === '') {
      const r = interfaceLevel(url);
      r.setApplicationLevel(() => applicationLevel(url));
      return r;
    }
    const mode = migrationMode(migration);
    if (mode === 'FORCE_INTERFACE') return interfaceLevel(url);
    if (mode === 'FORCE_APPLICATION') return applicationLevel(url);
    return new MigrationRegistry(url, interfaceLevel(url), applicationLevel(url), mode);
  };
}

const zookeeper = serverFactory(
  (url) => new ZookeeperRegistry(url),
  (url) => new ServiceDiscoveryRegistry(url, new ZookeeperServiceDiscovery(url)),
);
const etcd = serverFactory(
  (url) => new EtcdRegistry(url),
  (url) => new ServiceDiscoveryRegistry(url, new EtcdServiceDiscovery(url)),
);

/**
 * Registers the registries dubbo-ts ships, explicitly (importing the package has no side effects):
 * - `zookeeper`: interface level ({@link ZookeeperRegistry}) with application level on the same server attached
 *   (consumers default to `APPLICATION_FIRST`, providers to register mode `all`); with `registry-type=service`
 *   application level only ({@link ServiceDiscoveryRegistry}); with
 *   `migration=APPLICATION_FIRST|FORCE_APPLICATION|FORCE_INTERFACE` the consumer migration modes
 *   ({@link MigrationRegistry}; `FORCE_INTERFACE` is interface level only, on both sides).
 * - `etcd` / `etcdv3`: the same on etcd ({@link EtcdRegistry}, {@link EtcdServiceDiscovery}).
 */
export function registerBuiltinRegistries(): void {
  registries.register('zookeeper', zookeeper);
  registries.register('etcd', etcd);
  registries.register('etcdv3', etcd);
}
