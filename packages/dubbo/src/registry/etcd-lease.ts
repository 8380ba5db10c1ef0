import { Etcd3, type Lease } from 'etcd3';
import type { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { RegistryOptions } from './registry-options.js';

/** An etcd v3 client for a registry URL (`etcd://a:2379?backup=b:2379`), dial timeout = `timeout`. */
export function createEtcdClient(url: DubboUrl, options: RegistryOptions): Etcd3 {
  const hosts = url
    .getBackupAddress(2379)
    .split(',')
    .map((h) => `http://${h}`);
  return new Etcd3({ hosts, dialTimeout: options.timeoutMs });
}

/** The lease TTL of a registry in seconds: `session` rounded, at least 2 s. */
export function leaseTtlSeconds(options: RegistryOptions): number {
  return Math.max(2, Math.round(options.sessionMs / 1000));
}

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

/** What an {@link EtcdLeaseKeeper} reports. */
export interface EtcdLeaseEvents {
  /** The lease was lost (expired, revoked): the keys bound to it are gone; write them again on a new lease. */
  onLost(): void;
  /** A keepalive succeeded (the server is reachable). */
  onAlive(): void;
}

/**
 * One lease at a time, kept alive by the etcd3 client, granted on first use and again after it was lost: the
 * "session" of the etcd registry and service discovery (keys put with it vanish when the process dies).
 */
export class EtcdLeaseKeeper {
  private lease: Lease | undefined;
  private pending: Promise<Lease> | undefined;
  private closed = false;

  constructor(
    private readonly client: Etcd3,
    private readonly ttlSeconds: number,
    private readonly timed: <T>(what: string, p: Promise<T>) => Promise<T>,
    private readonly events: EtcdLeaseEvents,
  ) {}

  /** The lease, granted now if there is none. */
  get(): Promise<Lease> {
    if (this.lease !== undefined) return Promise.resolve(this.lease);
    if (this.pending !== undefined) return this.pending;
    const lease = this.client.lease(this.ttlSeconds);
    lease.on('lost', () => {
      if (this.lease !== lease) return;
      this.lease = undefined;
      if (!this.closed) this.events.onLost();
    });
    lease.on('keepaliveSucceeded', () => this.events.onAlive());
    this.pending = this.timed('grant lease', lease.grant()).then(
      () => {
        this.pending = undefined;
        if (this.closed) {
          lease.revoke().catch(() => {});
          throw new DubboError('DUBBO_ERR_REGISTRY_CLOSED', 'registry is destroyed');
        }
        this.lease = lease;
        return lease;
      },
      (err) => {
        this.pending = undefined;
        lease.revoke().catch(() => {});
        throw err;
      },
    );
    return this.pending;
  }

  /** The ID of the current lease, if any (tests, diagnostics). */
  async id(): Promise<string | undefined> {
    return this.lease?.grant();
  }

  /** Revokes the lease (its keys go at once; bounded by the timeout when etcd is unreachable) and stops renewing. */
  async close(): Promise<void> {
    this.closed = true;
    const lease = this.lease;
    this.lease = undefined;
    if (lease !== undefined) await this.timed('revoke lease', lease.revoke()).catch(() => {});
  }
}

/** The last path segment of `key` when it is a direct child of `prefix` (which ends in `/`), else undefined. */
export function childName(prefix: string, key: Buffer | string): string | undefined {
  const k = key.toString();
  if (!k.startsWith(prefix)) return undefined;
  const name = k.slice(prefix.length);
  return name.length === 0 || name.includes('/') ? undefined : name;
}
