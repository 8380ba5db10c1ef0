import { localIp } from '@dubbo-ts/gost';
import { StaticDirectory } from '../cluster/directory.js';
import { ProviderInvoker } from '../cluster/provider-invoker.js';
import { clusters, loadBalances } from '../cluster/registries.js';
import { type GovernanceRouters, governanceRouters } from '../cluster/router/governance-routers.js';
import { RouterChain } from '../cluster/router-chain.js';
import { MockClusterInvoker } from '../cluster/support/mock-invoker.js';
import type { DubboUrl } from '../common/url.js';
import { DEFAULT_TIMEOUT } from '../common/url-keys.js';
import { configCenterUrlOf, createDynamicConfiguration } from '../config-center/config-centers.js';
import type { DynamicConfiguration } from '../config-center/dynamic-configuration.js';
import { DubboError } from '../errors.js';
import type { Filter } from '../filter/filter.js';
import { consumerFlowControl } from '../flow/flow-control.js';
import type { Protocol, ProtocolOptions } from '../protocol/protocol.js';
import { protocols } from '../protocol/protocols.js';
import type { GenericService, ReferenceExtras, ServiceProxy } from '../proxy/service-proxy.js';
import { consumerView } from '../registry/discovery/registry-migration.js';
import { buildConsumerUrl, RegistryDirectory } from '../registry/registry-directory.js';
import { createProxy, type ReferenceOptions } from './reference-config.js';
import { type Reference, referenceSettings } from './reference-settings.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** Options of a {@link DubboClient} (the consumer side), shared by all its references. */
export interface DubboClientOptions extends ProtocolOptions {
  /** Application name: the consumer URL's `application`, the `remote.application` attachment. @defaultValue 'dubbo-ts-consumer' */
  application?: string;
  /** Default call timeout in ms of every reference (Java's `<dubbo:consumer timeout>`). @defaultValue the provider's, else 1000 */
  timeout?: number;
  /** Default retries of every reference. @defaultValue the provider's, else 2 */
  retries?: number;
  /** Default load balancer of every reference. @defaultValue the provider's, else 'random' */
  loadbalance?: string;
  /** Default cluster of every reference. @defaultValue 'failover' */
  cluster?: string;
  /** Filters around every reference's cluster (first = outermost): once per call. @defaultValue none */
  filters?: readonly Filter[];
  /** Filters around every call to one provider: once per attempt. @defaultValue none */
  providerFilters?: readonly Filter[];
  /**
   * The config center governance rules are read from (Java's `dubbo.config-center.address`): a URL
   * (`zookeeper://127.0.0.1:2181`), a {@link DynamicConfiguration} of your own (not closed by the client), or
   * `false` for none. Direct references use it only when it is set here.
   * @defaultValue the first registry of each registry reference, as Java (`use-as-config-center=false` on the
   *   registry URL opts out)
   */
  configCenter?: string | DynamicConfiguration | false;
}

/**
 * The consumer, the one front door for references: direct (`url`), through registries (`registry`), typed or
 * generic; each is one proxy over one cluster invoker (directory, routers, load balancer, failover). The client
 * owns the protocol instances, hence the connections: references to one provider address share them.
 *
 * ```ts
 * const client = new DubboClient({ application: 'shop' });
 * const users = client.reference(UserServiceDescriptor, { url: 'dubbo://127.0.0.1:20880' });
 * const user = await users.getUser(1);
 * await client.close();
 * ```
 */
export class DubboClient {
  private readonly options: DubboClientOptions;
  private readonly protocolInstances = new Map<string, Protocol>();
  private readonly references = new Set<Reference<unknown>>();
  /** Config centers the client made (by URL), closed with it. */
  private readonly ownConfigCenters = new Map<string, DynamicConfiguration>();
  private closed = false;

