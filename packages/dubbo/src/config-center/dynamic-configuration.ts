import { Backoff, getLogger } from '@dubbo-ts/gost';
import type { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';

/** Java's DynamicConfiguration.DEFAULT_GROUP: the group governance rules live in. */
export const DEFAULT_CONFIG_GROUP = 'dubbo';

/** What happened to a key (Java's ConfigChangeType). */
export type ConfigChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of a watched key (Java's ConfigChangedEvent, plus the center's version of the value). */
export interface ConfigChangedEvent {
  readonly key: string;
  readonly group: string;
  /** The new value; `null` when the key was deleted. */
  readonly content: string | null;
  readonly changeType: ConfigChangeType;
  /** The center's version of the value (ZooKeeper's data version, etcd's mod revision). */
  readonly version: string;
}

/** Receives the changes of a watched key. */
export type ConfigurationListener = (event: ConfigChangedEvent) => void;

/**
 * A config center (Java's `DynamicConfiguration`): values by group and key, read, watched, written and removed.
 * Governance rules (routers, configurators) are read from group `dubbo` under Java's keys
 * (`{app}.condition-router`, `{iface}:{version}:{group}.configurators`...).
 */
export interface DynamicConfiguration {
  /** The config center's URL. */
  readonly url: DubboUrl;
  /** The value of `key` (`undefined` when absent). @throws DubboError `DUBBO_ERR_CONFIG_CENTER` when unreachable. */
  getConfig(key: string, group?: string): Promise<string | undefined>;
  /**
   * Watches `key`: `listener` gets its current value (if any) first, then every change, including deletion. A
   * change missed while the center was unreachable is delivered once it is back (read again and compared); the
   * last value stays in force meanwhile (no "deleted" for a lost connection).
   * @returns A function that stops the watch.
   */
  watch(key: string, listener: ConfigurationListener, group?: string): () => void;
  /** Writes `key`. @throws DubboError `DUBBO_ERR_CONFIG_CENTER` when it could not be written. */
  publishConfig(key: string, content: string, group?: string): Promise<void>;
  /** Removes `key` (absent is fine). @throws DubboError `DUBBO_ERR_CONFIG_CENTER` when it could not be removed. */
  removeConfig(key: string, group?: string): Promise<void>;
  /** Stops every watch and closes the connection. */
  close(): Promise<void>;
}

/** The value of a key as read, with its version; `null` content for an absent key. */
export interface ConfigValue {
  readonly content: string | null;
  readonly version: string;
}

interface WatchedKey {
  readonly key: string;
  readonly group: string;
  readonly listeners: Set<ConfigurationListener>;
  /** What the listeners were last told (`undefined`: nothing yet). */
  last: ConfigValue | undefined;
  /** Reads started / the number of the read last applied (a late answer never overwrites a newer one). */
  readsStarted: number;
  readApplied: number;
  retryTimer: NodeJS.Timeout | undefined;
  readonly backoff: Backoff;
}

/**
 * What the ZooKeeper and etcd config centers share: watched keys with their listeners, one read per change (a
 * watch armed by the read), reads numbered so a late answer never wins, a failed read retried with a jittered
 * backoff while the last value stays in force, and everything read again after a reconnect or a new session.
 */
export abstract class AbstractDynamicConfiguration implements DynamicConfiguration {
  private readonly watched = new Map<string, WatchedKey>();
  protected closed = false;

  constructor(
    readonly url: DubboUrl,
    private readonly retryInitialMs: number,
    private readonly retryMaxMs: number,
  ) {}

  /** Reads a key; with `onChange`, arms a watch (once per session or stream) that calls it on the next change. */
  protected abstract read(key: string, group: string, onChange: (() => void) | null): Promise<ConfigValue>;
  protected abstract write(key: string, group: string, content: string): Promise<void>;
  protected abstract delete(key: string, group: string): Promise<void>;
  protected abstract shutdown(): Promise<void>;
  /** Stops watching a key no one listens to any more. */
  protected unwatched(_key: string, _group: string): void {}

  async getConfig(key: string, group = DEFAULT_CONFIG_GROUP): Promise<string | undefined> {
    const v = await this.wrap(`get ${group}/${key}`, this.read(key, group, null));
    return v.content ?? undefined;
  }

  publishConfig(key: string, content: string, group = DEFAULT_CONFIG_GROUP): Promise<void> {
    return this.wrap(`publish ${group}/${key}`, this.write(key, group, content));
  }

  removeConfig(key: string, group = DEFAULT_CONFIG_GROUP): Promise<void> {
    return this.wrap(`remove ${group}/${key}`, this.delete(key, group));
  }

  watch(key: string, listener: ConfigurationListener, group = DEFAULT_CONFIG_GROUP): () => void {
    if (this.closed) throw new DubboError('DUBBO_ERR_CLOSED', 'the config center is closed');
    const id = `${group}\u0000${key}`;
    let w = this.watched.get(id);
    if (w === undefined) {
      w = {
        key,
        group,
        listeners: new Set(),
        last: undefined,
        readsStarted: 0,
        readApplied: 0,
        retryTimer: undefined,
        backoff: new Backoff({ initialMs: this.retryInitialMs, maxMs: this.retryMaxMs, jitter: 0.5 }),
      };
      this.watched.set(id, w);
      w.listeners.add(listener);
      this.refresh(w);
    } else {
      w.listeners.add(listener);
      // A late listener learns the current value at once.
      const last = w.last;
      if (last !== undefined && last.content !== null) {
        listener({ key, group, content: last.content, changeType: 'ADDED', version: last.version });
      }
    }
    const entry = w;
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0 && this.watched.get(id) === entry) {
        this.watched.delete(id);
        clearTimeout(entry.retryTimer);
        this.unwatched(key, group);
      }
    };
  }

  /** Reads every watched key again (after a reconnect or a new session) and tells what changed. */
  protected refreshAll(): void {
    for (const w of this.watched.values()) this.refresh(w);
  }

  private refresh(w: WatchedKey): void {
    if (this.closed || !this.isWatched(w)) return;
    clearTimeout(w.retryTimer);
    w.retryTimer = undefined;
    const seq = ++w.readsStarted;
    this.read(w.key, w.group, () => this.refresh(w)).then(
      (v) => {
        w.backoff.reset();
        if (seq < w.readApplied || !this.isWatched(w)) return;
        w.readApplied = seq;
        this.deliver(w, v);
      },
      (err: unknown) => {
        if (this.closed || !this.isWatched(w) || w.retryTimer !== undefined) return;
        getLogger().warn(
          `dubbo: config center ${this.url.address}: reading ${w.group}/${w.key} failed, the last value stays: ${(err as Error)?.message}`,
        );
        w.retryTimer = setTimeout(() => {
          w.retryTimer = undefined;
          this.refresh(w);
        }, w.backoff.next());
      },
    );
  }

  private isWatched(w: WatchedKey): boolean {
    return this.watched.get(`${w.group}\u0000${w.key}`) === w;
  }

  private deliver(w: WatchedKey, v: ConfigValue): void {
    const last = w.last;
    if (last !== undefined && last.content === v.content) return;
    if (last === undefined && v.content === null) {
      w.last = v;
      return;
    }
    w.last = v;
    const changeType: ConfigChangeType =
      v.content === null ? 'DELETED' : last === undefined || last.content === null ? 'ADDED' : 'MODIFIED';
    const event: ConfigChangedEvent = {
      key: w.key,
      group: w.group,
      content: v.content,
      changeType,
      version: v.version,
    };
    for (const l of [...w.listeners]) {
      try {
        l(event);
      } catch (err) {
        getLogger().error(`dubbo: config listener of ${w.group}/${w.key} threw: ${(err as Error)?.message}`);
      }
    }
  }

  private wrap<T>(what: string, p: Promise<T>): Promise<T> {
    return p.catch((err: unknown) => {
      throw new DubboError(
        'DUBBO_ERR_CONFIG_CENTER',
        `config center ${this.url.address}: ${what}: ${(err as Error)?.message}`,
        {
          cause: err,
        },
      );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.watched.values()) clearTimeout(w.retryTimer);
    this.watched.clear();
    await this.shutdown();
  }
}
