import type { Etcd3, Watcher } from 'etcd3';
import type { DubboUrl } from '../../common/url.js';
import { RegistryBase, type Subscription } from '../registry-base.js';
import { categoryPaths, parseRegisteredUrl, urlPath } from '../registry-paths.js';
import { childName, EtcdSession } from './etcd-session.js';

/** One watched category prefix of a subscription. */
interface CategoryWatch {
  readonly prefix: string;
  /** child name -> URL (undefined when unparsable or not matching). */
  readonly children: Map<string, DubboUrl | undefined>;
  /** Revision of the last full read; events at or below it are already in `children`. */
  revision: number;
  watcher: Watcher | undefined;
}

interface EtcdSubscriptionState {
  readonly watches: CategoryWatch[];
  active: boolean;
}

/**
 * The interface-level etcd (v3 API) registry: Java's layout as keys, `/{group}/{interface}/{category}/{URL.encode(url)}`,
 * each registration bound to one lease of TTL `session` (kept alive by the client). Consumers read each category
 * prefix and watch it from the next revision, so no change falls between the read and the watch; the watch stream
 * resumes from its last revision after a reconnect (etcd3's jittered backoff) and the list is read again to
 * compare. When the lease is lost (expired or revoked) a new one is granted and everything is written again.
 */
export class EtcdRegistry extends RegistryBase {
  /** The etcd client (exposed for tests and diagnostics). */
  readonly client: Etcd3;
  private readonly etcd: EtcdSession;
  private readonly states = new WeakMap<Subscription, EtcdSubscriptionState>();

  constructor(url: DubboUrl) {
    super(url);
    this.etcd = new EtcdSession(url, this.options, () => {
      if (!this.destroyed) this.recover();
    });
    this.client = this.etcd.client;
  }

  isAvailable(): boolean {
    return this.etcd.isAvailable();
  }

  /** The ID of the current lease (for tests and diagnostics). */
  leaseId(): Promise<string | undefined> {
    return this.etcd.leaseId();
  }

  protected async doRegister(url: DubboUrl): Promise<void> {
    const key = urlPath(this.options, url);
    const value = url.toFullString();
    if (!url.getBooleanParameter('dynamic', true)) {
      await this.etcd.timed(`put ${key}`, this.client.put(key).value(value).exec());
      return;
    }
    const lease = await this.etcd.lease();
    await this.etcd.timed(`put ${key}`, lease.put(key).value(value).exec());
  }

  protected async doUnregister(url: DubboUrl): Promise<void> {
    const key = urlPath(this.options, url);
    await this.etcd.timed(`delete ${key}`, this.client.delete().key(key).exec());
  }

  protected async doSubscribe(sub: Subscription): Promise<void> {
    let state = this.states.get(sub);
    if (state === undefined) {
      state = {
        watches: categoryPaths(this.options, sub.url).map((p) => ({
          prefix: `${p}/`,
          children: new Map(),
          revision: 0,
          watcher: undefined,
        })),
        active: true,
      };
      this.states.set(sub, state);
    }
    state.active = true;
    for (const w of state.watches) {
      await this.readAll(sub, w);
      if (w.watcher === undefined) w.watcher = await this.watch(sub, state, w);
    }
    this.publish(sub, state);
  }

  /** Full read of a prefix at one revision; replaces the children. */
  private async readAll(sub: Subscription, w: CategoryWatch): Promise<void> {
    const res = await this.etcd.timed(`get ${w.prefix}`, this.client.getAll().prefix(w.prefix).exec());
    const revision = Number(res.header.revision);
    const next = new Map<string, DubboUrl | undefined>();
    for (const kv of res.kvs) {
      const name = childName(w.prefix, kv.key);
      if (name === undefined) continue;
      next.set(name, w.children.has(name) ? w.children.get(name) : parseRegisteredUrl(sub.url, name));
    }
    w.children.clear();
    for (const [k, v] of next) w.children.set(k, v);
    w.revision = Math.max(w.revision, revision);
  }

  private watch(sub: Subscription, state: EtcdSubscriptionState, w: CategoryWatch): Promise<Watcher> {
    return this.etcd.watch(
      { prefix: w.prefix },
      {
        revision: () => w.revision,
        active: () => state.active,
        onPut: (name) => {
          if (w.children.has(name)) return;
          const url = parseRegisteredUrl(sub.url, name);
          w.children.set(name, url);
          if (url !== undefined) sub.apply([url], []);
        },
        onDelete: (name) => {
          if (!w.children.has(name)) return;
          const url = w.children.get(name);
          w.children.delete(name);
          if (url !== undefined) sub.apply([], [url]);
        },
        // The stream resumed from its last revision; read the whole prefix again to compare.
        onResumed: () => {
          this.readAll(sub, w).then(
            () => this.publish(sub, state),
            () => this.resubscribeLater(sub),
          );
        },
      },
    );
  }

  private publish(sub: Subscription, state: EtcdSubscriptionState): void {
    if (!state.active) return;
    const all = new Map<string, DubboUrl>();
    for (const w of state.watches)
      for (const u of w.children.values()) if (u !== undefined) all.set(u.toFullString(), u);
    sub.update(all);
  }

  protected async doUnsubscribe(sub: Subscription): Promise<void> {
    const state = this.states.get(sub);
    if (state === undefined) return;
    state.active = false;
    for (const w of state.watches) {
      const watcher = w.watcher;
      w.watcher = undefined;
      await watcher?.cancel().catch(() => {});
    }
  }

  protected async doLookup(url: DubboUrl): Promise<DubboUrl[]> {
    const out: DubboUrl[] = [];
    for (const p of categoryPaths(this.options, url)) {
      const prefix = `${p}/`;
      const keys = await this.etcd.timed(`get ${prefix}`, this.client.getAll().prefix(prefix).keys());
      for (const k of keys) {
        const name = childName(prefix, Buffer.from(k));
        const u = name === undefined ? undefined : parseRegisteredUrl(url, name);
        if (u !== undefined) out.push(u);
      }
    }
    return out;
  }

  protected async doClose(): Promise<void> {
    await this.etcd.close();
  }
}
