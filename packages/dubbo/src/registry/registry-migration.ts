import type { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { NotifyListener, Registry, RegistryChange } from './registry.js';
import { Subscription } from './registry-base.js';

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

interface Pair {
  readonly sub: Subscription;
  iface: readonly DubboUrl[];
  app: readonly DubboUrl[];
  readonly ifaceListener: NotifyListener;
  readonly appListener: NotifyListener;
}

/**
 * A consumer-side registry that combines an interface-level and an application-level registry of the same server
 * according to a {@link MigrationMode}. Registrations go to the interface-level registry.
 */
export class MigrationRegistry implements Registry {
  private readonly pairs = new Map<string, Pair>();

  constructor(
    readonly url: DubboUrl,
    readonly interfaceRegistry: Registry,
    readonly applicationRegistry: Registry,
    readonly mode: MigrationMode,
  ) {}

  isAvailable(): boolean {
    return this.interfaceRegistry.isAvailable() || this.applicationRegistry.isAvailable();
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
    let ifaceSeen = false;
    let appSeen = false;
    const publish = () => {
      if (!ifaceSeen && !appSeen) return;
      // Application level wins once it has providers; until then (or when it has none) interface level serves.
      const chosen = pair.app.length > 0 ? pair.app : pair.iface;
      sub.update(new Map(chosen.map((u) => [u.toFullString(), u])));
    };
    const pair: Pair = {
      sub,
      iface: [],
      app: [],
      ifaceListener: {
        notify: (urls: readonly DubboUrl[], _c: RegistryChange) => {
          ifaceSeen = true;
          pair.iface = urls;
          publish();
        },
      },
      appListener: {
        notify: (urls: readonly DubboUrl[], _c: RegistryChange) => {
          appSeen = true;
          pair.app = urls;
          publish();
        },
      },
    };
    this.pairs.set(key, pair);
    await Promise.all([
      this.interfaceRegistry.subscribe(url, pair.ifaceListener),
      this.applicationRegistry.subscribe(url, pair.appListener).catch(() => {}),
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
    await this.interfaceRegistry.unsubscribe(url, pair.ifaceListener);
    await this.applicationRegistry.unsubscribe(url, pair.appListener);
  }

  async lookup(url: DubboUrl): Promise<DubboUrl[]> {
    if (this.mode === 'FORCE_INTERFACE') return this.interfaceRegistry.lookup(url);
    const app = await this.applicationRegistry.lookup(url).catch(() => []);
    if (this.mode === 'FORCE_APPLICATION' || app.length > 0) return app;
    return this.interfaceRegistry.lookup(url);
  }

  async destroy(): Promise<void> {
    await Promise.allSettled([this.interfaceRegistry.destroy(), this.applicationRegistry.destroy()]);
  }
}
