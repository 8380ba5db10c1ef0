import { getLogger } from '@dubbo-ts/gost';
import { configureAll } from '../cluster/configurator/configurator.js';
import { AbstractDirectory } from '../cluster/directory.js';
import { ProviderInvoker } from '../cluster/provider-invoker.js';
import { routers as routerFactories } from '../cluster/registries.js';
import type { Router, RouterChain } from '../cluster/router-chain.js';
import { DubboUrl } from '../common/url.js';
import type { ServiceDescriptor } from '../config/service-descriptor.js';
import type { Filter } from '../filter/filter.js';
import type { Protocol } from '../protocol/protocol.js';
import type { NotifyListener, Registry, RegistryChange } from './registry.js';

/** How a {@link RegistryDirectory} turns provider URLs into invokers. */
export interface RegistryDirectoryOptions {
  /** The service descriptor; `null` for a generic reference. */
  readonly service: ServiceDescriptor | null;
  /** The protocol instance for a provider URL's scheme (`undefined`: the URL is skipped). */
  readonly protocolOf: (name: string) => Protocol | undefined;
  /**
   * The reference's own settings (`timeout`, `retries`, `loadbalance`, `m.timeout`...), laid over each provider
   * URL's parameters: a provider's `timeout` reaches its consumers unless the reference sets one (Java's merge).
   */
  readonly overrides: Readonly<Record<string, string>>;
  /** Filters around each call to one provider. @defaultValue none */
  readonly providerFilters?: readonly Filter[];
  /** The routers. @defaultValue an empty chain */
  readonly routerChain?: RouterChain;
}

interface Entry {
  /** The URL as registered. */
  readonly registered: DubboUrl;
  /** The URL the invoker was referred with: registered, the reference's settings, the override rules. */
  readonly merged: DubboUrl;
  readonly invoker: ProviderInvoker;
}

/** Where override rules come from, in the order Java applies them (a later one wins). */
export type ConfiguratorSource = 'registry' | 'app' | 'service';
const CONFIGURATOR_SOURCES: readonly ConfiguratorSource[] = ['registry', 'app', 'service'];

const NOT_PROVIDERS = new Set(['override', 'route', 'routers', 'condition', 'script', 'tag', 'empty', 'consumer']);

/**
 * The consumer's view of one service in the registries (Java's `RegistryDirectory`): the provider list turned into
 * provider invokers through the protocol (connections borrowed from its pool). A provider that appears is referred,
 * one that goes away is destroyed (its connection released); a provider registered again under the same address
 * is referred again with the new URL before the old invoker goes, so the connection stays open and its statistics
 * carry over. Lists from several registries are merged by address. An empty list caused by a fault never reaches
 * here (the registry holds its last good list).
 */
export class RegistryDirectory extends AbstractDirectory implements NotifyListener {
  private readonly entries = new Map<string, Entry>();
  /** Per registry: address -> URL, so a provider known to two registries stays until both drop it. */
  private readonly perRegistry = new Map<Registry | RegistryDirectory, Map<string, DubboUrl>>();
  private readonly listeners = new Map<Registry, NotifyListener>();
  private readonly firstList: Promise<void>;
  private resolveFirst!: () => void;
  private readonly skipped = new Set<string>();
  /** Per address: the zone-aware cluster's `registry.zone` / `registry.preferred` of the registry it came from. */
  private readonly zones = new Map<string, Record<string, string>>();
  /** Per registry: the `configurators` and `routers` URLs it holds now, by full string. */
  private readonly governanceUrls = new Map<Registry | RegistryDirectory, Map<string, DubboUrl>>();
  /** Routers made from registry router URLs, by full string. */
  private registryRouters = new Map<string, Router>();
  private registryConfiguratorsKey = '';
  /** Override URLs by source (registry `configurators`, the app's and the service's config-center rules). */
  private readonly configurators = new Map<ConfiguratorSource, readonly DubboUrl[]>();
  /** The protocol MetadataService calls of application-level discovery go through (its connection pool). */
  readonly protocol: Protocol | undefined;