  constructor(options: DubboClientOptions = {}) {
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `timeout must be > 0, got ${options.timeout}`);
    }
    this.options = options;
  }

  /**
   * A typed reference to the service `descriptor` describes: its proxy.
   * @throws DubboError `DUBBO_ERR_INVALID_ARG` for a bad URL or options, `DUBBO_ERR_UNKNOWN_EXTENSION` for an
   *   unknown `cluster` or `loadbalance`, `DUBBO_ERR_CLOSED` after {@link close}.
   */
  reference<T>(descriptor: ServiceDescriptor<T>, options: ReferenceOptions): ServiceProxy<T> {
    return this.refer(descriptor, options).proxy;
  }

  /** A generic reference (Java's `GenericService`): only `$invoke` and `$echo`, no descriptor needed. */
  genericReference(interfaceName: string, options: ReferenceOptions): GenericService & ReferenceExtras {
    return this.refer<unknown>(interfaceName, options).proxy;
  }

  /**
   * A reference with its parts: the proxy, the cluster invoker, the directory, `ready` (subscribed to every
   * registry) and `destroy()`. `service` is a descriptor, or an interface name for a generic reference.
   */
  refer<T>(service: ServiceDescriptor<T> | string, options: ReferenceOptions): Reference<T> {
    if (this.closed) throw new DubboError('DUBBO_ERR_CLOSED', 'the client is closed');
    const descriptor = typeof service === 'string' ? null : service;
    const interfaceName = typeof service === 'string' ? service : service.interfaceName;
    const s = referenceSettings(descriptor, options, this.options);
    const timeoutOf = (m: string): number =>
      Number(s.overrides[`${m}.timeout`] ?? s.overrides.timeout ?? DEFAULT_TIMEOUT);
    const flow = consumerFlowControl(options.parameters ?? {}, interfaceName, timeoutOf); // refuses a bad key now
    const routerChain = new RouterChain([...(flow?.routers ?? []), ...(options.routers ?? [])]);
    const providerFilters = [
      ...(flow?.providerFilters ?? []),
      ...(this.options.providerFilters ?? []),
      ...(options.providerFilters ?? []),
    ];
    const cluster = clusters.get(s.cluster);
    let directory: StaticDirectory | RegistryDirectory;
    let ready: Promise<void> = Promise.resolve();
    let unregister = async (): Promise<void> => {};
    let governance: GovernanceRouters | null = null;
    let group = s.group;
    let version = s.version;
    let path = interfaceName;
    if (s.directUrls !== null) {
      const first = s.directUrls[0]!;
      group ||= first.group ?? '';
      version ||= first.version ?? '';
      path = first.path || interfaceName;
      const consumerUrl = buildConsumerUrl(interfaceName, localIp(), {
        group,
        version,
        application: s.application,
        methods: s.methods,
        settings: s.overrides,
      });
      const invokers = s.directUrls.map((u) => {
        const url = (u.path ? u : u.withPath(interfaceName)).addParameters(s.overrides);
        return new ProviderInvoker(this.protocol(url.protocol ?? 'dubbo').refer(url, descriptor), providerFilters);
      });
      governance = this.governance(consumerUrl, null, routerChain);
      directory = new StaticDirectory(consumerUrl, invokers, routerChain);
      // Ready once every provider's first connection attempt settled (Java's check at refer time, without failing).
      ready = Promise.all(invokers.map((i) => i.ready())).then(() => {});
    } else {
      const registries = s.registries;
      const consumerUrl = buildConsumerUrl(interfaceName, localIp(), {
        group,
        version,
        application: s.application,
        methods: s.methods,
        settings: s.overrides,
      });
      let configure = (_source: 'app' | 'service', _urls: readonly DubboUrl[]): void => {};
      governance = this.governance(consumerUrl, registries[0]?.url ?? null, routerChain, (source, urls) =>
        configure(source, urls),
      );
      const registryDirectory = new RegistryDirectory(consumerUrl, {
        service: descriptor,
        protocolOf: (name) => (protocols.has(name) ? this.protocol(name) : undefined),
        overrides: s.overrides,
        providerFilters,
        routerChain,
      });
      directory = registryDirectory;
      configure = (source, urls) => registryDirectory.setConfigurators(source, urls);
      const registered = consumerUrl.addParameter('category', 'consumers');
      const registerConsumer = options.registerConsumer ?? true;
      ready = Promise.all(
        registries.map(async (r) => {
          await registryDirectory.subscribe(consumerView(r));
          if (registerConsumer) await r.register(registered).catch(() => {}); // retried in the background
        }),
      ).then(() => {});
      ready.catch(() => {}); // subscriptions are retried in the background; calls wait for providers instead
      if (registerConsumer) {
        unregister = async () => {
          await Promise.allSettled(registries.map((r) => r.unregister(registered)));
        };
      }
    }
    const joined = cluster.join(directory, { loadBalances, waitMs: s.waitMs });
    const invoker = s.mocked ? new MockClusterInvoker(joined, options.mockImpl) : joined;
    const proxy = createProxy(descriptor, invoker, {
      path,
      interfaceName,
      group,
      version,
      attachments: s.attachments,
      filters: [...(flow?.filters ?? []), ...(this.options.filters ?? []), ...(options.filters ?? [])],
    });
    const ref: Reference<T> = {
      proxy: proxy as ServiceProxy<T>,
      invoker,
      directory,
      url: directory.url,
      ready,
      flow,
      destroy: async () => {
        if (!this.references.delete(ref as Reference<unknown>)) return;
        await unregister();
        governance?.destroy();
        await invoker.destroy();
      },
    };
    this.references.add(ref as Reference<unknown>);
    return ref;
  }

  /**
   * Adds the governance routers (tag, conditions) to a reference's chain, fed by the config center: the client's, or
   * the one derived from the reference's first registry. Direct references get them only with a client config center.
   */
  private governance(
    consumerUrl: DubboUrl,
    registryUrl: DubboUrl | null,
    chain: RouterChain,
    onConfigurators?: (source: 'app' | 'service', urls: readonly DubboUrl[]) => void,
  ): GovernanceRouters | null {
    let cc: DynamicConfiguration | null = null;
    const setting = this.options.configCenter;
    if (setting !== undefined && setting !== false && typeof setting !== 'string') cc = setting;
    else if (typeof setting === 'string') cc = this.ownConfigCenter(setting);
    else if (setting === undefined && registryUrl !== null) {
      const u = configCenterUrlOf(registryUrl);
      if (u !== undefined) cc = this.ownConfigCenter(u.toFullString());
    }
    if (cc === null && registryUrl === null) return null;
    const g = governanceRouters(consumerUrl, cc, onConfigurators);
    chain.setRouters([...chain.routers, ...g.routers]);
    return g;
  }

  private ownConfigCenter(url: string): DynamicConfiguration {
    let cc = this.ownConfigCenters.get(url);
    if (cc === undefined) {
      cc = createDynamicConfiguration(url);
      this.ownConfigCenters.set(url, cc);
    }
    return cc;
  }

  /** The client's instance of a protocol (created on first use; it owns that protocol's connections). */
  protocol(name = 'dubbo'): Protocol {
    let p = this.protocolInstances.get(name);
    if (p === undefined) {
      if (this.closed) throw new DubboError('DUBBO_ERR_CLOSED', 'the client is closed');
      p = protocols.get(name)(this.options);
      this.protocolInstances.set(name, p);
    }
    return p;
  }

  /** Calls sent and not answered yet, over every protocol's connections. */
  get callsInFlight(): number {
    let n = 0;
    for (const p of this.protocolInstances.values()) n += p.callsInFlight ?? 0;
    return n;
  }

  /** References made and not destroyed. */
  get referenceCount(): number {
    return this.references.size;
  }

  /** Whether a connection to the provider at `host:port` is open (IPv6 with or without brackets). */
  isConnected(host: string, port: number): boolean {
    for (const p of this.protocolInstances.values()) if (p.isConnected(host, port)) return true;
    return false;
  }

  /**
   * Destroys every reference (unregistering its consumer URL) and closes every connection; calls still pending
   * fail with `DUBBO_ERR_CLOSED`.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const refs = [...this.references].map((r) => r.destroy());
    const all = [...this.protocolInstances.values()];
    this.protocolInstances.clear();
    await Promise.all(all.map((p) => p.destroy()));
    await Promise.allSettled(refs);
    const ccs = [...this.ownConfigCenters.values()];
    this.ownConfigCenters.clear();
    await Promise.allSettled(ccs.map((c) => c.close()));
  }
}
