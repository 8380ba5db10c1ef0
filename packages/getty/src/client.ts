import { createSocket } from 'node:dgram';
import { connect as netConnect } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { Backoff, type BackoffOptions, defaultTimingWheel } from '@dubbo-ts/gost';
import { WebSocket } from 'ws';
import type { EndpointOptions } from './endpoint-options.js';
import { GettyError } from './errors.js';
import { type Conn, StreamConn, UdpConn, WsConn } from './internal/connection.js';
import { Session, type SessionContext } from './session.js';
import { checkFlushOn, type FlushOn, resolveSessionOptions } from './session-options.js';

/** Options of a {@link Client}. */
export interface ClientOptions<P> extends EndpointOptions<P> {
  /** Server host. */
  host: string;
  /** Server port. */
  port: number;
  /**
   * Connections kept open to the server.
   * @defaultValue 1
   */
  connections?: number;
  /**
   * A connection attempt not done after this long fails.
   * @defaultValue 3000
   */
  connectTimeoutMs?: number;
  /**
   * Reconnect with exponential backoff and jitter after a connection fails or closes; `false` turns it off.
   * The jitter spreads many clients that lost the same server, so they do not reconnect in a storm.
   * @defaultValue `{ initialMs: 100, maxMs: 5000, multiplier: 2, jitter: 0.5 }`
   */
  reconnect?: false | BackoffOptions;
  /** TLS options for `transport: 'tls'`, or for `'ws'` to connect with wss:// (e.g. `ca`, `servername`). */
  tls?: ConnectionOptions;
  /**
   * URL path for `transport: 'ws'`.
   * @defaultValue '/'
   */
  path?: string;
}

interface Slot<P> {
  session: Session<P> | null;
  backoff: Backoff | null;
  timer: NodeJS.Timeout | null;
  connecting: boolean;
  firstAttemptDone: boolean;
}

/**
 * A getty client: keeps a fixed number of connections to one server, reconnects them with backoff and jitter,
 * and hands out a live session with {@link Client.pickSession}.
 */
export class Client<P = unknown> {
  private readonly options: ClientOptions<P>;
  private readonly ctx: SessionContext<P>;
  private readonly slots: Slot<P>[] = [];
  private readonly bySession = new Map<Session<P>, Slot<P>>();
  private rr = 0;
  private closed = false;
  private started = false;
  private readyWaiters: { resolve: () => void; reject: (e: Error) => void; failFast: boolean }[] = [];
  private lastError: Error | null = null;

  constructor(options: ClientOptions<P>) {
    if (!options?.codec || !options.listener || !options.host || !(options.port > 0)) {
      throw new GettyError('GETTY_ERR_INVALID_ARG', 'a client needs host, port, codec and listener');
    }
    const n = options.connections ?? 1;
    if (!(n >= 1 && Number.isInteger(n))) {
      throw new GettyError('GETTY_ERR_INVALID_ARG', `connections must be an integer >= 1, got ${n}`);
    }
    this.options = options;
    this.ctx = {
      codec: options.codec,
      listener: options.listener,
      pool: options.taskPool ?? null,
      wheel: options.wheel ?? defaultTimingWheel(),
      options: resolveSessionOptions(options),
      transport: options.transport ?? 'tcp',
      newSession: options.newSession,
      onSessionClosed: (s) => this.onSessionClosed(s),
    };
    const rc = options.reconnect === false ? null : (options.reconnect ?? {});
    for (let i = 0; i < n; i++) {
      this.slots.push({
        session: null,
        backoff: rc === null ? null : new Backoff({ initialMs: 100, maxMs: 5000, jitter: 0.5, ...rc }),
        timer: null,
        connecting: false,
        firstAttemptDone: false,
      });
    }
  }

