import type { DubboUrl } from '../../common/url.js';
import { RegistryBase, type Subscription } from '../registry-base.js';
import { categoryPaths, parseRegisteredUrl, urlPath } from '../registry-paths.js';
import { ZookeeperConnection } from './zookeeper-connection.js';

/** One watched category node of a subscription and its parsed children. */
interface CategoryWatch {
  readonly path: string;
  /** child name -> URL (undefined when unparsable or not matching). Parsed once per child. */
  children: Map<string, DubboUrl | undefined>;
  /** Connection generation whose watch is armed on this path, or -1. */
  armedGeneration: number;
  /** Reads of this path started so far; each read is numbered by it. */
  readsStarted: number;
  /** Number of the read whose answer `children` holds (0 before any). */
  readApplied: number;
}

interface ZkSubscriptionState {
  readonly watches: CategoryWatch[];
  active: boolean;
}

/**
 * The interface-level ZooKeeper registry, in Java Dubbo's layout: `/{group}/{interface}/{category}/{URL.encode(url)}`
 * (group default `dubbo`), providers and consumers as ephemeral nodes (persistent with `dynamic=false`), category
 * nodes persistent. Consumers watch the category nodes; watches survive reconnects (the client re-sends them) and
 * are re-armed on the new session after an expiry, when every registration is written again.
 */
export class ZookeeperRegistry extends RegistryBase {
  /** The connection (exposed for tests and diagnostics). */
  readonly connection: ZookeeperConnection;
  private readonly states = new WeakMap<Subscription, ZkSubscriptionState>();

  constructor(url: DubboUrl) {
    super(url);
    this.connection = new ZookeeperConnection(
      {
        servers: url.getBackupAddress(2181),
        sessionMs: this.options.sessionMs,
        timeoutMs: this.options.timeoutMs,
        retryInitialMs: this.options.retryInitialMs,
        retryMaxMs: this.options.retryMaxMs,
      },
      {
        onConnected: (newSession) => {
          if (newSession && this.connection.generation > 1) this.recover();
          else if (newSession)
            this.scheduleRetry(0); // first session: run what failed while connecting
          else for (const sub of this.subscriptions.values()) this.resubscribeLater(sub); // compare after a gap
        },
        onDisconnected: () => {},
      },
    );
  }

  isAvailable(): boolean {
    return this.connection.isConnected;
  }

  protected async doRegister(url: DubboUrl): Promise<void> {
    const path = urlPath(this.options, url);
    await this.connection.mkdirp(path.slice(0, path.lastIndexOf('/')));
    await this.connection.create(path, url.getBooleanParameter('dynamic', true));
  }

  protected async doUnregister(url: DubboUrl): Promise<void> {
    await this.connection.remove(urlPath(this.options, url));
  }

  protected async doSubscribe(sub: Subscription): Promise<void> {
    let state = this.states.get(sub);
    if (state === undefined) {
      state = {
        watches: categoryPaths(this.options, sub.url).map((path) => ({
          path,
          children: new Map(),
          armedGeneration: -1,
          readsStarted: 0,
          readApplied: 0,
        })),
        active: true,
      };
      this.states.set(sub, state);
    }
    state.active = true;
    for (const w of state.watches) {
      if (w.armedGeneration !== this.connection.generation) await this.connection.mkdirp(w.path);
      await this.read(sub, state, w);
    }
    this.publish(sub, state);
  }

  /** Reads one category node's children, arming a watch unless one is armed on this session already. */
  private async read(sub: Subscription, state: ZkSubscriptionState, w: CategoryWatch): Promise<void> {
    const gen = this.connection.generation;
    const seq = ++w.readsStarted;
    const arm = w.armedGeneration !== gen;
    const watcher = arm
      ? () => {
          if (!state.active || w.armedGeneration !== gen || this.destroyed) return;
          w.armedGeneration = -1;
          this.read(sub, state, w).then(
            () => this.publish(sub, state),
            () => this.resubscribeLater(sub),
          );
        }
      : undefined;
    // Marked armed BEFORE the call: node-zookeeper-client handles the reply and a watch event that came in the same
    // socket chunk synchronously, so the event can reach the watcher before this function resumes; marking after the
    // await made the watcher ignore that event and the change was lost for good.
    if (arm) w.armedGeneration = gen;
    let names: string[];
    try {
      names = await this.connection.getChildren(w.path, watcher);
    } catch (err) {
      if (arm && w.armedGeneration === gen) w.armedGeneration = -1;
      throw err;
    }
    // Reads of one path overlap (the subscription's own read, one started by the watch it set, a retry): an answer
    // that resumes after a later read's answer was applied is older than it and must not overwrite it. That happened
    // when the read that set the watch resumed late: the change its watch had already delivered was undone for good.
    if (seq < w.readApplied) return;
    w.readApplied = seq;
    const next = new Map<string, DubboUrl | undefined>();
    for (const name of names) {
      if (w.children.has(name)) next.set(name, w.children.get(name));
      else next.set(name, parseRegisteredUrl(sub.url, name));
    }
    w.children = next;
  }

  private publish(sub: Subscription, state: ZkSubscriptionState): void {
    if (!state.active) return;
    const all = new Map<string, DubboUrl>();
    for (const w of state.watches) {
      for (const u of w.children.values()) if (u !== undefined) all.set(u.toFullString(), u);
    }
    sub.update(all);
  }

  protected async doUnsubscribe(sub: Subscription): Promise<void> {
    const state = this.states.get(sub);
    if (state) state.active = false;
  }

  protected async doLookup(url: DubboUrl): Promise<DubboUrl[]> {
    const out: DubboUrl[] = [];
    for (const path of categoryPaths(this.options, url)) {
      for (const name of await this.connection.getChildren(path)) {
        const u = parseRegisteredUrl(url, name);
        if (u !== undefined) out.push(u);
      }
    }
    return out;
  }

  protected async doClose(): Promise<void> {
    this.connection.close();
  }
}
