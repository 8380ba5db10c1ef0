import { getLogger } from '@dubbo-ts/gost';
import { DubboUrl } from '../../common/url.js';
import { DubboError } from '../../errors.js';
import { DubboProtocol } from '../../protocol/dubbo/dubbo-protocol.js';
import { type Protocol, urlHost } from '../../protocol/protocol.js';
import { RpcInvocation } from '../../rpc/invocation.js';
import { unwrapResult } from '../../rpc/invoker.js';
import { EtcdServiceDiscovery } from '../etcd/service-discovery-etcd.js';
import type { NotifyListener, Registry } from '../registry.js';
import { Subscription } from '../registry-base.js';
import { isMatch } from '../registry-paths.js';
import { ZookeeperServiceDiscovery } from '../zookeeper/service-discovery-zookeeper.js';
import {
  fromJavaMetadataInfo,
  METADATA_SERVICE_INTERFACE,
  METADATA_SERVICE_VERSION,
  type MetadataInfo,
  MetadataServiceDescriptor,
  providerUrlOf,
} from './metadata-info.js';
import type { ServiceDiscovery } from './service-discovery.js';
import { endpointPort, instanceRevision, metadataServiceParams, type ServiceInstance } from './service-instance.js';

interface AppState {
  instances: readonly ServiceInstance[];
  stop: () => void;
}

interface SubState {
  readonly sub: Subscription;
  readonly apps: Map<string, AppState>;
  stopMapping?: () => void;
  /** A refresh is in flight. */
  refreshing: boolean;
  /** Another refresh was asked for meanwhile. */
  again: boolean;
  /** A refresh scheduled after an unreachable MetadataService. */
  retryTimer?: NodeJS.Timeout;
  /** Its next delay in ms. */
  retryMs: number;
}

/**
 * The consumer side of application-level (Dubbo 3) discovery as a {@link Registry}: a subscription for an interface
 * finds the applications providing it (`provided-by` on the consumer URL, else the watched
 * `/dubbo/mapping/{interface}` mapping), watches their instances, asks each new metadata revision's MetadataService (on one instance of that
 * revision) which services it exports, and notifies the provider URLs built from instance address + service info.
 * Created by `zookeeper://...?registry-type=service` or `etcd://...?registry-type=service`, and as the
 * application-level side of a plain `zookeeper://` / `etcd://` registry. Registering providers at application
 * level goes through `registerServer(..., { registerMode })`; {@link register} here only records consumer URLs
 * (no-op).
 */
export class ServiceDiscoveryRegistry implements Registry {
  /** The discovery this registry reads (and providers register in). */
  readonly discovery: ServiceDiscovery;
  private readonly subs = new Map<string, SubState>();
  private readonly metadata = new Map<string, Promise<MetadataInfo>>();
  private ownProtocol: DubboProtocol | undefined;
  private destroyed = false;

  /**
   * @param url - The registry URL.
   * @param discovery - The discovery to use. @defaultValue by the URL's protocol: {@link EtcdServiceDiscovery} for
   * `etcd` / `etcdv3`, else {@link ZookeeperServiceDiscovery}
   */
  constructor(
    readonly url: DubboUrl,
    discovery?: ServiceDiscovery,
  ) {
    this.discovery = discovery ?? createServiceDiscovery(url);
  }

  isAvailable(): boolean {
    return this.discovery.isAvailable();
  }

  /**
   * Itself: a provider given only this registry (`registry-type=service`) registers its application instance in
   * {@link discovery} (`registerServer`'s default mode), its interface URLs nowhere.
   */
  applicationLevel(): ServiceDiscoveryRegistry {
    return this;
  }

  async register(_url: DubboUrl): Promise<void> {}

  async unregister(_url: DubboUrl): Promise<void> {}