  /**
   * Opens the connections. Resolves when the first session is open; rejects with `GETTY_ERR_CONNECT` when
   * every first attempt failed (reconnecting goes on in the background unless turned off).
   */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new GettyError('GETTY_ERR_ENDPOINT_CLOSED', 'the client is closed'));
    const p =
      this.pickSession() !== undefined
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject, failFast: true }));
    if (!this.started) {
      this.started = true;
      for (const slot of this.slots) this.connectSlot(slot);
    }
    return p;
  }

  /** Resolves when at least one session is open, however many reconnects that takes; rejects only on close. */
  ready(): Promise<void> {
    if (this.pickSession() !== undefined) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject, failFast: false }));
  }

  /** When the sessions' merged writes leave (see {@link SessionOptions.flushOn}); a change applies from the next flush. */
  get flushOn(): FlushOn {
    return this.ctx.options.flushOn;
  }

  set flushOn(mode: FlushOn) {
    this.ctx.options.flushOn = checkFlushOn(mode);
  }

  /** Open sessions now. */
  get sessions(): Session<P>[] {
    const out: Session<P>[] = [];
    for (const s of this.slots) if (s.session?.isOpen) out.push(s.session);
    return out;
  }

  /** A live session, round-robin over the open ones; `undefined` when none is open. */
  pickSession(): Session<P> | undefined {
    const slots = this.slots;
    const n = slots.length;
    for (let i = 0; i < n; i++) {
      const idx = (this.rr + i) % n;
      const s = slots[idx]!.session;
      if (s?.isOpen) {
        this.rr = idx + 1;
        return s;
      }
    }
    return undefined;
  }

  /** Like {@link Client.pickSession} but throws `GETTY_ERR_NO_SESSION` when none is open. */
  mustPickSession(): Session<P> {
    const s = this.pickSession();
    if (s === undefined) throw new GettyError('GETTY_ERR_NO_SESSION', `no open session to ${this.target()}`);
    return s;
  }

  private target(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  private connectSlot(slot: Slot<P>): void {
    if (this.closed || slot.connecting || slot.session !== null) return;
    slot.connecting = true;
    slot.timer = null;
    const o = this.options;
    const t = this.ctx.transport;
    let settled = false;
    let cancel: () => void = () => {};
    const timeout = setTimeout(
      () => fail(new Error(`connect timeout after ${o.connectTimeoutMs ?? 3000} ms`)),
      o.connectTimeoutMs ?? 3000,
    );
    timeout.unref();
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      cancel();
      slot.connecting = false;
      this.lastError = new GettyError('GETTY_ERR_CONNECT', `connect to ${this.target()} failed: ${err.message}`, {
        cause: err,
      });
      this.afterAttempt(slot, false);
      this.scheduleReconnect(slot);
    };
    const ok = (conn: Conn) => {
      if (settled) {
        conn.destroy();
        return;
      }
      settled = true;
      clearTimeout(timeout);
      slot.connecting = false;
      if (this.closed) {
        conn.destroy();
        return;
      }
      const session = new Session<P>(conn, this.ctx);
      slot.session = session;
      this.bySession.set(session, slot);
      conn.bind(session);
      if (session._open()) {
        slot.backoff?.reset();
        this.afterAttempt(slot, true);
      }
    };
    if (t === 'tcp' || t === 'tls') {
      const sock =
        t === 'tls'
          ? tlsConnect({ host: o.host, port: o.port, ...o.tls })
          : netConnect({ host: o.host, port: o.port, noDelay: true });
      cancel = () => sock.destroy();
      sock.once('error', fail);
      sock.once(t === 'tls' ? 'secureConnect' : 'connect', () => {
        sock.off('error', fail);
        ok(new StreamConn(sock));
      });
    } else if (t === 'ws') {
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      const scheme = o.tls ? 'wss' : 'ws';
      const ws = new WebSocket(`${scheme}://${host}:${o.port}${o.path ?? '/'}`, o.tls ? { ...o.tls } : undefined);
      cancel = () => ws.terminate();
      ws.once('error', fail);
      ws.once('open', () => {
        ws.off('error', fail);
        const s = (ws as unknown as { _socket: import('node:net').Socket })._socket;
        ok(new WsConn(ws, `${s.localAddress}:${s.localPort}`, this.target()));
      });
    } else {
      const sock = createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
      cancel = () => sock.close();
      sock.once('error', fail);
      sock.connect(o.port, o.host, () => {
        sock.off('error', fail);
        const a = sock.address();
        ok(new UdpConn(sock, `${a.address}:${a.port}`, this.target(), o.host, o.port, true));
      });
    }
  }

  private afterAttempt(slot: Slot<P>, opened: boolean): void {
    slot.firstAttemptDone = true;
    if (opened) {
      const ws = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of ws) w.resolve();
      return;
    }
    if (
      this.readyWaiters.some((w) => w.failFast) &&
      this.slots.every((s) => s.firstAttemptDone && !s.session?.isOpen)
    ) {
      const err = this.lastError ?? new GettyError('GETTY_ERR_CONNECT', `cannot connect to ${this.target()}`);
      const ws = this.readyWaiters;
      this.readyWaiters = ws.filter((w) => !w.failFast);
      for (const w of ws) if (w.failFast) w.reject(err);
    }
  }

  private onSessionClosed(session: Session<P>): void {
    const slot = this.bySession.get(session);
    if (slot === undefined) return;
    this.bySession.delete(session);
    slot.session = null;
    if (session.error?.name === 'GettyError' && (session.error as GettyError).code === 'GETTY_ERR_OPEN_REFUSED') {
      this.lastError = session.error;
      this.afterAttempt(slot, false);
    }
    this.scheduleReconnect(slot);
  }

  private scheduleReconnect(slot: Slot<P>): void {
    if (this.closed || slot.backoff === null || slot.timer !== null) return;
    const delay = slot.backoff.next();
    slot.timer = setTimeout(() => this.connectSlot(slot), delay);
    slot.timer.unref();
  }

  /** Stops reconnecting and closes every session gracefully (each bounded by `closeTimeoutMs`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing: Promise<void>[] = [];
    for (const slot of this.slots) {
      if (slot.timer !== null) clearTimeout(slot.timer);
      slot.timer = null;
      if (slot.session !== null) closing.push(slot.session.close());
    }
    const err = new GettyError('GETTY_ERR_ENDPOINT_CLOSED', 'the client was closed');
    for (const w of this.readyWaiters) w.reject(err);
    this.readyWaiters = [];
    await Promise.all(closing);
  }
}
