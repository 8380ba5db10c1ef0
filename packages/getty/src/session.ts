import { getLogger, type WheelTimeout } from '@dubbo-ts/gost';
import type { Codec, EncodedRange } from './codec.js';
import { GettyError } from './errors.js';
import type { EventListener } from './event-listener.js';
import type { Conn, ConnHandler } from './internal/connection.js';
import {
  closedError,
  closeTimeoutFire,
  cronFire,
  dispatchTask,
  flushTick,
  idleFire,
  settleAll,
  toError,
  writeTimeoutFire,
} from './internal/session-callbacks.js';
import type { SessionContext, Settle, WaitingWrite } from './internal/session-context.js';
import { OutQueue } from './internal/write-merge.js';
import type { BackpressureMode } from './session-options.js';

export type { SessionContext } from './internal/session-context.js';

/** The transports getty speaks. */
export type Transport = 'tcp' | 'tls' | 'ws' | 'udp';

const EMPTY = new Uint8Array(0);
const OPENING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

let nextId = 1;

/**
 * One connection (getty's Session): counters, attributes, timeouts, and the read/write engine between the
 * transport, the {@link Codec} and the {@link EventListener}.
 */
export class Session<P = unknown> implements ConnHandler {
  /** Process-unique id. */
  readonly id: number = nextId++;
  /** The transport under this session. */
  readonly transport: Transport;
  /** `host:port` of our end. */
  readonly localAddress: string;
  /** `host:port` of the peer. */
  readonly remoteAddress: string;
  /** User attributes (getty's session attributes), e.g. per-connection codec state. */
  readonly attributes: Map<string, unknown> = new Map();
  /** When the session was created (ms since epoch). */
  readonly createdAt: number = Date.now();
  /** Bytes received. */
  bytesRead = 0;
  /** Bytes handed to the transport. */
  bytesWritten = 0;
  /** Packages decoded. */
  packagesRead = 0;
  /** Packages encoded and queued. */
  packagesWritten = 0;
  /** `send()` calls refused (closed or backpressure) and `write()` calls rejected for backpressure. */
  writesRefused = 0;
  /** When bytes were last received (ms since epoch). */
  lastReadAt: number = this.createdAt;
  /** When bytes were last written (ms since epoch). */
  lastWriteAt: number = this.createdAt;
  /** Close with `GETTY_ERR_WRITE_TIMEOUT` when a `write()` does not flush within this many ms (0: off). */
  writeTimeoutMs: number;
  /** Largest accepted package in bytes. */
  maxPackageLength: number;
  /** Whether writes in one tick are merged into one transport write. */
  writeMerge: boolean;
  /** Bytes that may be pending towards the peer before writes wait or fail. */
  maxPendingBytes: number;
  /** What `write()` does past `maxPendingBytes`. */
  backpressure: BackpressureMode;

  /** @internal */ readonly _conn: Conn;
  private readonly ctx: SessionContext<P>;
  private readonly codec: Codec<P>;
  private readonly listener: EventListener<P>;
  private state = OPENING;
  private errorReported = false;
  private destroyed = false;
  private closeError: Error | null = null;
  // Read side: bytes of a partial package (null when none).
  private acc: Buffer | null = null;
  private accStart = 0;
  private accEnd = 0;
  private accOwned = false;
  private inNeed = 0;
  // Write side: packages encoded this tick, flushed in one write.
  private readonly out = new OutQueue();
  private readonly range: EncodedRange = { buf: EMPTY, start: 0, end: 0 };
  private flushScheduled = false;
  private batchWaiters: Settle[] = [];
  private waiting: WaitingWrite<P>[] = [];
  private cronPeriod: number;
  private readIdleTimeout: number;
  private cronTimer: WheelTimeout | null = null;
  private idleTimer: WheelTimeout | null = null;
  private closeTimer: WheelTimeout | null = null;
  private readonly asyncError = (err: unknown) => this.reportError(toError(err));
  private closedWaiters: (() => void)[] = [];

  /** @internal */
  constructor(conn: Conn, ctx: SessionContext<P>) {
    this._conn = conn;
    this.ctx = ctx;
    this.codec = ctx.codec;
    this.listener = ctx.listener;
    this.transport = ctx.transport;
    this.localAddress = conn.localAddress;
    this.remoteAddress = conn.remoteAddress;
    const o = ctx.options;
    this.writeTimeoutMs = o.writeTimeoutMs;
    this.maxPackageLength = o.maxPackageLength;
    this.writeMerge = o.writeMerge && conn.canMerge;
    this.maxPendingBytes = o.maxPendingBytes;
    this.backpressure = o.backpressure;
    this.cronPeriod = o.cronPeriodMs;
    this.readIdleTimeout = o.readIdleTimeoutMs;
  }

