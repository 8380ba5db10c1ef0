import { localIp } from '@dubbo-ts/gost';
import { DubboError } from '../errors.js';
import type { Filter } from '../filter/filter.js';
import type { ExchangeClientOptions } from '../protocol/dubbo/exchange-client.js';
import type { CallOptions, GenericService, ReferenceExtras, ServiceProxy } from '../proxy/service-proxy.js';
import { MigrationRegistry } from '../registry/discovery/registry-migration.js';
import type { Registry } from '../registry/registry.js';
import { buildConsumerUrl, RegistryDirectory } from '../registry/registry-directory.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** Options of a reference whose providers come from registries. */
export interface RegistryReferenceOptions {
  /** The registries to subscribe to (lists are merged). */
  registry: Registry | readonly Registry[];
  /** Service group. @defaultValue none */
  group?: string;
  /** Service version. @defaultValue none */
  version?: string;
  /** Call timeout in ms (a method's own `timeout` wins, then the provider URL's). @defaultValue 1000 */
  timeout?: number;
  /** Attachments sent with every call. @defaultValue none */
  attachments?: Record<string, unknown>;
  /** Filters of the reference (first = outermost). @defaultValue none */
  filters?: readonly Filter[];
  /** Application name (consumer URL, `remote.application`). @defaultValue 'dubbo-ts-consumer' */
  application?: string;
  /** How long a call waits for the first provider list before failing with `DUBBO_ERR_NO_PROVIDER`. @defaultValue 3000 */
  waitMs?: number;
  /** Whether to register the consumer under `consumers` as Java does. @defaultValue true */
  registerConsumer?: boolean;
  /** Connection settings of each provider. @defaultValue the exchange client's defaults */
  exchange?: Omit<ExchangeClientOptions, 'host' | 'port'>;
}

/** A reference backed by a {@link RegistryDirectory}: each call goes to a live provider (round robin). */
export interface RegistryReference<T> {
  /** The typed proxy (same shape as a direct reference). */
  readonly proxy: ServiceProxy<T>;
  /** The directory (providers, connections). */
  readonly directory: RegistryDirectory<T>;
  /** Resolves once subscribed to every registry. */
  readonly ready: Promise<void>;
  /** Unregisters the consumer, unsubscribes and closes the provider connections. */
  destroy(): Promise<void>;
}

/**
 * A typed reference to `descriptor`'s service whose providers are discovered in registries. A registry with
 * application level on the same server (a plain `zookeeper://` or `etcd://` URL) is read in Java 3.3's default
 * consumer mode, `APPLICATION_FIRST`: both levels are subscribed and the application-level list is used when
 * {@link preferApplicationLevel} says so, else the interface-level one. `migration=FORCE_INTERFACE` on the registry
 * URL keeps interface level only.
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
  return refer(descriptor, descriptor.interfaceName, options);
}

/** A generic reference (`$invoke`, `$echo`) whose providers are discovered in registries. */
export function genericReferenceFromRegistry(
  interfaceName: string,
  options: RegistryReferenceOptions,
): RegistryReference<GenericService & ReferenceExtras> {
  return refer<unknown>(null, interfaceName, options) as unknown as RegistryReference<GenericService & ReferenceExtras>;
}

function refer<T>(
  descriptor: ServiceDescriptor<T> | null,
  interfaceName: string,
  options: RegistryReferenceOptions,
): RegistryReference<T> {
  if (options === null || typeof options !== 'object' || options.registry === undefined) {
    throw new DubboError('DUBBO_ERR_INVALID_ARG', 'a registry reference needs options.registry');
  }
  const registries = (Array.isArray(options.registry) ? options.registry : [options.registry]) as Registry[];
  const timeout = options.timeout ?? 1000;
  if (!(timeout > 0)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `timeout must be > 0, got ${timeout}`);
  const waitMs = options.waitMs ?? 3000;
  const application = options.application ?? 'dubbo-ts-consumer';
  const attachments: Record<string, unknown> = { ...options.attachments };
  attachments['remote.application'] ??= application;
  const methods = descriptor === null ? [] : [...new Set([...descriptor.methods.values()].map((m) => m.name))];
  const consumerUrl = buildConsumerUrl(interfaceName, localIp(), {
    group: options.group,
    version: options.version,
    application,
    methods,
  });
  const directory = new RegistryDirectory<T>(consumerUrl, {
    descriptor,
    interfaceName,
    group: options.group ?? '',
    version: options.version ?? '',
    timeout,
    attachments,
    filters: options.filters ?? [],
    exchange: options.exchange ?? {},
  });
  const registerConsumer = options.registerConsumer ?? true;
  const registeredUrl = consumerUrl.addParameter('category', 'consumers');
  const ready = Promise.all(
    registries.map(async (r) => {
      await directory.subscribe(consumerView(r));
      if (registerConsumer) await r.register(registeredUrl).catch(() => {}); // retried in the background
    }),
  ).then(() => {});
  ready.catch(() => {}); // subscriptions are retried in the background; calls wait for providers instead

  const proxy: Record<string, unknown> = {};
  const via =
    (key: string) =>
    (...args: unknown[]): Promise<unknown> =>
      directory
        .select(waitMs)
        .then((inv) => (inv.proxy as Record<string, (...a: unknown[]) => Promise<unknown>>)[key]?.(...args));
  if (descriptor !== null) for (const key of descriptor.methods.keys()) proxy[key] = via(key);
  proxy.$invoke = via('$invoke');
  proxy.$echo = via('$echo');
  proxy.$call = (method: string, args: readonly unknown[], callOptions?: CallOptions) =>
    directory.select(waitMs).then((inv) => inv.proxy.$call(method, args, callOptions));

  return {
    proxy: proxy as ServiceProxy<T>,
    directory,
    ready,
    async destroy() {
      if (registerConsumer) await Promise.allSettled(registries.map((r) => r.unregister(registeredUrl)));
      await directory.close();
    },
  };
}

/**
 * What a consumer subscribes to in a registry: the registry itself, or, when it has application level attached and
 * its URL names no `migration` mode, both levels in `APPLICATION_FIRST` (Java's default
 * `dubbo.application.service-discovery.migration`). The view is unsubscribed with the reference, never destroyed.
 */
export function consumerView(registry: Registry): Registry {
  if (registry.url.hasParameter('migration')) return registry;
  const app = registry.applicationLevel?.();
  if (app === undefined || app === registry) return registry;
  return new MigrationRegistry(registry.url, registry, app, 'APPLICATION_FIRST');
}
