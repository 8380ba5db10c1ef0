import type { Etcd3, IKeyValue, Lease, Watcher } from 'etcd3';
import type { DubboUrl } from '../common/url.js';
import { childName, createEtcdClient, EtcdLeaseKeeper, leaseTtlSeconds, withTimeout } from './etcd-lease.js';
import type { RegistryOptions } from './registry-options.js';

/** What an {@link EtcdSession.watch} reports, and what it asks of its owner. */
export interface EtcdWatchHandlers {
  /**
   * The revision of the owner's last full read: the watch starts after it, and events at or below it (already in
   * that read) are dropped. Read again for every event, so a later full read moves it.
   */
  revision(): number;
  /** Whether events still matter; once false, events and resumptions are dropped. */
  active(): boolean;
  /**
   * A key was put after {@link EtcdWatchHandlers.revision}; `name` is its last path segment for a prefix watch (keys
   * deeper below the prefix are not reported), the key itself for a key watch.
   */
  onPut(name: string, kv: IKeyValue): void;
  /** A key was deleted after {@link EtcdWatchHandlers.revision}; `name` as for {@link EtcdWatchHandlers.onPut}. */
  onDelete(name: string, kv: IKeyValue): void;
  /**
   * The stream came back after a disconnect (it resumes from its last revision, but what was compacted meanwhile is
   * not replayed): read everything again and compare.
   */
  onResumed(): void;
}

/**
 * The etcd side shared by the interface-level registry and the application-level service discovery: one etcd3
 * client for the registry URL, one lease kept alive (the "session" whose keys vanish with the process), availability
 * as the last answer (or silence) told, calls bounded by the registry `timeout`, and watches that start after a full
 * read and ask for a new read when their stream comes back.
 */
export class EtcdSession {
  /** The etcd client. */
  readonly client: Etcd3;
  private readonly leases: EtcdLeaseKeeper;
  private available = true;

  /**
   * @param url - the registry URL (`etcd://a:2379?backup=b:2379`).
   * @param options - its options (`timeout` bounds every call, `session` is the lease TTL).
   * @param onLeaseLost - called when the lease was lost (not after {@link EtcdSession.close}): the keys bound to it
   *   are gone; write them again ({@link EtcdSession.lease} grants a new one).
   */
  constructor(
    url: DubboUrl,
    private readonly options: RegistryOptions,
    onLeaseLost: () => void,
  ) {
    this.client = createEtcdClient(url, options);
    this.leases = new EtcdLeaseKeeper(this.client, leaseTtlSeconds(options), (w, p) => this.timed(w, p), {
      onLost: () => {
        this.available = false;
        onLeaseLost();
      },
      onAlive: () => {
        this.available = true;
      },
    });
  }

  /** Whether etcd answered the last call (or keepalive, or watch stream). */
  isAvailable(): boolean {
    return this.available;
  }

  /** The lease, granted now if there is none. */
  lease(): Promise<Lease> {
    return this.leases.get();
  }

  /** The ID of the current lease, if any (tests, diagnostics). */
  leaseId(): Promise<string | undefined> {
    return this.leases.id();
  }

  /**
   * `p` bounded by the registry timeout; the outcome sets availability.
   *
   * @throws DubboError `DUBBO_ERR_REGISTRY_TIMEOUT` when no answer came in time.
   */
  timed<T>(what: string, p: Promise<T>): Promise<T> {
    return withTimeout(what, p, this.options.timeoutMs, (answered) => {
      this.available = answered;
    });
  }

  /**
   * Watches the direct children of `target.prefix` (ending in `/`), or the one key `target.key`, from the revision
   * after `handlers.revision()`, so no change falls between the owner's full read and the watch. A lost stream marks
   * etcd unavailable; when it comes back, `handlers.onResumed` asks for a new full read.
   */
  async watch(target: { prefix: string } | { key: string }, handlers: EtcdWatchHandlers): Promise<Watcher> {
    const builder = this.client.watch();
    if ('prefix' in target) builder.prefix(target.prefix);
    else builder.key(target.key);
    const what = 'prefix' in target ? target.prefix : target.key;
    const nameOf = 'prefix' in target ? (kv: IKeyValue) => childName(target.prefix, kv.key) : () => target.key;
    const watcher = await this.timed(`watch ${what}`, builder.startRevision(String(handlers.revision() + 1)).create());
    let lostStream = false;
    // the name of a key the owner wants to hear of, else undefined
    const wanted = (kv: IKeyValue) =>
      handlers.active() && Number(kv.mod_revision) > handlers.revision() ? nameOf(kv) : undefined;
    watcher.on('put', (kv) => {
      const name = wanted(kv);
      if (name !== undefined) handlers.onPut(name, kv);
    });
    watcher.on('delete', (kv) => {
      const name = wanted(kv);
      if (name !== undefined) handlers.onDelete(name, kv);
    });
    watcher.on('disconnected', () => {
      lostStream = true;
      this.available = false;
    });
    watcher.on('connected', () => {
      this.available = true;
      if (!lostStream || !handlers.active()) return;
      lostStream = false;
      handlers.onResumed();
    });
    watcher.on('error', () => {
      this.available = false;
    });
    return watcher;
  }

  /** Revokes the lease (bounded by the timeout) and closes the client. */
  async close(): Promise<void> {
    await this.leases.close();
    this.client.close();
  }
}