  /** Whether the session is open for writes. */
  get isOpen(): boolean {
    return this.state === OPEN;
  }

  /** Whether the session is closing or closed. */
  get isClosed(): boolean {
    return this.state >= CLOSING;
  }

  /** Period of `onCron` in ms (0: off). Setting it re-arms the timer. */
  get cronPeriodMs(): number {
    return this.cronPeriod;
  }

  set cronPeriodMs(ms: number) {
    this.cronPeriod = ms;
    this.cronTimer?.cancel();
    this.cronTimer = null;
    if (ms > 0 && this.state === OPEN) this.cronTimer = this.ctx.wheel.schedule(ms, cronFire, this);
  }

  /** Close with `GETTY_ERR_READ_TIMEOUT` after this many ms without reading (0: off). Setting it re-arms. */
  get readIdleTimeoutMs(): number {
    return this.readIdleTimeout;
  }

  set readIdleTimeoutMs(ms: number) {
    this.readIdleTimeout = ms;
    this.idleTimer?.cancel();
    this.idleTimer = null;
    if (ms > 0 && this.state === OPEN) this.idleTimer = this.ctx.wheel.schedule(ms, idleFire, this);
  }

  /** Bytes waiting towards the peer: merged this tick plus the transport's buffer. */
  get pendingBytes(): number {
    return this.out.bytes + this._conn.pendingBytes();
  }

  /** Writes waiting for the socket to drain (backpressure `'wait'`). */
  get waitingWrites(): number {
    return this.waiting.length;
  }

  /** Reads a user attribute. */
  getAttribute<T = unknown>(key: string): T | undefined {
    return this.attributes.get(key) as T | undefined;
  }

  /** Sets a user attribute. */
  setAttribute(key: string, value: unknown): void {
    this.attributes.set(key, value);
  }

  /** Removes a user attribute. */
  removeAttribute(key: string): void {
    this.attributes.delete(key);
  }

  /** @internal Called by the endpoint once the transport is connected. Returns whether onOpen accepted. */
  _open(): boolean {
    let refusal: unknown = null;
    try {
      this.ctx.newSession?.(this);
      const r = this.listener.onOpen?.(this);
      if (r instanceof Error) refusal = r;
    } catch (err) {
      refusal = err;
    }
    if (refusal !== null || this.state !== OPENING) {
      if (this.state === OPENING) {
        this.closeError = new GettyError('GETTY_ERR_OPEN_REFUSED', 'onOpen refused the connection', {
          cause: refusal,
        });
        this.state = CLOSING;
        this._conn.destroy();
      }
      return false;
    }
    this.state = OPEN;
    if (this.cronPeriod > 0) this.cronTimer = this.ctx.wheel.schedule(this.cronPeriod, cronFire, this);
    if (this.readIdleTimeout > 0) this.idleTimer = this.ctx.wheel.schedule(this.readIdleTimeout, idleFire, this);
    return true;
  }

  /**
   * Encodes and queues `pkg` without a promise: the cheap fire-and-forget path. Returns `false` (and counts
   * it in `writesRefused`) when the session is not open, the peer is too slow (`maxPendingBytes`), or the
   * codec throws (that error also goes to `onError`).
   */
  send(pkg: P): boolean {
    if (this.state !== OPEN || this.out.bytes + this._conn.pendingBytes() > this.maxPendingBytes) {
      this.writesRefused++;
      return false;
    }
    const codec = this.codec;
    let bytes: Uint8Array | null = null;
    try {
      if (codec.writeRange !== undefined && this.writeMerge) codec.writeRange(this, pkg, this.range);
      else bytes = codec.write(this, pkg);
    } catch (err) {
      this.writesRefused++;
      this.reportError(new GettyError('GETTY_ERR_ENCODE', 'codec.write threw', { cause: err }));
      return false;
    }
    if (bytes !== null) this.enqueue(bytes, undefined);
    else {
      const r = this.range;
      this.packagesWritten++;
      this.out.pushRange(r.buf, r.start, r.end);
      this.scheduleFlush();
    }
    return true;
  }

  /**
   * Queues bytes already encoded (getty's WriteBytes), e.g. a heartbeat frame built once. Same rules as
   * {@link Session.send}; the bytes must not be mutated afterwards.
   */
  sendBytes(bytes: Uint8Array): boolean {
    if (this.state !== OPEN || this.out.bytes + this._conn.pendingBytes() > this.maxPendingBytes) {
      this.writesRefused++;
      return false;
    }
    this.enqueue(bytes, undefined);
    return true;
  }

