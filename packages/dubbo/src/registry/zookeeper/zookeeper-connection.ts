import { Backoff, getLogger } from '@dubbo-ts/gost';
import zookeeper from 'node-zookeeper-client';
import { DubboError } from '../../errors.js';

/** What a {@link ZookeeperConnection} reports. */
export interface ZookeeperConnectionEvents {
  /** Connected; `newSession` is true for the first session and for each session made after an expiry. */
  onConnected(newSession: boolean): void;
  /** The connection dropped (the session may still be alive). */
  onDisconnected(): void;
}

/** Settings of a {@link ZookeeperConnection}. */
export interface ZookeeperConnectionOptions {
  /** `host:port[,host:port...]`. */
  readonly servers: string;
  /** Session timeout in ms. */
  readonly sessionMs: number;
  /** Per-operation timeout in ms. */
  readonly timeoutMs: number;
  /** First delay before a new session after an expiry, in ms (exponential, jittered). */
  readonly retryInitialMs: number;
  /** Largest such delay, in ms. */
  readonly retryMaxMs: number;
}

const { CreateMode, Exception } = zookeeper;
const NO_NODE = Exception.NO_NODE;
const NODE_EXISTS = Exception.NODE_EXISTS;

/** An operation waiting for its answer. */
interface InFlight {
  readonly client: zookeeper.Client;
  readonly what: string;
  fail(err: Error): void;
}

/**
 * Drops the socket of a client being replaced. node-zookeeper-client's `close()` only queues a closeSession and waits
 * for the server to hang up: a server that never answered would keep the connection open for good. (Its socket is
 * not public API, hence the defensive access.)
 */
function dropSocket(client: zookeeper.Client): void {
  (
    client as unknown as { connectionManager?: { socket?: { destroy?: () => void } } }
  ).connectionManager?.socket?.destroy?.();
}

/**
 * Closes a client for good: its `close()` (a closeSession, queued; the server then hangs up and drops the session's
 * ephemeral nodes at once), and with `drop` its socket dropped without waiting for that. node-zookeeper-client's
 * `close()` throws a TypeError when the client has no socket at that moment (never connected, or between two
 * connection attempts): that is caught here and the socket dropped, so the client is closed all the same.
 */
function closeClient(client: zookeeper.Client, drop: boolean): void {
  try {
    client.close();
  } catch {
    drop = true; // no socket to queue the closeSession on: nothing to tell the server
  }
  if (drop) dropSocket(client);
}

/** The parts of node-zookeeper-client's (private) connection manager that {@link guardFraming} wraps. */
interface ConnectionManagerInternals {
  pendingBuffer?: Buffer | null;
  socket?: { destroy?: () => void };
  connect?: () => void;
  onSocketData?: (data: Buffer) => void;
}

/** Errors node-zookeeper-client throws when it reads a frame at the wrong offset. */
function isFramingError(err: unknown): boolean {
  return err instanceof RangeError || (err instanceof Error && err.message.startsWith('Unknown code: '));
}

/**
 * Works around two defects of node-zookeeper-client 1.1.3's connection manager (its issue #70, open upstream):
 * it keeps the bytes of a frame half-read when its socket closed (a server hanging up mid-reply, or the client itself
 * dropping a socket it cannot follow) and puts them in front of the next connection's first bytes, so every frame of
 * the new connection is read at the wrong offset; and a reply header read at a wrong offset carries an error code it
 * does not know, which it throws from the socket's data handler: an uncaught exception that ends the process (seen on
 * a busy machine, where sessions reconnect more often). Each connection attempt here starts from an empty buffer,
 * and a frame that still cannot be read drops the socket, so the client reconnects within its session, as Java's
 * ClientCnxn treats a stream it cannot read as a lost connection; `onUnreadable` is told (the operations waiting on
 * that connection will get no answer). (Private API, hence the defensive access.)
 */
function guardFraming(client: zookeeper.Client, onUnreadable: (err: Error) => void): void {
  const cm = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  const connect = cm?.connect;
  const onSocketData = cm?.onSocketData;
  if (cm === undefined || typeof connect !== 'function' || typeof onSocketData !== 'function') return;
  cm.connect = function (this: ConnectionManagerInternals) {
    this.pendingBuffer = null;
    connect.call(this);
  };
  cm.onSocketData = function (this: ConnectionManagerInternals, data: Buffer) {
    try {
      onSocketData.call(this, data);
    } catch (err) {
      if (!isFramingError(err)) throw err;
      getLogger().warn(`dubbo zookeeper: unreadable data from the server, reconnecting: ${(err as Error).message}`);
      this.pendingBuffer = null;
      this.socket?.destroy?.();
      onUnreadable(err as Error);
    }
  };
}

/** The ZooKeeper error code of an error from node-zookeeper-client, if any. */
export function zkCode(err: unknown): number | undefined {
  const c = (err as { getCode?: () => number } | null)?.getCode?.();
  return typeof c === 'number' ? c : undefined;
}

