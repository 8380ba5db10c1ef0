import type { DubboUrl } from '../../common/url.js';
import { DubboError } from '../../errors.js';
import type { ApplicationLevelRegistry, NotifyListener, Registry, RegistryChange } from '../registry.js';
import { Subscription } from '../registry-base.js';
import { registryOptions } from '../registry-options.js';

/**
 * How a consumer discovers providers (Java's `dubbo.application.service-discovery.migration`): interface level
 * only, application level only, or application level when it has providers and interface level otherwise.
 */
export type MigrationMode = 'FORCE_INTERFACE' | 'FORCE_APPLICATION' | 'APPLICATION_FIRST';

const MODES: readonly MigrationMode[] = ['FORCE_INTERFACE', 'FORCE_APPLICATION', 'APPLICATION_FIRST'];

/** Validates a migration mode name. @throws DubboError `DUBBO_ERR_INVALID_ARG` for an unknown mode. */
export function migrationMode(value: string): MigrationMode {
  const v = value.toUpperCase() as MigrationMode;
  if (!MODES.includes(v)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `unknown migration mode ${value}`);
  return v;
}

/**
 * Java's rule for `APPLICATION_FIRST` (`DefaultMigrationAddressComparator`): application level is used when it has
 * providers and either interface level has none or application level has at least `threshold` times as many
 * (Java's `dubbo.application.migration.threshold`, default 1.0: as many). Otherwise interface level is used, so a
 * provider registered at interface level only is not lost while others of the same service are found by instance.
 */
export function preferApplicationLevel(appCount: number, interfaceCount: number, threshold = 1): boolean {
  if (appCount <= 0) return false;
  if (interfaceCount <= 0) return true;
  return appCount / interfaceCount >= threshold;
}

interface Pair {
  readonly sub: Subscription;
  iface: readonly DubboUrl[] | undefined;
  app: readonly DubboUrl[] | undefined;
  /** Publishes with whichever side answered when the other did not within `timeout`. */
  timer: NodeJS.Timeout | undefined;
  readonly ifaceListener: NotifyListener;
  readonly appListener: NotifyListener;
}

/**
 * A consumer-side registry that combines an interface-level and an application-level registry of the same server
 * according to a {@link MigrationMode} (Java's `MigrationInvoker`). Registrations go to the interface-level
 * registry. In `APPLICATION_FIRST` the list is chosen by {@link preferApplicationLevel} each time either side
 * changes, once both answered (or `timeout` ms after the first one did); the ratio threshold is the registry URL's
 * `migration-threshold` parameter (default 1.0).
 */
export class MigrationRegistry implements Registry {
  private readonly pairs = new Map<string, Pair>();
  /** Java's `dubbo.application.migration.threshold` (`migration-threshold` on the registry URL). */
  readonly threshold: number;
  private readonly timeoutMs: number;

  constructor(
    readonly url: DubboUrl,
    readonly interfaceRegistry: Registry,
    readonly applicationRegistry: Registry,
    readonly mode: MigrationMode,
  ) {
    const t = Number(url.getParameter('migration-threshold', '1'));
    this.threshold = Number.isFinite(t) && t >= 0 ? t : 1;
    // How long one level's first answer waits for the other's: the registry `timeout`, at most 5 s (a registry
    // that has not answered in 5 s is retried by the registry itself; the list the other level gave is used).
    this.timeoutMs = Math.min(registryOptions(url).timeoutMs, 5000);
  }

  isAvailable(): boolean {
    return this.interfaceRegistry.isAvailable() || this.applicationRegistry.isAvailable();
  }

  /** The application-level registry, when it has a discovery providers can register in. */
  applicationLevel(): ApplicationLevelRegistry | undefined {
    const app = this.applicationRegistry as Partial<ApplicationLevelRegistry>;
    return app.discovery === undefined ? undefined : (app as ApplicationLevelRegistry);
  }

  register(url: DubboUrl): Promise<void> {
    return this.interfaceRegistry.register(url);
  }

