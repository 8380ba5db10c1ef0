import { Backoff, getLogger } from '@dubbo-ts/gost';
import type { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { ApplicationLevelRegistry, NotifyListener, Registry, RegistryChange } from './registry.js';
import { type RegistryOptions, registryOptions } from './registry-options.js';

/** One subscription: a consumer URL, its listeners and the last good list delivered to them. */
export class Subscription {
  readonly listeners = new Set<NotifyListener>();
  /** The last delivered URLs by full string; stays in force while the registry is unhealthy. */
  readonly current = new Map<string, DubboUrl>();
  /** Whether a first list was delivered. */
  delivered = false;
  /**
   * Until this time (ms since epoch) an update that would empty a non-empty list is held back: right after a
   * session or lease was re-created the other processes may not have written themselves back yet.
   */
  holdEmptyUntil = 0;
  /** Called when an empty update was held back (the registry reads again later). */
  onHeld: (() => void) | undefined;

  constructor(
    readonly key: string,
    readonly url: DubboUrl,
  ) {}

  /**
   * Replaces the list with `next` (full strings -> URLs) and notifies when anything changed (or on the first read).
   * Cost: one pass over `next`; listeners get the diff.
   */
  update(next: ReadonlyMap<string, DubboUrl>): void {
    if (next.size === 0 && this.current.size > 0 && Date.now() < this.holdEmptyUntil) {
      this.onHeld?.();
      return;
    }
    const added: DubboUrl[] = [];
    const removed: DubboUrl[] = [];
    for (const [k, u] of next) if (!this.current.has(k)) added.push(u);
    for (const [k, u] of this.current) if (!next.has(k)) removed.push(u);
    if (this.delivered && added.length === 0 && removed.length === 0) return;
    for (const u of removed) this.current.delete(u.toFullString());
    for (const u of added) this.current.set(u.toFullString(), u);
    this.delivered = true;
    this.emit({ added, removed });
  }

  /** Applies a single change (from a per-key watch), notifying only when it changes the list. */
  apply(added: readonly DubboUrl[], removed: readonly DubboUrl[]): void {
    const a: DubboUrl[] = [];
    const r: DubboUrl[] = [];
    for (const u of removed) if (this.current.delete(u.toFullString())) r.push(u);
    for (const u of added) {
      const k = u.toFullString();
      if (!this.current.has(k)) {
        this.current.set(k, u);
        a.push(u);
      }
    }
    if (a.length > 0 || r.length > 0) this.emit({ added: a, removed: r });
  }

  /** Sends the current list to one listener (a listener added to an existing subscription). */
  replay(listener: NotifyListener): void {
    if (!this.delivered) return;
    safeNotify(listener, [...this.current.values()], { added: [...this.current.values()], removed: [] });
  }

  private emit(change: RegistryChange): void {
    const urls = [...this.current.values()];
    for (const l of this.listeners) safeNotify(l, urls, change);
  }
}

function safeNotify(l: NotifyListener, urls: readonly DubboUrl[], change: RegistryChange): void {
  try {
    l.notify(urls, change);
  } catch (err) {
    getLogger().warn(`registry listener threw: ${(err as Error).message}`);
  }
}

/**
 * Base of the registries: remembers what was registered and subscribed, retries failed operations in the
 * background with exponential backoff and jitter (so a registry restart does not make every client retry in step),
 * and re-registers / re-subscribes everything after a session or lease is lost ({@link RegistryBase.recover}).
 */
export abstract class RegistryBase implements Registry {
  readonly options: RegistryOptions;
  protected readonly registered = new Map<string, DubboUrl>();
  protected readonly subscriptions = new Map<string, Subscription>();
  protected destroyed = false;
  private readonly failedRegister = new Set<string>();
  private readonly failedUnregister = new Map<string, DubboUrl>();
  private readonly failedSubscribe = new Set<string>();
  private readonly backoff: Backoff;
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying = false;
  private retryAgain = false;
  private applicationLevelFactory: (() => ApplicationLevelRegistry) | undefined;
  private applicationLevelRegistry: ApplicationLevelRegistry | undefined;

  constructor(readonly url: DubboUrl) {
    this.options = registryOptions(url);
    this.backoff = new Backoff({ initialMs: this.options.retryInitialMs, maxMs: this.options.retryMaxMs, jitter: 0.5 });
  }

  abstract isAvailable(): boolean;
  protected abstract doRegister(url: DubboUrl): Promise<void>;
  protected abstract doUnregister(url: DubboUrl): Promise<void>;
  /** Reads the subscription's list, sets up its watches and calls `sub.update`. */
  protected abstract doSubscribe(sub: Subscription): Promise<void>;
  protected abstract doUnsubscribe(sub: Subscription): Promise<void>;
  protected abstract doLookup(url: DubboUrl): Promise<DubboUrl[]>;
  protected abstract doClose(): Promise<void>;

  /**
   * Declares how to make the application-level registry on this registry's server (done for plain `zookeeper://`
   * and `etcd://` URLs by `registerBuiltinRegistries`); see {@link Registry.applicationLevel}.
   */
  setApplicationLevel(factory: (() => ApplicationLevelRegistry) | undefined): void {
    this.applicationLevelFactory = factory;
  }

  applicationLevel(): ApplicationLevelRegistry | undefined {
    if (this.applicationLevelRegistry === undefined && this.applicationLevelFactory !== undefined && !this.destroyed) {
      this.applicationLevelRegistry = this.applicationLevelFactory();
    }
    return this.applicationLevelRegistry;
  }

  /** The URLs this registry keeps registered. */
  getRegistered(): DubboUrl[] {
    return [...this.registered.values()];
  }

  async register(url: DubboUrl): Promise<void> {
    this.checkOpen();
    const key = url.toFullString();
    this.registered.set(key, url);
    this.failedUnregister.delete(key);
    try {
      await this.doRegister(url);
      this.failedRegister.delete(key);
    } catch (err) {
      this.failedRegister.add(key);
      this.scheduleRetry();
      throw wrap(err, `register ${key}`);
    }
  }

  async unregister(url: DubboUrl): Promise<void> {
    this.checkOpen();
    const key = url.toFullString();
    this.registered.delete(key);
    this.failedRegister.delete(key);
    try {
      await this.doUnregister(url);
      this.failedUnregister.delete(key);
    } catch (err) {
      this.failedUnregister.set(key, url);
      this.scheduleRetry();
      throw wrap(err, `unregister ${key}`);
    }
  }

  async subscribe(url: DubboUrl, listener: NotifyListener): Promise<void> {
    this.checkOpen();
    const key = url.toFullString();
    let sub = this.subscriptions.get(key);
    if (sub !== undefined) {
      sub.listeners.add(listener);
      sub.replay(listener);
      return;
    }
    sub = new Subscription(key, url);
    sub.listeners.add(listener);
    const held = sub;
    sub.onHeld = () => {
      const t = setTimeout(() => this.resubscribeLater(held), Math.max(0, held.holdEmptyUntil - Date.now()) + 10);
      t.unref?.();
    };
    this.subscriptions.set(key, sub);
    try {
      await this.doSubscribe(sub);
      this.failedSubscribe.delete(key);
    } catch (err) {
      this.failedSubscribe.add(key);
      this.scheduleRetry();
      throw wrap(err, `subscribe ${key}`);
    }
  }

  async unsubscribe(url: DubboUrl, listener: NotifyListener): Promise<void> {
    const key = url.toFullString();
    const sub = this.subscriptions.get(key);
    if (sub === undefined) return;
    sub.listeners.delete(listener);
    if (sub.listeners.size > 0) return;
    this.subscriptions.delete(key);
    this.failedSubscribe.delete(key);
    await this.doUnsubscribe(sub).catch(() => {});
  }

  async lookup(url: DubboUrl): Promise<DubboUrl[]> {
    this.checkOpen();
    return this.doLookup(url);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    // Unregister first, so consumers drop this process before its connections go away. Not connected, do not
    // wait for it (each operation would wait its whole timeout): ephemeral nodes and leased keys end with the
    // session or lease.
    const unregister = this.isAvailable() ? [...this.registered.values()].map((u) => this.doUnregister(u)) : [];
    await Promise.allSettled([...unregister, this.applicationLevelRegistry?.destroy()]);
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    this.registered.clear();
    for (const sub of this.subscriptions.values()) await this.doUnsubscribe(sub).catch(() => {});
    this.subscriptions.clear();
    await this.doClose();
  }

  /**
   * Called by a subclass after its session (ZooKeeper) or lease (etcd) was lost and a new one is up: writes every
   * registration again and re-reads every subscription (the lists are diffed, so listeners see only real changes).
   */
  protected recover(): void {
    for (const key of this.registered.keys()) this.failedRegister.add(key);
    // Other processes usually lost their sessions at the same moment (a server restart): each makes a new one after
    // at most one backoff step and writes itself back within an operation timeout. Holding only `timeout` let a
    // consumer publish an empty list when a provider was one backoff step behind it (seen on a loaded machine).
    const o = this.options;
    const holdUntil = o.emptyProtection ? Date.now() + o.timeoutMs + o.retryMaxMs : 0;
    for (const [key, sub] of this.subscriptions) {
      sub.holdEmptyUntil = holdUntil;
      this.failedSubscribe.add(key);
    }
    this.backoff.reset();
    void this.retry();
  }

  /** Re-runs failed operations now (also used after a reconnect). */
  protected scheduleRetry(delayMs?: number): void {
    if (this.destroyed) return;
    if (this.retryTimer !== undefined) {
      if (delayMs !== 0) return;
      clearTimeout(this.retryTimer); // run now rather than after the pending backoff
      this.retryTimer = undefined;
    }
    const delay = delayMs ?? this.backoff.next();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.retry();
    }, delay);
    this.retryTimer.unref?.();
  }

  private async retry(): Promise<void> {
    if (this.destroyed) return;
    if (this.retrying) {
      this.retryAgain = true;
      return;
    }
    this.retrying = true;
    try {
      do {
        this.retryAgain = false;
        await this.retryOnce();
      } while (this.retryAgain && !this.destroyed);
    } finally {
      this.retrying = false;
    }
  }

  private async retryOnce(): Promise<void> {
    let failed = false;
    for (const key of [...this.failedRegister]) {
      const url = this.registered.get(key);
      if (url === undefined) {
        this.failedRegister.delete(key);
        continue;
      }
      try {
        await this.doRegister(url);
        this.failedRegister.delete(key);
      } catch {
        failed = true;
      }
    }
    for (const [key, url] of [...this.failedUnregister]) {
      try {
        await this.doUnregister(url);
        this.failedUnregister.delete(key);
      } catch {
        failed = true;
      }
    }
    for (const key of [...this.failedSubscribe]) {
      const sub = this.subscriptions.get(key);
      if (sub === undefined) {
        this.failedSubscribe.delete(key);
        continue;
      }
      try {
        await this.doSubscribe(sub);
        this.failedSubscribe.delete(key);
      } catch {
        failed = true;
      }
    }
    if (failed) this.scheduleRetry();
    else this.backoff.reset();
  }

  /** Marks a subscription for a background re-read (a watch could not be re-armed). */
  protected resubscribeLater(sub: Subscription): void {
    if (!this.subscriptions.has(sub.key)) return;
    this.failedSubscribe.add(sub.key);
    this.scheduleRetry();
  }

  private checkOpen(): void {
    if (this.destroyed) throw new DubboError('DUBBO_ERR_REGISTRY_CLOSED', `registry ${this.url.address} is destroyed`);
  }
}

function wrap(err: unknown, what: string): DubboError {
  if (err instanceof DubboError) return err;
  return new DubboError('DUBBO_ERR_REGISTRY', `${what} failed: ${(err as Error)?.message ?? err}`, { cause: err });
}
