import type { ProtocolOptions } from '../protocol/protocol.js';
import type { GenericService, ReferenceExtras } from '../proxy/service-proxy.js';
import type { Registry } from '../registry/registry.js';
import type { RegistryDirectory } from '../registry/registry-directory.js';
import { DubboClient } from './dubbo-client.js';
import type { ReferenceOptions } from './reference-config.js';
import type { Reference } from './reference-settings.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** Options of a reference whose providers come from registries, made without a {@link DubboClient} at hand. */
export interface RegistryReferenceOptions extends Omit<ReferenceOptions, 'url' | 'registry'> {
  /** The registries to subscribe to (lists are merged). */
  registry: Registry | readonly Registry[];
  /** The client to make the reference with (it owns the connections). @defaultValue a client of the reference's own, closed with it */
  client?: DubboClient;
  /** Application name of that own client. @defaultValue 'dubbo-ts-consumer' */
  application?: string;
  /** Connection settings of that own client. @defaultValue the protocol's defaults */
  exchange?: ProtocolOptions;
}

/** A reference backed by a {@link RegistryDirectory}. */
export interface RegistryReference<T> extends Reference<T> {
  /** The registries' live provider list. */
  readonly directory: RegistryDirectory;
}

/**
 * A typed reference to `descriptor`'s service whose providers are discovered in registries: the same as
 * `client.refer(descriptor, { registry })`, on `options.client` or on a client of its own (closed by `destroy`).
 * A registry with application level on the same server (a plain `zookeeper://` or `etcd://` URL) is read in Java
 * 3.3's default consumer mode, `APPLICATION_FIRST`; `migration=FORCE_INTERFACE` on the registry URL keeps interface
 * level only.
 *
 * ```ts
 * registerBuiltinRegistries();
 * const zk = createRegistry('zookeeper://127.0.0.1:2181');
 * const ref = referenceFromRegistry(GreeterDescriptor, { registry: zk });
 * await ref.proxy.greet('world');
 * ```
 */
export function referenceFromRegistry<T>(
  descriptor: ServiceDescriptor<T>,
  options: RegistryReferenceOptions,
): RegistryReference<T> {
  return refer(descriptor, options);
}

/** A generic reference (`$invoke`, `$echo`) whose providers are discovered in registries. */
export function genericReferenceFromRegistry(
  interfaceName: string,
  options: RegistryReferenceOptions,
): RegistryReference<GenericService & ReferenceExtras> {
  return refer(interfaceName, options) as unknown as RegistryReference<GenericService & ReferenceExtras>;
}

function refer<T>(service: ServiceDescriptor<T> | string, options: RegistryReferenceOptions): RegistryReference<T> {
  const { client: given, application, exchange, ...rest } = options ?? ({} as RegistryReferenceOptions);
  const client = given ?? new DubboClient({ ...exchange, application });
  let ref: Reference<T>;
  try {
    ref = client.refer(service, rest as ReferenceOptions);
  } catch (err) {
    if (given === undefined) void client.close();
    throw err;
  }
  return {
    ...ref,
    directory: ref.directory as RegistryDirectory,
    destroy: async () => {
      await ref.destroy();
      if (given === undefined) await client.close();
    },
  };
}