  unregister(url: DubboUrl): Promise<void> {
    return this.interfaceRegistry.unregister(url);
  }

  async subscribe(url: DubboUrl, listener: NotifyListener): Promise<void> {
    if (this.mode === 'FORCE_INTERFACE') return this.interfaceRegistry.subscribe(url, listener);
    if (this.mode === 'FORCE_APPLICATION') return this.applicationRegistry.subscribe(url, listener);
    const key = url.toFullString();
    const existing = this.pairs.get(key);
    if (existing !== undefined) {
      existing.sub.listeners.add(listener);
      existing.sub.replay(listener);
      return;
    }
    const sub = new Subscription(key, url);
    sub.listeners.add(listener);
    const publish = (whatever: boolean) => {
      if (this.pairs.get(key) !== pair) return;
      if (pair.iface === undefined || pair.app === undefined) {
        // One side has not answered yet: wait for it (a bounded time), so a quick empty answer from one side does
        // not publish an empty or partial list the other side would at once replace.
        if (!whatever) {
          pair.timer ??= setTimeout(() => publish(true), this.timeoutMs);
          pair.timer.unref?.();
          return;
        }
      }
      clearTimeout(pair.timer);
      const app = pair.app ?? [];
      const iface = pair.iface ?? [];
      const chosen = preferApplicationLevel(app.length, iface.length, this.threshold) ? app : iface;
      sub.update(new Map(chosen.map((u) => [u.toFullString(), u])));
    };
    const pair: Pair = {
      sub,
      iface: undefined,
      app: undefined,
      timer: undefined,
      ifaceListener: {
        notify: (urls: readonly DubboUrl[], _c: RegistryChange) => {
          pair.iface = urls;
          publish(sub.delivered);
        },
      },
      appListener: {
        notify: (urls: readonly DubboUrl[], _c: RegistryChange) => {
          pair.app = urls;
          publish(sub.delivered);
        },
      },
    };
    this.pairs.set(key, pair);
    await Promise.all([
      this.interfaceRegistry.subscribe(url, pair.ifaceListener),
      // Application level unreachable: interface level serves meanwhile (its subscription is retried inside).
      this.applicationRegistry.subscribe(url, pair.appListener).catch(() => {
        if (pair.iface !== undefined) publish(true);
      }),
    ]);
  }

  async unsubscribe(url: DubboUrl, listener: NotifyListener): Promise<void> {
    if (this.mode === 'FORCE_INTERFACE') return this.interfaceRegistry.unsubscribe(url, listener);
    if (this.mode === 'FORCE_APPLICATION') return this.applicationRegistry.unsubscribe(url, listener);
    const key = url.toFullString();
    const pair = this.pairs.get(key);
    if (pair === undefined) return;
    pair.sub.listeners.delete(listener);
    if (pair.sub.listeners.size > 0) return;
    this.pairs.delete(key);
    clearTimeout(pair.timer);
    await this.interfaceRegistry.unsubscribe(url, pair.ifaceListener);
    await this.applicationRegistry.unsubscribe(url, pair.appListener);
  }

  async lookup(url: DubboUrl): Promise<DubboUrl[]> {
    if (this.mode === 'FORCE_INTERFACE') return this.interfaceRegistry.lookup(url);
    if (this.mode === 'FORCE_APPLICATION') return this.applicationRegistry.lookup(url);
    const [app, iface] = await Promise.all([
      this.applicationRegistry.lookup(url).catch(() => []),
      this.interfaceRegistry.lookup(url),
    ]);
    return preferApplicationLevel(app.length, iface.length, this.threshold) ? app : iface;
  }

  /** Destroys both registries (a view made by `referenceFromRegistry` is only unsubscribed, never destroyed). */
  async destroy(): Promise<void> {
    for (const p of this.pairs.values()) clearTimeout(p.timer);
    this.pairs.clear();
    await Promise.allSettled([this.interfaceRegistry.destroy(), this.applicationRegistry.destroy()]);
  }
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
