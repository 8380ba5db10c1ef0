import { Etcd3, type IKeyValue, type Lease, type Watcher } from 'etcd3';
import type { DubboUrl } from '../../common/url.js';
import { DubboError } from '../../errors.js';
import type { RegistryOptions } from '../registry-options.js';

/**
 * Races `p` against the registry `timeout`; `onResult` learns whether the server answered (availability).
 *
 * @throws DubboError `DUBBO_ERR_REGISTRY_TIMEOUT` when no answer came in time, `DUBBO_ERR_REGISTRY` (with etcd3's
 *   error as `cause`) when the call failed.
 */
export function withTimeout<T>(
  what: string,
  p: Promise<T>,
  timeoutMs: number,
  onResult: (answered: boolean) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DubboError('DUBBO_ERR_REGISTRY_TIMEOUT', `${what}: no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([p, timeout]).then(
    (v) => {
      clearTimeout(timer);
      onResult(true);
      return v;
    },
    (err) => {
      clearTimeout(timer);
      onResult(false);
      // etcd3's own errors (gRPC UNAVAILABLE...) leave as the registry's typed error, with the cause kept.
      if (err instanceof DubboError) throw err;
      throw new DubboError('DUBBO_ERR_REGISTRY', `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    },
  );
}

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
  private available = true;
  /** The lease keys are put with, once granted; another is granted on first use after it was lost. */
  private currentLease: Lease | undefined;
  private pendingLease: Promise<Lease> | undefined;
  private closed = false;

  /**
   * @param url - the registry URL (`etcd://a:2379?backup=b:2379`).
   * @param options - its options (`timeout` bounds every call, `session` is the lease TTL).
   * @param onLeaseLost - called when the lease was lost (not after {@link EtcdSession.close}): the keys bound to it
   *   are gone; write them again ({@link EtcdSession.lease} grants a new one).
   */
  constructor(
    url: DubboUrl,
    private readonly options: RegistryOptions,
    private readonly onLeaseLost: () => void,
  ) {
    const hosts = url
      .getBackupAddress(2379)
      .split(',')
      .map((h) => `http://${h}`);
    this.client = new Etcd3({ hosts, dialTimeout: options.timeoutMs });
  }

  /** Whether etcd answered the last call (or keepalive, or watch stream). */
  isAvailable(): boolean {
    return this.available;
  }

  /**
   * The lease, granted now (TTL `session` rounded, at least 2 s) if there is none; the etcd3 client keeps it alive.
   */
  lease(): Promise<Lease> {
    if (this.currentLease !== undefined) return Promise.resolve(this.currentLease);
    if (this.pendingLease !== undefined) return this.pendingLease;
    const lease = this.client.lease(Math.max(2, Math.round(this.options.sessionMs / 1000)));
    lease.on('lost', () => {
      if (this.currentLease !== lease) return;
      this.currentLease = undefined;
      if (this.closed) return;
      this.available = false;
      this.onLeaseLost();
    });
    lease.on('keepaliveSucceeded', () => {
      this.available = true;
    });
    this.pendingLease = this.timed('grant lease', lease.grant()).then(
      () => {
        this.pendingLease = undefined;
        if (this.closed) {
          lease.revoke().catch(() => {});
          throw new DubboError('DUBBO_ERR_REGISTRY_CLOSED', 'registry is destroyed');
        }
        this.currentLease = lease;
        return lease;
      },
      (err) => {
        this.pendingLease = undefined;
        lease.revoke().catch(() => {});
        throw err;
      },
    );
    return this.pendingLease;
  }

  /** The ID of the current lease, if any (tests, diagnostics). */
  async leaseId(): Promise<string | undefined> {
    return this.currentLease?.grant();
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

  /** Revokes the lease (its keys go at once; bounded by the timeout) and closes the client. */
  async close(): Promise<void> {
    this.closed = true;
    const lease = this.currentLease;
    this.currentLease = undefined;
    if (lease !== undefined) await this.timed('revoke lease', lease.revoke()).catch(() => {});
    this.client.close();
  }
}

/** The last path segment of `key` when it is a direct child of `prefix` (which ends in `/`), else undefined. */
export function childName(prefix: string, key: Buffer | string): string | undefined {
  const k = key.toString();
  if (!k.startsWith(prefix)) return undefined;
  const name = k.slice(prefix.length);
  return name.length === 0 || name.includes('/') ? undefined : name;
}