  constructor(
    readonly consumerUrl: DubboUrl,
    private readonly options: RegistryDirectoryOptions,
  ) {
    super(consumerUrl, options.routerChain);
    this.firstList = new Promise((r) => (this.resolveFirst = r));
    this.protocol = options.protocolOf('dubbo');
  }

  /** Subscribes to `registry`; the provider list of every registry subscribed is merged. */
  async subscribe(registry: Registry): Promise<void> {
    const listener: NotifyListener = {
      notify: (urls, change) => this.onNotify(registry, urls, change),
      protocol: this.protocol,
    };
    this.listeners.set(registry, listener);
    await registry.subscribe(this.consumerUrl, listener);
  }

  /** Listener entry point when used directly as a listener of one registry (no merging). */
  notify(urls: readonly DubboUrl[], change: RegistryChange): void {
    this.onNotify(this, urls, change);
  }

  private onNotify(key: Registry | RegistryDirectory, urls: readonly DubboUrl[], change: RegistryChange): void {
    if (this.destroyed) return;
    this.noteGovernance(key, urls, change);
    let mine = this.perRegistry.get(key);
    if (mine === undefined) {
      mine = new Map();
      this.perRegistry.set(key, mine);
      for (const u of urls) if (this.usable(u)) mine.set(addressKey(u), u);
      for (const k of mine.keys()) this.noteZone(key, k);
      for (const u of mine.values()) this.add(u);
    } else {
      // Added first: a URL replaced by another of the same address (a re-registration, or the switch between
      // interface- and application-level lists) keeps its connection instead of closing and reopening it.
      for (const u of change.added) {
        if (!this.usable(u)) continue;
        mine.set(addressKey(u), u);
        this.noteZone(key, addressKey(u));
        this.add(u);
      }
      for (const u of change.removed) {
        const k = addressKey(u);
        if (mine.get(k)?.toFullString() === u.toFullString()) {
          mine.delete(k);
          this.removeIfUnused(k);
        }
      }
    }
    this.setInvokers([...this.entries.values()].map((e) => e.invoker));
    this.resolveFirst();
  }

  /**
   * Keeps the Dubbo 2.x `override://` / `absent://` (category `configurators`) and `condition://` (category
   * `routers`) URLs of a registry, and applies them when they changed: the override URLs as the first source of
   * configurators (an `empty://` among them clears them, as Java), the router URLs as routers made by the
   * {@link routerFactories} registry (`router` parameter, else scheme).
   */
  private noteGovernance(key: Registry | RegistryDirectory, urls: readonly DubboUrl[], change: RegistryChange): void {
    let mine = this.governanceUrls.get(key);
    let changed = false;
    if (mine === undefined) {
      mine = new Map();
      this.governanceUrls.set(key, mine);
      for (const u of urls) if (isGovernance(u)) mine.set(u.toFullString(), u);
      changed = mine.size > 0;
    } else {
      for (const u of change.added) {
        if (isGovernance(u)) {
          mine.set(u.toFullString(), u);
          changed = true;
        }
      }
      for (const u of change.removed) if (mine.delete(u.toFullString())) changed = true;
    }
    if (changed) this.applyGovernance();
  }