  async subscribe(url: DubboUrl, listener: NotifyListener): Promise<void> {
    if (this.destroyed) throw new DubboError('DUBBO_ERR_REGISTRY_CLOSED', 'registry is destroyed');
    const key = url.toFullString();
    const existing = this.subs.get(key);
    if (existing !== undefined) {
      existing.sub.listeners.add(listener);
      existing.sub.replay(listener);
      return;
    }
    const state: SubState = {
      sub: new Subscription(key, url),
      apps: new Map(),
      refreshing: false,
      again: false,
      retryMs: 0,
    };
    state.sub.listeners.add(listener);
    this.subs.set(key, state);
    const iface = url.serviceInterface ?? '';
    const providedBy = url.getListParameter('provided-by');
    const addApps = async (apps: readonly string[], retryLater = false): Promise<void> => {
      for (const app of apps) {
        if (state.apps.has(app) || this.subs.get(key) !== state) continue;
        const appState: AppState = { instances: [], stop: () => {} };
        state.apps.set(app, appState);
        try {
          appState.stop = await this.discovery.watchInstances(app, (instances) => {
            appState.instances = instances;
            void this.refresh(state);
          });
        } catch (err) {
          // Not watched (a timeout, a session being re-created): forget it and try again while subscribed, or this
          // application's instances would never be seen.
          if (state.apps.get(app) === appState) state.apps.delete(app);
          if (providedBy.length > 0 && !retryLater) throw err;
          setTimeout(() => {
            if (this.subs.get(key) === state) void addApps([app], true).catch(() => {});
          }, this.discovery.options.retryInitialMs).unref?.();
        }
        if (this.subs.get(key) !== state) appState.stop(); // unsubscribed meanwhile
      }
    };
    if (providedBy.length > 0) {
      await addApps(providedBy);
      return;
    }
    // The mapping is watched: an application that starts providing the interface later is picked up.
    let first = true;
    const onMapping = (apps: string[]) => {
      if (first && apps.length === 0) state.sub.update(new Map()); // known: nobody provides it (yet)
      first = false;
      void addApps(apps, true).catch(() => {});
    };
    let delayMs = this.discovery.options.retryInitialMs;
    const watchMapping = async (): Promise<void> => {
      const stop = await this.discovery.watchMapping(iface, onMapping);
      if (this.subs.get(key) === state) state.stopMapping = stop;
      else stop(); // unsubscribed meanwhile
    };
    const retry = () => {
      // The first read failed (unreachable, timeout): watch again while subscribed, or the mapping is never seen.
      setTimeout(() => {
        if (this.subs.get(key) !== state) return;
        watchMapping().catch(retry);
      }, delayMs).unref?.();
      delayMs = Math.min(delayMs * 2, this.discovery.options.retryMaxMs);
    };
    try {
      await watchMapping();
    } catch (err) {
      retry();
      throw err;
    }
  }

  /**
   * Rebuilds the URL list of a subscription. Refreshes never overlap (one asked for meanwhile runs after), so a
   * refresh still waiting on a MetadataService cannot publish its older list over a newer one.
   */
  private async refresh(state: SubState): Promise<void> {
    if (state.refreshing) {
      state.again = true;
      return;
    }
    state.refreshing = true;
    try {
      do {
        state.again = false;
        await this.refreshOnce(state);
      } while (state.again && this.subs.get(state.sub.key) === state);
    } finally {
      state.refreshing = false;
    }
  }

  /** Builds the list from the applications' instances (metadata cached per revision) and publishes it. */
  private async refreshOnce(state: SubState): Promise<void> {
    const next = new Map<string, DubboUrl>();
    let missed = false;
    for (const [app, a] of state.apps) {
      for (const inst of a.instances) {
        const revision = instanceRevision(inst);
        if (revision === undefined || revision === '0') continue;
        let info: MetadataInfo;
        try {
          info = await this.metadataOf(state, app, revision, a.instances);
        } catch {
          missed = true; // unreachable metadata: left out for now, asked again below
          continue;
        }
        for (const s of info.services.values()) {
          const u = providerUrlOf(inst.host, endpointPort(inst, s.protocol), s);
          if (isMatch(state.sub.url, u)) next.set(u.toFullString(), u);
        }
      }
    }
    if (this.subs.get(state.sub.key) !== state) return;
    state.sub.update(next);
    // An instance whose MetadataService did not answer (busy, still starting) would otherwise stay invisible until
    // its application changes again, which may be never: try again with a growing delay while subscribed.
    clearTimeout(state.retryTimer);
    state.retryTimer = undefined;
    if (!missed) {
      state.retryMs = 0;
      return;
    }
    const opts = this.discovery.options;
    state.retryMs = state.retryMs === 0 ? opts.retryInitialMs : Math.min(state.retryMs * 2, opts.retryMaxMs);
    state.retryTimer = setTimeout(() => {
      state.retryTimer = undefined;
      if (this.subs.get(state.sub.key) === state) void this.refresh(state);
    }, state.retryMs);
    state.retryTimer.unref?.();
  }

  /**
   * The metadata of `app` at `revision`, asked once of an instance that has it (the next one when an instance does not
   * answer or no longer has that revision); not cached when none had it.
   */
  /** The protocol of a subscriber of `state` (its pooled connections), else this registry's own. */
  private protocolFor(state: SubState): Protocol {
    for (const l of state.sub.listeners) if (l.protocol !== undefined) return l.protocol;
    this.ownProtocol ??= new DubboProtocol({ reconnect: false, heartbeatMs: 0 });
    return this.ownProtocol;
  }