  /**
   * Encodes and writes `pkg`; resolves once its bytes are handed to the OS. Rejects with
   * `GETTY_ERR_SESSION_CLOSED` on a closed session, `GETTY_ERR_ENCODE` when the codec throws, and
   * `GETTY_ERR_BACKPRESSURE` when the peer is too slow (see {@link SessionOptions.backpressure}).
   */
  write(pkg: P): Promise<void> {
    if (this.state !== OPEN) {
      return Promise.reject(new GettyError('GETTY_ERR_SESSION_CLOSED', `session ${this.id} is closed`));
    }
    return new Promise<void>((resolve, reject) => {
      if (this.waiting.length > 0 || this.out.bytes + this._conn.pendingBytes() > this.maxPendingBytes) {
        if (this.backpressure === 'wait' && this.waiting.length < this.ctx.options.maxWaitingWrites) {
          this.waiting.push({ pkg, resolve, reject });
          return;
        }
        this.writesRefused++;
        reject(new GettyError('GETTY_ERR_BACKPRESSURE', `session ${this.id}: ${this.pendingBytes} bytes pending`));
        return;
      }
      this.encodeAndEnqueue(pkg, resolve, reject);
    });
  }

  private encodeAndEnqueue(pkg: P, resolve: () => void, reject: (e: Error) => void): void {
    let bytes: Uint8Array;
    try {
      bytes = this.codec.write(this, pkg);
    } catch (err) {
      reject(new GettyError('GETTY_ERR_ENCODE', 'codec.write threw', { cause: err }));
      return;
    }
    let timer: WheelTimeout | null = null;
    if (this.writeTimeoutMs > 0) timer = this.ctx.wheel.schedule(this.writeTimeoutMs, writeTimeoutFire, this);
    this.enqueue(bytes, (err) => {
      timer?.cancel();
      if (err) reject(closedError(this, err));
      // Node calls a write callback without an error when the socket was destroyed before the write finished.
      else if (this.destroyed) reject(new GettyError('GETTY_ERR_SESSION_CLOSED', `session ${this.id} was destroyed`));
      else resolve();
    });
  }

  private enqueue(bytes: Uint8Array, settle: Settle | undefined): void {
    this.packagesWritten++;
    if (!this.writeMerge) {
      this.bytesWritten += bytes.length;
      this.lastWriteAt = Date.now();
      this._conn.write(bytes, settle);
      return;
    }
    this.out.push(bytes);
    if (settle !== undefined) this.batchWaiters.push(settle);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Per turn: packages dispatched through a task pool are answered from its workers, which run as separate
    // immediates (flushing on the next tick would write once per worker turn), and with `flushOn: 'turn'` every
    // socket event of this turn gets to write first.
    if (this.ctx.pool !== null || this.ctx.options.flushOn === 'turn') setImmediate(flushTick, this);
    else process.nextTick(flushTick, this);
  }

  /** @internal Writes everything merged this tick in one transport write. */
  _flush(): void {
    this.flushScheduled = false;
    const total = this.out.bytes;
    if (this.state === CLOSED || this.out.empty) return;
    const data = this.out.take()!;
    const waiters = this.batchWaiters;
    let cb: Settle | undefined;
    if (waiters.length > 0) {
      this.batchWaiters = [];
      cb = (err) => settleAll(waiters, err);
    }
    if (this.waiting.length > 0) {
      // Writes wait for room: the socket may take this batch without ever emitting 'drain', so look again
      // once it is handed over.
      const inner = cb;
      cb = (err) => {
        inner?.(err);
        this._onDrain();
      };
    }
    this.bytesWritten += total;
    this.lastWriteAt = Date.now();
    if (Array.isArray(data)) this._conn.writev(data, cb);
    else this._conn.write(data, cb);
  }

  /** @internal */
  _onDrain(): void {
    const w = this.waiting;
    while (w.length > 0 && this.state <= CLOSING) {
      if (this.state === OPEN && this.out.bytes + this._conn.pendingBytes() > this.maxPendingBytes) return;
      const item = w.shift()!;
      this.encodeAndEnqueue(item.pkg, item.resolve, item.reject);
    }
  }

