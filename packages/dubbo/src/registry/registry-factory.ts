import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { Registry, RegistryFactory } from './registry.js';

const factories = new Map<string, RegistryFactory>();

/**
 * Registry implementations by URL protocol (`zookeeper`, `etcd`...). Nothing is registered on import: call
 * `registerBuiltinRegistries()` (or {@link registries.register} for your own).
 */
export const registries = {
  /** Adds or replaces the factory of a protocol. */
  register(protocol: string, factory: RegistryFactory): void {
    factories.set(protocol, factory);
  },
  /** The factory of a protocol, if any. */
  get(protocol: string): RegistryFactory | undefined {
    return factories.get(protocol);
  },
  /** The registered protocol names. */
  names(): string[] {
    return [...factories.keys()];
  },
};

/**
 * Creates the registry a URL names, e.g. `zookeeper://127.0.0.1:2181?timeout=5000` or `etcd://127.0.0.1:2379`.
 *
 * @throws DubboError `DUBBO_ERR_REGISTRY_UNKNOWN` when no factory serves the protocol.
 */
export function createRegistry(url: DubboUrl | string): Registry {
  const u = typeof url === 'string' ? DubboUrl.valueOf(url) : url;
  const factory = u.protocol === undefined ? undefined : factories.get(u.protocol);
  if (factory === undefined) {
    throw new DubboError(
      'DUBBO_ERR_REGISTRY_UNKNOWN',
      `no registry for protocol '${u.protocol}' (known: ${[...factories.keys()].join(', ') || 'none'})`,
    );
  }
  return factory(u);
}

/**
 * Parses a registry setting that may name several registries, separated by `|`, `;` or whitespace
 * (`zookeeper://a:2181|etcd://b:2379`); a comma stays inside one URL (ZooKeeper backup addresses).
 */
export function parseRegistryAddresses(addresses: string | readonly string[]): DubboUrl[] {
  const list = typeof addresses === 'string' ? addresses.split(/[|;\s]+/) : addresses;
  return list
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && s !== 'N/A')
    .map((s) => {
      // Java's `zookeeper://a:1,b:2` form: the extra hosts become `backup`.
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?]*)(.*)$/.exec(s);
      if (m === null || !(m[2] as string).includes(',')) return DubboUrl.valueOf(s);
      const [first, ...rest] = (m[2] as string).split(',');
      return DubboUrl.valueOf(`${m[1]}${first}${m[3]}`).addParameter('backup', rest.join(','));
    });
}