/**
 * A ZooKeeper session that outlives expiries: node-zookeeper-client reconnects by itself within a session (with a
 * random delay up to its spin delay, and re-sends the watches), but an expired session is final, so this class
 * builds a new client after a jittered backoff and reports `newSession`. A client not connected for a session timeout
 * (including a new one whose handshake never completes) is replaced the same way. Every operation has a timeout, and
 * the operations of a replaced client fail at once.
 */
export class ZookeeperConnection {
  private client: zookeeper.Client | undefined;
  private connected = false;
  private closed = false;
  private firstSessionSeen = false;
  private expiredSinceConnect = false;
  private generationCount = 0;
  private readonly backoff: Backoff;
  private rebuildTimer: NodeJS.Timeout | undefined;
  private lostTimer: NodeJS.Timeout | undefined;
  /** Operations waiting for an answer, with the client they were sent on. */
  private readonly inFlight = new Set<InFlight>();

  constructor(
    private readonly options: ZookeeperConnectionOptions,
    private readonly events: ZookeeperConnectionEvents,
  ) {
    this.backoff = new Backoff({ initialMs: options.retryInitialMs, maxMs: options.retryMaxMs, jitter: 0.5 });
    this.open();
  }

  /** Increments with every new client (watches of an older generation are dead). */
  get generation(): number {
    return this.generationCount;
  }

  /** Whether the client is connected right now. */
  get isConnected(): boolean {
    return this.connected;
  }

  /** The session id of the current client as hex (for tests and logs). */
  get sessionId(): Buffer | undefined {
    return this.connected ? this.client?.getSessionId() : undefined;
  }

  /** The session password of the current client. */
  get sessionPassword(): Buffer | undefined {
    return this.connected ? this.client?.getSessionPassword() : undefined;
  }

  private open(): void {
    if (this.closed) return;
    const client = zookeeper.createClient(this.options.servers, {
      sessionTimeout: this.options.sessionMs,
      // node-zookeeper-client waits Math.random() * spinDelay between rounds of connect attempts: jittered.
      spinDelay: Math.min(2000, this.options.retryMaxMs),
      retries: 0,
    });
    // A connection that sent what cannot be read is dropped; the operations waiting on it will get no answer: fail
    // them now (the registry retries them) rather than at their timeout.
    guardFraming(client, (err) => this.failInFlight(client, `unreadable answer from the server (${err.message})`));
    this.client = client;
    this.generationCount++;
    const gen = this.generationCount;
    // node-zookeeper-client bounds the TCP connect but not the handshake after it: a server that accepted the
    // connection and never answers the ConnectRequest (seen from a ZooKeeper accepting connections while it starts)
    // leaves the client waiting for good. Java's client gives up on such a server after its connect timeout; here a
    // new client is not given longer than a session timeout either.
    clearTimeout(this.lostTimer);
    this.lostTimer = undefined;
    this.replaceIfNotConnectedIn(gen);
    client.on('state', (state) => {
      if (this.closed || gen !== this.generationCount || client !== this.client) return;
      if (state === zookeeper.State.SYNC_CONNECTED) {
        clearTimeout(this.lostTimer);
        this.lostTimer = undefined;
        this.connected = true;
        this.backoff.reset();
        const newSession = !this.firstSessionSeen || this.expiredSinceConnect;
        this.firstSessionSeen = true;
        this.expiredSinceConnect = false;
        this.events.onConnected(newSession);
      } else if (state === zookeeper.State.DISCONNECTED) {
        this.connected = false;
        this.events.onDisconnected();
        // A server that lost its data (restart with a fresh data dir, or a server behind the client's last zxid)
        // refuses the reconnect without ever saying "expired": after a session timeout without a connection the
        // session is gone on every server anyway, so start a new one (as Curator does).
        this.replaceIfNotConnectedIn(gen);
      } else if (state === zookeeper.State.EXPIRED) {
        clearTimeout(this.lostTimer);
        this.lostTimer = undefined;
        this.connected = false;
        this.expiredSinceConnect = true;
        this.events.onDisconnected();
        this.rebuild();
      }
    });
    client.connect();
  }

  /** Replaces the client of generation `gen` when it is still not connected a session timeout from now. */
  private replaceIfNotConnectedIn(gen: number): void {
    if (this.lostTimer !== undefined) return;
    this.lostTimer = setTimeout(() => {
      this.lostTimer = undefined;
      if (this.connected || this.closed || gen !== this.generationCount) return;
      this.expiredSinceConnect = true;
      this.rebuild();
    }, this.options.sessionMs);
  }

