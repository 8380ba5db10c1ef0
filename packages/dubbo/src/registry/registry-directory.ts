import { DubboUrl } from '../common/url.js';
import { createReference } from '../config/reference-config.js';
import type { ServiceDescriptor } from '../config/service-descriptor.js';
import { DubboError } from '../errors.js';
import type { Filter } from '../filter/filter.js';
import { ExchangeClient, type ExchangeClientOptions } from '../protocol/dubbo/exchange-client.js';
import type { ServiceProxy } from '../proxy/service-proxy.js';
import type { NotifyListener, Registry, RegistryChange } from './registry.js';

/** One live provider of a directory: its URL, its connection and the proxy calls go through. */
export interface DirectoryInvoker<T> {
  /** The provider URL as registered. */
  readonly url: DubboUrl;
  /** The connection (opened lazily on the first call). */
  readonly exchange: ExchangeClient;
  /** The typed proxy bound to this provider. */
  readonly proxy: ServiceProxy<T>;
}

/** How a {@link RegistryDirectory} builds the proxy of each provider. */
export interface DirectorySettings<T> {
  /** The service descriptor; `null` for a generic reference. */
  readonly descriptor: ServiceDescriptor<T> | null;
  /** The Java interface name. */
  readonly interfaceName: string;
  /** Service group ('' for none). */
  readonly group: string;
  /** Service version ('' for none). */
  readonly version: string;
  /** Call timeout in ms when the provider URL has none. */
  readonly timeout: number;
  /** Attachments sent with every call. */
  readonly attachments: Record<string, unknown>;
  /** Filters of the reference. */
  readonly filters: readonly Filter[];
  /** Connection settings of each provider. */
  readonly exchange: Omit<ExchangeClientOptions, 'host' | 'port'>;
}

/**
 * The consumer's view of one service in the registries (Java's `RegistryDirectory`): the provider list turned into
 * live invokers. A provider that appears gets a connection (opened on the first call), one that goes away has its
 * connection closed; work per notification is proportional to the change. Lists from several registries are merged
 * by address. An empty list caused by a fault never reaches here (the registry holds its last good list).
 */
export class RegistryDirectory<T = unknown> implements NotifyListener {
  private readonly invokers = new Map<string, DirectoryInvoker<T>>();
  /** Per registry: address -> URL, so a provider known to two registries stays until both drop it. */
  private readonly perRegistry = new Map<Registry, Map<string, DubboUrl>>();
  private readonly listeners = new Map<Registry, NotifyListener>();
  private list: DirectoryInvoker<T>[] = [];
  private firstList: Promise<void>;
  private resolveFirst!: () => void;
  private closed = false;
  private nextIndex = 0;

  constructor(
    readonly consumerUrl: DubboUrl,
    private readonly settings: DirectorySettings<T>,
  ) {
    this.firstList = new Promise((r) => (this.resolveFirst = r));
  }

  /** Subscribes to `registry`; the provider list of every registry subscribed is merged. */
  async subscribe(registry: Registry): Promise<void> {
    const listener: NotifyListener = { notify: (urls, change) => this.onNotify(registry, urls, change) };
    this.listeners.set(registry, listener);
    await registry.subscribe(this.consumerUrl, listener);
  }

  /** Listener entry point when used directly as a listener of one registry (no merging). */
  notify(urls: readonly DubboUrl[], change: RegistryChange): void {
    this.onNotify(undefined, urls, change);
  }