  private applyGovernance(): void {
    const all = new Map<string, DubboUrl>();
    for (const m of this.governanceUrls.values()) for (const [k, u] of m) all.set(k, u);
    let confs: DubboUrl[] = [];
    let cleared = false;
    const routerUrls = new Map<string, DubboUrl>();
    for (const [k, u] of all) {
      if (isConfiguratorUrl(u)) {
        if (u.protocol === 'empty') cleared = true;
        else if ([...u.parameters.keys()].some((p) => p !== 'anyhost')) confs.push(u);
      } else if (u.protocol !== 'empty') {
        routerUrls.set(k, u);
      }
    }
    if (cleared) confs = [];
    const confKey = confs.map((u) => u.toFullString()).join('\n');
    if (confKey !== this.registryConfiguratorsKey) {
      this.registryConfiguratorsKey = confKey;
      this.setConfigurators('registry', confs);
    }
    const next = new Map<string, Router>();
    for (const [k, u] of routerUrls) {
      const existing = this.registryRouters.get(k);
      if (existing !== undefined) {
        next.set(k, existing);
        continue;
      }
      const type = u.getParameter('router') || u.protocol || '';
      const factory = routerFactories.find(type);
      if (factory === undefined) {
        getLogger().warn(
          `dubbo: ${this.url.serviceKey}: no router '${type}' for registry router URL ${u.toFullString()}`,
        );
        continue;
      }
      try {
        next.set(k, factory(u));
      } catch (err) {
        getLogger().warn(`dubbo: ${this.url.serviceKey}: router URL refused: ${(err as Error).message}`);
      }
    }
    const old = new Set(this.registryRouters.values());
    const same = next.size === old.size && [...next.values()].every((r) => old.has(r));
    this.registryRouters = next;
    if (!same) {
      const kept = this.routerChain.routers.filter((r) => !old.has(r));
      this.routerChain.setRouters([...kept, ...next.values()]);
    }
  }

  private noteZone(key: Registry | RegistryDirectory, address: string): void {
    if (key === this) return;
    const r = (key as Registry).url;
    const zone = r.getParameter('zone');
    const preferred = r.getParameter('preferred');
    if (zone === undefined && preferred === undefined) return;
    const z: Record<string, string> = {};
    if (zone !== undefined) z['registry.zone'] = zone;
    if (preferred !== undefined) z['registry.preferred'] = preferred;
    this.zones.set(address, z);
  }

  private usable(u: DubboUrl): boolean {
    if (NOT_PROVIDERS.has(u.protocol ?? '') || u.category === 'configurators' || u.category === 'routers') return false;
    if (!u.host || !(u.port > 0) || !u.getBooleanParameter('enabled', true)) return false;
    if (this.options.protocolOf(u.protocol ?? '') !== undefined) return true;
    if (!this.skipped.has(u.protocol ?? '')) {
      this.skipped.add(u.protocol ?? '');
      getLogger().warn(`dubbo: ${this.url.serviceKey}: skipping providers of unknown protocol '${u.protocol}'`);
    }
    return false;
  }

  /**
   * Replaces the override URLs of one source (Java's configurators: registry `configurators` category, then
   * `{app}.configurators`, then `{iface}:{version}:{group}.configurators`) and re-refers the providers whose URL
   * they change: `timeout`, `retries`, `loadbalance`, `weight`... take effect on the next call; `disabled=true`
   * takes the provider out of the list.
   */
  setConfigurators(source: ConfiguratorSource, urls: readonly DubboUrl[]): void {
    if (this.destroyed) return;
    if (urls.length === 0) this.configurators.delete(source);
    else this.configurators.set(source, urls);
    const all = new Map<string, DubboUrl>();
    for (const m of this.perRegistry.values()) for (const [k, u] of m) all.set(k, u);
    for (const u of all.values()) this.add(u);
    for (const k of [...this.entries.keys()]) if (!all.has(k)) this.removeIfUnused(k);
    this.setInvokers([...this.entries.values()].map((e) => e.invoker));
  }

  /** The URL a provider is referred with; `null` when an override disables it. */
  private mergedUrl(url: DubboUrl, k: string): DubboUrl | null {
    let merged = url.addParameters(this.options.overrides);
    const zone = this.zones.get(k);
    if (zone !== undefined) merged = merged.addParameters(zone);
    if (this.configurators.size > 0) {
      // Matched as Java matches its merged URL: the consumer's side and application.
      const view = merged.addParameters({ side: 'consumer', application: this.url.getParameter('application') ?? '' });
      let configured = view;
      for (const source of CONFIGURATOR_SOURCES) {
        const list = this.configurators.get(source);
        if (list !== undefined) configured = configureAll(list, configured, this.url.host ?? '');
      }
      if (configured !== view) {
        const set: Record<string, string> = {};
        for (const [key, v] of configured.parameters) if (view.parameters.get(key) !== v) set[key] = v;
        merged = merged.addParameters(set);
      }
    }
    const disabled = merged.hasParameter('disabled')
      ? merged.getBooleanParameter('disabled', false)
      : !merged.getBooleanParameter('enabled', true);
    return disabled ? null : merged;
  }