  /**
   * @internal The read engine: split and sticky packets into packages. A partial package waits in `acc` at
   * `[accStart, accEnd)`; later chunks are appended after `accEnd` (never over bytes already handed out as
   * package views), growing the buffer geometrically, so a package split into many chunks is copied O(n).
   */
  _onData(chunk: Buffer): void {
    if (this.state !== OPEN) return;
    this.bytesRead += chunk.length;
    this.lastReadAt = Date.now();
    let buf = chunk;
    let off = 0;
    let end = chunk.length;
    if (this.acc !== null) {
      if (!this.append(chunk)) return;
      buf = this.acc;
      off = this.accStart;
      end = this.accEnd;
    }
    const codec = this.codec;
    const ranged = codec.readAt !== undefined;
    while (off < end) {
      let r: ReturnType<Codec<P>['read']>;
      try {
        if (ranged) r = codec.readAt!(this, buf, off, end);
        else r = codec.read(this, off === 0 && end === buf.length ? buf : buf.subarray(off, end));
      } catch (err) {
        this.failDecode(err);
        return;
      }
      if (r === null || r === undefined || typeof r === 'number') {
        const need = r ?? 0;
        if (need > this.maxPackageLength) {
          this.tooLarge(need);
          return;
        }
        if (this.ctx.transport === 'udp') {
          this.failDecode(new Error(`datagram ended inside a package (${end - off} bytes left)`));
          return;
        }
        if (end - off > this.maxPackageLength) {
          this.tooLarge(end - off);
          return;
        }
        if (buf === chunk && this.acc === null) {
          // Keep the tail of this chunk by reference; it is copied only when more bytes arrive.
          this.acc = chunk;
          this.accOwned = false;
          this.accEnd = end;
        }
        this.accStart = off;
        this.inNeed = need;
        return;
      }
      const used = r.length;
      if (!(used > 0 && used <= end - off)) {
        this.failDecode(new Error(`codec.read returned length ${used} for ${end - off} bytes`));
        return;
      }
      if (used > this.maxPackageLength) {
        this.tooLarge(used);
        return;
      }
      off += used;
      this.packagesRead++;
      this.dispatch(r.pkg);
      if (this.state !== OPEN) return;
    }
    // Everything consumed. The buffer may back package views, so it is dropped, never reused.
    this.acc = null;
    this.inNeed = 0;
  }

  /** Appends a chunk to the partial package; returns whether there may now be enough bytes to decode. */
  private append(chunk: Buffer): boolean {
    let acc = this.acc!;
    const have = this.accEnd - this.accStart;
    const total = have + chunk.length;
    if (this.accOwned && this.accEnd + chunk.length <= acc.length) {
      chunk.copy(acc, this.accEnd);
      this.accEnd += chunk.length;
    } else {
      // With a length hint the size is exact; without one, grow geometrically so a long package is copied O(n).
      const cap = this.inNeed > 0 ? Math.max(this.inNeed, total) : Math.max(total * 2, 1024);
      const next = Buffer.allocUnsafe(cap);
      acc.copy(next, 0, this.accStart, this.accEnd);
      chunk.copy(next, have);
      this.acc = acc = next;
      this.accStart = 0;
      this.accEnd = total;
      this.accOwned = true;
    }
    if (total < this.inNeed) {
      if (total > this.maxPackageLength) this.tooLarge(total);
      return false;
    }
    return true;
  }

  private dispatch(pkg: P): void {
    const pool = this.ctx.pool;
    if (pool !== null) {
      if (!pool.trySubmit(dispatchTask, this, pkg)) {
        const err = new GettyError('GETTY_ERR_DISPATCH_REJECTED', `session ${this.id}: task pool refused a package`);
        err.pkg = pkg;
        this.reportError(err);
      }
      if (!this.flushScheduled && this.writeMerge) {
        // Queued after the workers just started: their answers leave in this turn, not the next one.
        this.flushScheduled = true;
        setImmediate(flushTick, this);
      }
      return;
    }
    this._deliver(pkg);
  }

  /** @internal */
  _deliver(pkg: P): void {
    try {
      const r = this.listener.onMessage(this, pkg);
      if (r !== undefined && r !== null && typeof (r as Promise<void>).then === 'function') {
        (r as Promise<void>).then(undefined, this.asyncError);
      }
    } catch (err) {
      this.reportError(toError(err));
    }
  }

  private tooLarge(n: number): void {
    this.destroy(
      new GettyError(
        'GETTY_ERR_PACKAGE_TOO_LARGE',
        `package of ${n} bytes exceeds maxPackageLength ${this.maxPackageLength}`,
      ),
    );
  }

  private failDecode(cause: unknown): void {
    this.destroy(new GettyError('GETTY_ERR_DECODE', `session ${this.id}: undecodable input`, { cause }));
  }