  private metadataOf(
    state: SubState,
    app: string,
    revision: string,
    instances: readonly ServiceInstance[],
  ): Promise<MetadataInfo> {
    const key = `${app}@${revision}`;
    let p = this.metadata.get(key);
    if (p === undefined) {
      const candidates = instances.filter((i) => instanceRevision(i) === revision);
      const protocol = this.protocolFor(state);
      p = (async () => {
        let last: unknown;
        for (const inst of candidates) {
          try {
            // A MetadataService call is an RPC: the registry `timeout`, at most 5 s (then the next instance).
            const timeout = Math.min(this.discovery.options.timeoutMs, 5000);
            return await fetchMetadata(app, revision, inst, timeout, protocol);
          } catch (err) {
            last = err;
            getLogger().warn(
              `dubbo: MetadataService of ${app} at ${inst.host}:${inst.port} (revision ${revision}) failed: ${(err as Error).message}`,
            );
          }
        }
        throw last ?? new DubboError('DUBBO_ERR_REGISTRY', `no instance of ${app} has revision ${revision}`);
      })();
      p.catch(() => this.metadata.delete(key));
      this.metadata.set(key, p);
    }
    return p;
  }

  async unsubscribe(url: DubboUrl, listener: NotifyListener): Promise<void> {
    const key = url.toFullString();
    const state = this.subs.get(key);
    if (state === undefined) return;
    state.sub.listeners.delete(listener);
    if (state.sub.listeners.size > 0) return;
    this.subs.delete(key);
    clearTimeout(state.retryTimer);
    state.stopMapping?.();
    for (const a of state.apps.values()) a.stop();
  }

  async lookup(url: DubboUrl): Promise<DubboUrl[]> {
    const got: DubboUrl[] = [];
    const l: NotifyListener = { notify: (urls) => got.splice(0, got.length, ...urls) };
    await this.subscribe(url, l);
    await this.unsubscribe(url, l);
    return got;
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const s of this.subs.values()) {
      clearTimeout(s.retryTimer);
      s.stopMapping?.();
      for (const a of s.apps.values()) a.stop();
    }
    this.subs.clear();
    await this.ownProtocol?.destroy();
    await this.discovery.close();
  }
}

/** The application-level discovery of a registry URL: etcd for `etcd` / `etcdv3`, else ZooKeeper. */
export function createServiceDiscovery(url: DubboUrl): ServiceDiscovery {
  return url.protocol === 'etcd' || url.protocol === 'etcdv3'
    ? new EtcdServiceDiscovery(url)
    : new ZookeeperServiceDiscovery(url);
}

/**
 * Calls `MetadataService.getMetadataInfo(revision)` on one instance (group = application, version 1.0.0).
 *
 * @throws DubboError `DUBBO_ERR_REGISTRY` when the instance has no metadata of that revision: Java's MetadataService
 * answers null for a revision it no longer has (the instance was rewritten with a new one since it was listed), and
 * a TS one answers its current revision. Either is an answer about another revision, never to be cached as this one
 * (that would hide every instance of this revision for good).
 */
export async function fetchMetadata(
  app: string,
  revision: string,
  inst: ServiceInstance,
  timeoutMs: number,
  protocol?: Protocol,
): Promise<MetadataInfo> {
  const params = metadataServiceParams(inst);
  const name = params.protocol ?? 'dubbo';
  if (name !== 'dubbo') {
    throw new DubboError('DUBBO_ERR_REGISTRY', `MetadataService of ${app} speaks ${name}, not dubbo`);
  }
  const port = Number(params.port) > 0 ? Number(params.port) : endpointPort(inst, 'dubbo');
  const version = params.version ?? METADATA_SERVICE_VERSION;
  const own = protocol === undefined ? new DubboProtocol({ reconnect: false, heartbeatMs: 0 }) : undefined;
  const url = new DubboUrl({
    protocol: 'dubbo',
    host: urlHost(inst.host),
    port,
    path: METADATA_SERVICE_INTERFACE,
    parameters: { interface: METADATA_SERVICE_INTERFACE, group: app, version, timeout: String(timeoutMs) },
  });
  const invoker = (protocol ?? (own as DubboProtocol)).refer(url, MetadataServiceDescriptor);
  try {
    const md = MetadataServiceDescriptor.methods.get('getMetadataInfo')!;
    const inv = new RpcInvocation(
      md.name,
      md.desc,
      [revision],
      { interface: METADATA_SERVICE_INTERFACE, group: app, version },
      METADATA_SERVICE_INTERFACE,
      version,
    );
    inv.method = md;
    const answer = await invoker.invoke(inv).then(unwrapResult);
    const info =
      answer === null || answer === undefined
        ? undefined
        : fromJavaMetadataInfo(answer as Parameters<typeof fromJavaMetadataInfo>[0]);
    if (info === undefined || (info.revision !== '' && info.revision !== revision)) {
      throw new DubboError(
        'DUBBO_ERR_REGISTRY',
        `MetadataService of ${app} at ${inst.host}:${port} has no metadata of revision ${revision}` +
          (info === undefined ? '' : ` (it answered revision ${info.revision})`),
      );
    }
    return info;
  } finally {
    invoker.destroy();
    await own?.destroy();
  }
}

/** Builds a consumer URL with the applications to look at (`provided-by`), bypassing the mapping. */
export function withProvidedBy(url: DubboUrl, apps: readonly string[]): DubboUrl {
  return url.addParameter('provided-by', apps.join(','));
}