  private onNotify(registry: Registry | undefined, urls: readonly DubboUrl[], change: RegistryChange): void {
    if (this.closed) return;
    const key = registry ?? (this as unknown as Registry);
    let mine = this.perRegistry.get(key);
    if (mine === undefined) {
      mine = new Map();
      this.perRegistry.set(key, mine);
      for (const u of urls) if (usable(u)) mine.set(addressKey(u), u);
      for (const u of mine.values()) this.add(u);
    } else {
      // Added first: a URL replaced by another of the same address (a re-registration, or the switch between
      // interface- and application-level lists) keeps its connection instead of closing and reopening it.
      for (const u of change.added) {
        if (!usable(u)) continue;
        const k = addressKey(u);
        mine.set(k, u);
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
    this.list = [...this.invokers.values()];
    this.resolveFirst();
  }

  private add(url: DubboUrl): void {
    const k = addressKey(url);
    const old = this.invokers.get(k);
    if (old !== undefined) {
      if (old.url.toFullString() === url.toFullString()) return;
      // Same address, new registration (e.g. restarted provider): keep the connection, take the new URL.
      this.invokers.set(k, { ...old, url });
      return;
    }
    const s = this.settings;
    const exchange = new ExchangeClient({ ...s.exchange, host: url.host as string, port: url.port });
    const timeout = url.hasParameter('timeout') ? url.getTimeout() : s.timeout;
    const proxy = createReference(s.descriptor, s.interfaceName, exchange, {
      path: url.path || s.interfaceName,
      group: s.group,
      version: s.version,
      timeout,
      attachments: s.attachments,
      filters: s.filters,
    });
    this.invokers.set(k, { url, exchange, proxy });
    // Connect now (as Java does unless lazy), so selection can prefer providers whose connection is up.
    exchange.connect().catch(() => {});
  }

  private removeIfUnused(k: string): void {
    for (const m of this.perRegistry.values()) if (m.has(k)) return;
    const inv = this.invokers.get(k);
    if (inv === undefined) return;
    this.invokers.delete(k);
    void drainAndClose(inv.exchange, this.settings.timeout + 1000);
  }

  /** The live invokers right now. */
  get providers(): readonly DirectoryInvoker<T>[] {
    return this.list;
  }

  /** Number of providers. */
  get size(): number {
    return this.list.length;
  }

  /**
   * An invoker for the next call: round robin over providers whose connection is up (over all when none is), waiting
   * up to `waitMs` for the first provider list.
   *
   * @throws DubboError `DUBBO_ERR_NO_PROVIDER` when there is no provider after the wait.
   */
  async select(waitMs: number): Promise<DirectoryInvoker<T>> {
    if (this.list.length === 0 && waitMs > 0) await this.waitForProviders(waitMs);
    const list = this.list;
    const n = list.length;
    if (n === 0) {
      throw new DubboError(
        'DUBBO_ERR_NO_PROVIDER',
        `no provider of ${this.consumerUrl.serviceKey} in the registry (waited ${waitMs} ms)`,
      );
    }
    // Round robin over providers whose connection is up; only when none is up, over all of them (connecting).
    for (let i = 0; i < n; i++) {
      const idx = (this.nextIndex + i) % n;
      const inv = list[idx] as DirectoryInvoker<T>;
      if (inv.exchange.isConnected) {
        this.nextIndex = (idx + 1) % n;
        return inv;
      }
    }
    const inv = list[this.nextIndex % n] as DirectoryInvoker<T>;
    this.nextIndex = (this.nextIndex + 1) % n;
    return inv;
  }

  /** Resolves when a first list arrived and holds a provider, or after `waitMs`. */
  async waitForProviders(waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    await Promise.race([this.firstList, new Promise((r) => setTimeout(r, waitMs).unref?.())]);
    while (this.list.length === 0 && Date.now() < deadline && !this.closed) {
      await new Promise((r) => setTimeout(r, Math.min(50, deadline - Date.now())));
    }
  }

  /** Unsubscribes and closes every provider connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [registry, listener] of this.listeners)
      await registry.unsubscribe(this.consumerUrl, listener).catch(() => {});
    this.listeners.clear();
    const all = [...this.invokers.values()];
    this.invokers.clear();
    this.list = [];
    await Promise.all(all.map((i) => i.exchange.close()));
  }
}

/** Closes a provider's connection once its calls in flight are answered (or after `maxWaitMs`). */
async function drainAndClose(exchange: ExchangeClient, maxWaitMs: number): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  while (exchange.pendingCalls > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await exchange.close().catch(() => {});
}

function usable(u: DubboUrl): boolean {
  return u.protocol === 'dubbo' && u.host !== undefined && u.port > 0 && u.getBooleanParameter('enabled', true);
}

function addressKey(u: DubboUrl): string {
  return `${u.host}:${u.port}/${u.path ?? ''}`;
}

/** Builds the `consumer://` URL a reference subscribes and registers with (Java's keys). */
export function buildConsumerUrl(
  interfaceName: string,
  host: string,
  params: { group?: string; version?: string; application?: string; methods?: readonly string[] },
): DubboUrl {
  const p: Record<string, string> = {
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