  private add(url: DubboUrl): void {
    const k = addressKey(url);
    const old = this.entries.get(k);
    const merged = this.mergedUrl(url, k);
    if (merged === null) {
      if (old !== undefined) {
        this.entries.delete(k);
        void old.invoker.destroy();
      }
      return;
    }
    if (old !== undefined && old.merged.toFullString() === merged.toFullString()) {
      if (old.registered !== url) this.entries.set(k, { ...old, registered: url });
      return;
    }
    const protocol = this.options.protocolOf(url.protocol ?? '') as Protocol;
    const target = protocol.refer(merged, this.options.service);
    const invoker = new ProviderInvoker(target, this.options.providerFilters, old?.invoker.stats);
    this.entries.set(k, { registered: url, merged, invoker });
    // Destroyed after the new invoker holds the connection: it stays open.
    if (old !== undefined) void old.invoker.destroy();
  }

  private removeIfUnused(k: string): void {
    for (const m of this.perRegistry.values()) if (m.has(k)) return;
    const e = this.entries.get(k);
    if (e === undefined) return;
    this.entries.delete(k);
    void e.invoker.destroy();
  }

  /** Resolves when a first list arrived and holds a provider, or after `waitMs`. */
  async waitForProviders(waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.firstList, new Promise((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    while (this.invokers.length === 0 && Date.now() < deadline && !this.destroyed) {
      await new Promise((r) => setTimeout(r, Math.min(50, deadline - Date.now())));
    }
  }

  /** Unsubscribes and destroys every provider invoker (their connections are released). */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const [registry, listener] of this.listeners) {
      await registry.unsubscribe(this.consumerUrl, listener).catch(() => {});
    }
    this.listeners.clear();
    const all = [...this.entries.values()];
    this.entries.clear();
    this.setInvokers([]);
    this.routerChain.destroy();
    await Promise.all(all.map((e) => e.invoker.destroy()));
  }
}

function isConfiguratorUrl(u: DubboUrl): boolean {
  return u.protocol === 'override' || u.protocol === 'absent' || u.category === 'configurators';
}

function isRouterUrl(u: DubboUrl): boolean {
  return u.protocol === 'route' || u.protocol === 'condition' || u.protocol === 'script' || u.category === 'routers';
}

/** A URL of the `configurators` or `routers` category (not a provider). */
function isGovernance(u: DubboUrl): boolean {
  return isConfiguratorUrl(u) || isRouterUrl(u);
}

function addressKey(u: DubboUrl): string {
  return `${u.host}:${u.port}/${u.path ?? ''}`;
}

/** Builds the `consumer://` URL a reference subscribes and registers with (Java's keys). */
export function buildConsumerUrl(
  interfaceName: string,
  host: string,
  params: {
    group?: string;
    version?: string;
    application?: string;
    methods?: readonly string[];
    settings?: Readonly<Record<string, string>>;
  },
): DubboUrl {
  const p: Record<string, string> = {
    ...params.settings,
    interface: interfaceName,
    category: 'providers,configurators,routers',
    side: 'consumer',
    check: 'false',
    dubbo: '2.0.2',
    pid: String(process.pid),
    timestamp: String(Date.now()),
  };
  if (params.group) p.group = params.group;
  if (params.version) p.version = params.version;
  if (params.application) p.application = params.application;
  if (params.methods && params.methods.length > 0) p.methods = [...params.methods].sort().join(',');
  return new DubboUrl({ protocol: 'consumer', host, path: interfaceName, parameters: p });
}
