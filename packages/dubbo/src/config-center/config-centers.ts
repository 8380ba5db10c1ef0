import { ExtensionRegistry } from '../common/extensions.js';
import { DubboUrl } from '../common/url.js';
import { registryOptions } from '../registry/registry-options.js';
import type { DynamicConfiguration } from './dynamic-configuration.js';
import { EtcdDynamicConfiguration } from './etcd-dynamic-configuration.js';
import { ZookeeperDynamicConfiguration } from './zookeeper-dynamic-configuration.js';

/** Makes the config center a URL names. */
export type DynamicConfigurationFactory = (url: DubboUrl) => DynamicConfiguration;

/**
 * The config centers by URL scheme (Java's DynamicConfigurationFactory SPI): `zookeeper`, `etcd` and `etcdv3`
 * built in. Add one with `configCenters.register('nacos', (url) => ...)`.
 */
export const configCenters = new ExtensionRegistry<DynamicConfigurationFactory>('config center', {
  zookeeper: (url) => new ZookeeperDynamicConfiguration(url),
  etcd: (url) => new EtcdDynamicConfiguration(url),
  etcdv3: (url) => new EtcdDynamicConfiguration(url),
});

/**
 * Creates the config center a URL names (Java's `dubbo.config-center.address`), e.g.
 * `zookeeper://127.0.0.1:2181?namespace=dubbo`.
 * @throws DubboError `DUBBO_ERR_UNKNOWN_EXTENSION` for a scheme no config center serves.
 */
export function createDynamicConfiguration(url: string | DubboUrl): DynamicConfiguration {
  const u = typeof url === 'string' ? DubboUrl.valueOf(url) : url;
  return configCenters.get(u.protocol ?? '')(u);
}

/**
 * The config-center URL Java derives from a registry (DefaultApplicationDeployer.registryAsConfigCenter): the same
 * scheme, address and parameters, the registry's `group` as namespace (so rules sit at `/dubbo/config/dubbo/...`
 * beside the default registry root). `undefined` when the registry says `use-as-config-center=false` or no config
 * center serves its scheme. (dubbo-ts's own registry `namespace` prefix is kept in front.)
 */
export function configCenterUrlOf(registryUrl: DubboUrl): DubboUrl | undefined {
  if (registryUrl.getParameter('use-as-config-center') === 'false') return undefined;
  if (!configCenters.has(registryUrl.protocol ?? '')) return undefined;
  const o = registryOptions(registryUrl);
  const ns = `${o.namespace}${o.root}`.replace(/^\/+/, '') || 'dubbo';
  return new DubboUrl({
    protocol: registryUrl.protocol,
    username: registryUrl.username,
    password: registryUrl.password,
    host: registryUrl.host,
    port: registryUrl.port,
    parameters: { ...registryUrl.toParameterRecord(), namespace: ns },
  });
}