  /** Replaces an expired (or never connected) client after a jittered backoff. */
  private rebuild(): void {
    const old = this.client;
    this.client = undefined;
    if (old !== undefined) {
      closeClient(old, true);
      // Its operations can no longer be answered: fail them now, so retries go to the new client without first
      // waiting out their timeouts.
      this.failInFlight(old, 'the ZooKeeper session is being re-created');
    }
    if (this.closed || this.rebuildTimer !== undefined) return;
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = undefined;
      this.open();
    }, this.backoff.next());
  }

  /** Closes the client for good. */
  close(): void {
    this.closed = true;
    this.connected = false;
    clearTimeout(this.rebuildTimer);
    clearTimeout(this.lostTimer);
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      closeClient(client, false);
      this.failInFlight(client, 'the ZooKeeper connection is closed');
    }
  }

  private failInFlight(client: zookeeper.Client, why: string): void {
    for (const op of [...this.inFlight]) {
      if (op.client === client) op.fail(new DubboError('DUBBO_ERR_REGISTRY', `${op.what}: ${why}`));
    }
  }

  private call<T>(
    what: string,
    run: (c: zookeeper.Client, done: (err: unknown, value?: T) => void) => void,
  ): Promise<T> {
    const client = this.client;
    if (client === undefined || this.closed) {
      return Promise.reject(new DubboError('DUBBO_ERR_REGISTRY', `${what}: ZooKeeper session is being re-created`));
    }
    return new Promise<T>((resolve, reject) => {
      const op: InFlight = {
        client,
        what,
        fail: (err) => {
          clearTimeout(timer);
          this.inFlight.delete(op);
          reject(err);
        },
      };
      const timer = setTimeout(
        () =>
          op.fail(new DubboError('DUBBO_ERR_REGISTRY_TIMEOUT', `${what}: no answer in ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      this.inFlight.add(op);
      run(client, (err, value) => {
        if (!this.inFlight.delete(op)) return; // already failed (timeout, or its client was replaced)
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(value as T);
      });
    });
  }

  /** Creates `path` and its missing parents as persistent nodes. */
  mkdirp(path: string): Promise<void> {
    return this.call(`mkdirp ${path}`, (c, done) => c.mkdirp(path, (err) => done(err)));
  }

  /**
   * Creates a node; when it exists (e.g. left by our previous session) it is deleted and created again, as Java's
   * curator client does for ephemeral nodes.
   */
  async create(path: string, ephemeral: boolean, data?: Buffer): Promise<void> {
    const mode = ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT;
    const once = () =>
      this.call<void>(`create ${path}`, (c, done) =>
        data === undefined ? c.create(path, mode, (err) => done(err)) : c.create(path, data, mode, (err) => done(err)),
      );
    try {
      await once();
    } catch (err) {
      if (zkCode(err) !== NODE_EXISTS) throw err;
      if (!ephemeral) {
        if (data !== undefined) await this.setData(path, data);
        return;
      }
      // Ours already (a retried create that had gone through): keep it, consumers see no blip.
      const owner = await this.ephemeralOwner(path);
      const session = this.client?.getSessionId();
      if (owner !== undefined && session !== undefined && owner.equals(session)) return;
      await this.remove(path);
      await once();
    }
  }

  /** The session owning an ephemeral node (undefined when missing; zeros for a persistent node). */
  async ephemeralOwner(path: string): Promise<Buffer | undefined> {
    return (await this.exists(path))?.ephemeralOwner;
  }

  /**
   * The stat of `path` (undefined when missing), arming `watcher` when given: unlike a data watch, this one is set
   * whether or not the node exists, and fires on its creation, data change or deletion.
   */
  exists(path: string, watcher?: (event: zookeeper.Event) => void): Promise<zookeeper.Stat | undefined> {
    return this.call<zookeeper.Stat | undefined>(`exists ${path}`, (c, done) =>
      watcher
        ? c.exists(path, watcher, (err, st) => done(err, st ?? undefined))
        : c.exists(path, (err, st) => done(err, st ?? undefined)),
    );
  }

  /** Deletes a node; a missing node is fine. */
  async remove(path: string): Promise<void> {
    try {
      await this.call<void>(`remove ${path}`, (c, done) => c.remove(path, -1, (err) => done(err)));
    } catch (err) {
      if (zkCode(err) !== NO_NODE) throw err;
    }
  }

  /** The children of `path` ([] when it does not exist), arming `watcher` for the next change when given. */
  async getChildren(path: string, watcher?: (event: zookeeper.Event) => void): Promise<string[]> {
    try {
      return await this.call<string[]>(`getChildren ${path}`, (c, done) =>
        watcher
          ? c.getChildren(path, watcher, (err, ch) => done(err, ch))
          : c.getChildren(path, (err, ch) => done(err, ch)),
      );
    } catch (err) {
      if (zkCode(err) === NO_NODE) return [];
      throw err;
    }
  }

  /** The data of `path` (undefined when it does not exist), arming `watcher` when given. */
  async getData(path: string, watcher?: (event: zookeeper.Event) => void): Promise<Buffer | undefined> {
    try {
      return await this.call<Buffer>(`getData ${path}`, (c, done) =>
        watcher ? c.getData(path, watcher, (err, d) => done(err, d)) : c.getData(path, (err, d) => done(err, d)),
      );
    } catch (err) {
      if (zkCode(err) === NO_NODE) return undefined;
      throw err;
    }
  }

  /** Writes the data of an existing node. */
  setData(path: string, data: Buffer): Promise<void> {
    return this.call(`setData ${path}`, (c, done) => c.setData(path, data, -1, (err) => done(err)));
  }
}