  /** @internal */
  _cron(): void {
    this.cronTimer = null;
    if (this.state !== OPEN) return;
    try {
      this.listener.onCron?.(this);
    } catch (err) {
      this.reportError(toError(err));
    }
    if (this.state === OPEN && this.cronPeriod > 0 && this.cronTimer === null) {
      this.cronTimer = this.ctx.wheel.schedule(this.cronPeriod, cronFire, this);
    }
  }

  /** @internal */
  _idleCheck(): void {
    this.idleTimer = null;
    if (this.state !== OPEN || this.readIdleTimeout <= 0) return;
    const idle = Date.now() - this.lastReadAt;
    if (idle >= this.readIdleTimeout) {
      this.destroy(new GettyError('GETTY_ERR_READ_TIMEOUT', `session ${this.id}: nothing read for ${idle} ms`));
      return;
    }
    this.idleTimer = this.ctx.wheel.schedule(this.readIdleTimeout - idle, idleFire, this);
  }

  /** @internal */
  _writeTimedOut(): void {
    if (this.state >= CLOSED) return;
    this.destroy(new GettyError('GETTY_ERR_WRITE_TIMEOUT', `session ${this.id}: write not flushed in time`));
  }

  /** Reports an error to `onError` (or the logger when there is none). */
  private reportError(err: Error): void {
    const onError = this.listener.onError;
    if (onError === undefined) {
      getLogger().warn(`getty session ${this.id} (${this.remoteAddress}): ${err.message}`);
      return;
    }
    try {
      onError.call(this.listener, this, err);
    } catch (e) {
      getLogger().error(`getty onError threw: ${String(e)}`);
    }
  }

  /**
   * Closes gracefully: packages already written are flushed, then the transport is closed. Bounded by
   * `closeTimeoutMs`, after which the connection is destroyed. Resolves when closed.
   */
  close(): Promise<void> {
    if (this.state === CLOSED) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.closedWaiters.push(resolve));
    if (this.state === OPEN || this.state === OPENING) {
      this.state = CLOSING;
      this.cancelTimers();
      // Writes waiting for drain were accepted: queue them for the flush.
      const w = this.waiting;
      this.waiting = [];
      for (const item of w) this.encodeAndEnqueue(item.pkg, item.resolve, item.reject);
      this._flush();
      this._conn.end();
      this.closeTimer = this.ctx.wheel.schedule(this.ctx.options.closeTimeoutMs, closeTimeoutFire, this);
    }
    return done;
  }

  /** Closes at once, dropping unflushed bytes; `err` (if any) is reported to `onError` first. */
  destroy(err?: Error): void {
    if (this.state === CLOSED) return;
    if (err && this.closeError === null) this.closeError = err;
    this.destroyed = true;
    this.state = CLOSING;
    this.cancelTimers();
    this._conn.destroy();
  }

  private cancelTimers(): void {
    this.cronTimer?.cancel();
    this.cronTimer = null;
    this.idleTimer?.cancel();
    this.idleTimer = null;
  }

  /** @internal The transport closed. */
  _onConnClosed(err: Error | null): void {
    if (this.state === CLOSED) return;
    if (err !== null) this.destroyed = true;
    const opened =
      this.state !== OPENING &&
      !(this.closeError instanceof GettyError && this.closeError.code === 'GETTY_ERR_OPEN_REFUSED');
    this.state = CLOSED;
    this.cancelTimers();
    this.closeTimer?.cancel();
    this.closeTimer = null;
    const closed = new GettyError('GETTY_ERR_SESSION_CLOSED', `session ${this.id} is closed`);
    const bw = this.batchWaiters;
    this.batchWaiters = [];
    settleAll(bw, closed);
    this.out.clear();
    for (const item of this.waiting) item.reject(closed);
    this.waiting = [];
    this.acc = null;
    const reported =
      this.closeError ??
      (err !== null
        ? new GettyError('GETTY_ERR_TRANSPORT', `session ${this.id}: ${err.message}`, { cause: err })
        : null);
    if (opened) {
      if (reported !== null && !this.errorReported) {
        this.errorReported = true;
        this.reportError(reported);
      }
      try {
        this.listener.onClose?.(this);
      } catch (e) {
        this.reportError(toError(e));
      }
    }
    this.ctx.onSessionClosed(this, opened);
    const ws = this.closedWaiters;
    this.closedWaiters = [];
    for (const w of ws) w();
  }

  /** Resolves when the session is closed. */
  closed(): Promise<void> {
    if (this.state === CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  /** The error the session closed with, if any. */
  get error(): Error | null {
    return this.closeError;
  }
}
