import { Client, type FlushOn, type Session } from '@dubbo-ts/getty';
import {
  type BackoffOptions,
  defaultTimingWheel,
  getLogger,
  type TimingWheel,
  type WheelTimeout,
} from '@dubbo-ts/gost';
import { type ClassRegistry, type DecoderOptions, Hessian2Decoder } from '@dubbo-ts/hessian2';
import { DubboError } from '../../errors.js';
import { limitErrorOfException, limitErrorOfStatusMessage } from '../../flow/limit-error.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { CallObserver } from '../../rpc/invoker.js';
import type { RpcResult } from '../../rpc/result.js';
import { decodeResponseBody, decodeResponseValue, hasClosingFlag, notThrowable } from './body-codec.js';
import { CLOSING_ATTACHMENT, DEFAULT_PAYLOAD, HEADER_LENGTH, READONLY_EVENT, WRITEABLE_EVENT } from './constants.js';
import { DubboCodec, type DubboPacket } from './dubbo-codec.js';
import { type DubboFrame, DubboRequest, DubboResponse, type RequestPlan } from './packet.js';
import { PendingCalls } from './pending-calls.js';
import { DubboStatusError, ResponseStatus } from './status.js';

/** Options of an {@link ExchangeClient}: one provider address, its connections and timers. */
export interface ExchangeClientOptions {
  /** Provider host. */
  host: string;
  /** Provider port. */
  port: number;
  /** Connections to open to the provider (Java shares one by default). @defaultValue 1 */
  connections?: number;
  /** Send a heartbeat after this long without reading anything; 0 turns heartbeats off. @defaultValue 60000 (Java) */
  heartbeatMs?: number;
  /** Close (and reconnect) a connection that read nothing for this long. @defaultValue 3 x `heartbeatMs` */
  idleTimeoutMs?: number;
  /** Largest request or response body (Java's `payload`). @defaultValue 8388608 (8 MiB) */
  payload?: number;
  /** Connection attempt timeout. @defaultValue 3000 */
  connectTimeoutMs?: number;
  /** Reconnect backoff (getty's); `false` turns reconnecting off. @defaultValue getty's default */
  reconnect?: false | BackoffOptions;
  /** Registry of the Java classes written and read. @defaultValue hessian2's `defaultRegistry` */
  registry?: ClassRegistry;
  /** How responses are decoded (e.g. `longAs`). @defaultValue `{ longAs: 'number' }` (a `Long` beyond 2^53) */
  decoder?: DecoderOptions;
  /** The wheel running call timeouts and heartbeats. @defaultValue gost's `defaultTimingWheel()` */
  wheel?: TimingWheel;
}

/** A call waiting for its response; it is itself the request written (no extra object per call). */
class PendingCall extends DubboRequest {
  readonly owner: ExchangeClient;
  /** Settle with the bare value / service exception (no RpcResult, response attachments not decoded). */
  unwrap = false;
  readonly resolve: (r: any) => void;
  readonly reject: (e: Error) => void;
  timer: WheelTimeout | null = null;
  session: Session<DubboPacket> | null = null;
  readonly timeoutMs: number;
  /** Told when the call ends (the cluster's statistics), with the start time when it is timed. */
  observer: CallObserver | null = null;
  startedAt = 0;

  constructor(
    owner: ExchangeClient,
    id: number,
    inv: RpcInvocation,
    timeoutMs: number,
    resolve: (r: any) => void,
    reject: (e: Error) => void,
  ) {
    super(id, inv, true, false);
    this.owner = owner;
    this.timeoutMs = timeoutMs;
    this.resolve = resolve;
    this.reject = reject;
  }
}

/**
 * Calls pending in every client of the process, and the one timer that keeps the event loop alive while there are
 * any: the call timeouts run on the (unref'd) timing wheel and a provider that went down leaves no socket open, so
 * without it a script whose last call waits would exit (code 13, no message) before the call settles. The timer
 * never fires; it is ref'd on the first pending call and unref'd after the last, so it costs nothing per call.
 */
let pendingInProcess = 0;
let keepAlive: NodeJS.Timeout | null = null;

function callStarted(): void {
  if (pendingInProcess++ === 0) {
    if (keepAlive === null) keepAlive = setInterval(noop, 1 << 30);
    else keepAlive.ref();
  }
}

function callEnded(): void {
  if (--pendingInProcess === 0) keepAlive!.unref();
}

function observed(call: PendingCall, succeeded: boolean): void {
  const o = call.observer!;
  call.observer = null;
  o.end(o.timed ? performance.now() - call.startedAt : 0, succeeded);
}

function callTimedOut(call: PendingCall): void {
  call.timer = null;
  call.owner._timeout(call);
}

/**
 * The consumer side of the dubbo exchange layer for one provider address: writes requests, correlates
 * responses by id, fails calls at their timeout (on the gost timing wheel) or when the connection drops,
 * answers and sends heartbeats. Shared by every reference to the same address.
 */
export class ExchangeClient {
  /** `host:port` of the provider. */
  readonly address: string;
  private readonly client: Client<DubboPacket>;
  private readonly codec: DubboCodec;
  private readonly dec: Hessian2Decoder;
  private readonly pending = new PendingCalls<PendingCall>();
  private readonly wheel: TimingWheel;
  private readonly heartbeatMs: number;
  private readonly idleTimeoutMs: number;
  private nextId = 0;
  private connecting: Promise<void> | null = null;
  private waiting: PendingCall[] = [];
  private everConnected = false;
  /** Why the last connection attempt failed, until one succeeds. */
  private connectFailure: DubboError | null = null;
  private awaitingReady = false;
  private readonly reconnects: boolean;
  private closed = false;
  /** Open sessions the provider said are read-only (Java's `channel.readonly` attribute). */
  private readonly readOnly = new Set<Session<DubboPacket>>();

  constructor(options: ExchangeClientOptions) {
    this.address = `${options.host}:${options.port}`;
    this.reconnects = options.reconnect !== false;
    this.wheel = options.wheel ?? defaultTimingWheel();
    this.heartbeatMs = options.heartbeatMs ?? 60_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? this.heartbeatMs * 3;
    const payload = options.payload ?? DEFAULT_PAYLOAD;
    this.codec = new DubboCodec({ payload, registry: options.registry });
    this.dec = new Hessian2Decoder(undefined, { longAs: 'number', ...options.decoder, registry: options.registry });
    this.client = new Client<DubboPacket>({
      host: options.host,
      port: options.port,
      connections: options.connections ?? 1,
      connectTimeoutMs: options.connectTimeoutMs,
      reconnect: options.reconnect,
      codec: this.codec,
      maxPackageLength: payload + HEADER_LENGTH,
      cronPeriodMs: this.heartbeatMs > 0 ? Math.min(this.heartbeatMs, 1000) : 0,
      wheel: this.wheel,
      listener: {
        onMessage: (s, f) => this.onFrame(s, f as DubboFrame),
        onCron: (s) => this.onCron(s),
        onError: (s, err) => getLogger().warn(`dubbo client ${this.address} session ${s.id}: ${err.message}`),
        onClose: (s) => this.onSessionClose(s),
      },
    });
  }

  /**
   * When this client's merged writes leave (getty's `flushOn`): per tick (at once) or once per event-loop turn.
   * The protocol sets `'turn'` while it holds connections to more than one provider.
   */
  set flushOn(mode: FlushOn) {
    this.client.flushOn = mode;
  }

  get flushOn(): FlushOn {
    return this.client.flushOn;
  }

  /** Number of calls waiting for a response. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  /** Whether at least one connection is open. */
  get isConnected(): boolean {
    return this.client.pickSession() !== undefined;
  }

  /**
   * Whether a connection is open that the provider has not declared read-only: a provider shutting down says so
   * with Java's read-only event or dubbo-go's `closing=true` response attachment, and from then on its invokers
   * are left out of selection (Java's `DubboInvoker.isAvailable`). A new connection (the provider restarted) is
   * writable again.
   */
  get isAvailable(): boolean {
    if (this.readOnly.size === 0) return this.client.pickSession() !== undefined;
    for (const s of this.client.sessions) if (!this.readOnly.has(s)) return true;
    return false;
  }

  /** Whether the provider declared a connection read-only (it is shutting down). */
  get isReadOnly(): boolean {
    return this.readOnly.size > 0;
  }

  private markReadOnly(s: Session<DubboPacket>, why: string): void {
    if (this.readOnly.has(s) || !s.isOpen) return;
    this.readOnly.add(s);
    getLogger().info(`dubbo client ${this.address}: provider is closing (${why}), leaving it out of selection`);
  }

  /** A request from the provider: only events (heartbeat, read-only, writeable) are expected. */
  private onProviderEvent(s: Session<DubboPacket>, f: DubboFrame): void {
    const flag = f.flag;
    if ((flag & 0x20) === 0) return;
    const len = f.bodyEnd - f.bodyStart;
    // A heartbeat carries null (one byte); the read-only and writeable events a one-letter string.
    if (len > 1 && len <= 16) {
      let data: unknown = null;
      try {
        this.dec.reset(f.source, f.bodyStart, len);
        data = this.dec.readValue();
      } catch {
        data = null;
      }
      if (data === READONLY_EVENT) this.markReadOnly(s, 'read-only event');
      else if (data === WRITEABLE_EVENT) this.readOnly.delete(s);
    }
    if ((flag & 0x40) !== 0) {
      const res = new DubboResponse(f);
      res.event = true;
      s.send(res);
    }
  }

  /** Opens the connections; resolves when one is open (rejects with `DUBBO_ERR_CONNECT` when none can be). */
  connect(): Promise<void> {
    if (this.closed) return Promise.reject(new DubboError('DUBBO_ERR_CLOSED', `client ${this.address} is closed`));
    if (this.connecting === null) {
      this.connecting = this.client.connect().then(
        () => {
          this.everConnected = true;
          this.connectFailure = null;
          this.flushWaiting();
        },
        (err) => {
          this.connecting = null;
          const e = new DubboError('DUBBO_ERR_CONNECT', `cannot connect to ${this.address}: ${err.message}`, {
            cause: err,
          });
          this.connectFailure = e;
          this.failWaiting(e);
          throw e;
        },
      );
    }
    return this.connecting;
  }

  /**
   * Sends a call and resolves with its result (value or exception), or rejects with a typed error: a
   * {@link DubboStatusError} for a non-OK status (`DUBBO_ERR_CLIENT_TIMEOUT` after `timeoutMs`), `DUBBO_ERR_CONNECT`,
   * `DUBBO_ERR_PAYLOAD_LIMIT`, `DUBBO_ERR_CLOSED`.
   */
  request(
    inv: RpcInvocation,
    timeoutMs: number,
    plan: RequestPlan | null = null,
    observer: CallObserver | null = null,
  ): Promise<RpcResult> {
    return this.send(inv, timeoutMs, false, plan, observer);
  }

  /**
   * Like {@link request} but resolves with the bare value and rejects with the service exception (the fast path of
   * proxies without filters: no {@link RpcResult}, response attachments skipped).
   */
  call(
    inv: RpcInvocation,
    timeoutMs: number,
    plan: RequestPlan | null = null,
    observer: CallObserver | null = null,
  ): Promise<unknown> {
    return this.send(inv, timeoutMs, true, plan, observer);
  }

  private send<R>(
    inv: RpcInvocation,
    timeoutMs: number,
    unwrap: boolean,
    plan: RequestPlan | null,
    observer: CallObserver | null,
  ): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      if (this.closed) {
        reject(new DubboError('DUBBO_ERR_CLOSED', `client ${this.address} is closed`));
        return;
      }
      const id = this.nextId++;
      const call = new PendingCall(this, id, inv, timeoutMs, resolve, reject);
      call.unwrap = unwrap;
      call.plan = plan;
      if (observer !== null) {
        call.observer = observer;
        observer.begin();
        if (observer.timed) call.startedAt = performance.now();
      }
      this.pending.set(call);
      callStarted();
      if (timeoutMs > 0) call.timer = this.wheel.schedule(timeoutMs, callTimedOut, call);
      const s = this.client.pickSession();
      if (s !== undefined) this.write(s, call);
      else this.waitForSession(call);
    });
  }

  /**
   * No connection is open. Before the first connection: connect (the call fails with `DUBBO_ERR_CONNECT` if that
   * fails). After a connection dropped: wait for getty's reconnect (bounded by the call's timeout), or, with
   * reconnecting off, fail at once with `DUBBO_ERR_CHANNEL_INACTIVE` (as Java fails a call on a closed channel).
   */
  private waitForSession(call: PendingCall): void {
    if (!this.everConnected) {
      // Never connected and the last attempt failed: fail now (as Java fails a call on a closed channel), so
      // failover moves on at once instead of waiting out the timeout; getty keeps reconnecting meanwhile.
      const failure = this.connecting === null ? this.connectFailure : null;
      if (failure !== null) {
        this.finish(call, null, failure);
        if (this.reconnects) this.connect().catch(noop); // settles with getty's next attempt
        return;
      }
      this.waiting.push(call);
      this.connect().catch(noop);
      return;
    }
    this.waiting.push(call);
    if (!this.reconnects) {
      this.flushWaiting();
      return;
    }
    if (this.awaitingReady) return;
    this.awaitingReady = true;
    this.client.ready().then(
      () => {
        this.awaitingReady = false;
        this.flushWaiting();
      },
      (err: Error) => {
        this.awaitingReady = false;
        this.failWaiting(new DubboError('DUBBO_ERR_CLOSED', `client ${this.address} is closed`, { cause: err }));
      },
    );
  }

  private write(s: Session<DubboPacket>, call: PendingCall): void {
    call.session = s;
    if (s.send(call)) return;
    const codecErr = this.codec.lastWriteError;
    this.codec.lastWriteError = null;
    if (codecErr === null && s.isOpen) {
      // The peer is slow (more than maxPendingBytes waiting): queue the request until the socket drains.
      s.write(call).catch((err: Error) => {
        if (this.pending.has(call.id)) {
          this.finish(
            call,
            null,
            new DubboStatusError(ResponseStatus.CLIENT_ERROR, `cannot send to ${this.address}: ${err.message}`, {
              cause: err,
            }),
          );
        }
      });
      return;
    }
    const err =
      codecErr instanceof DubboError
        ? codecErr
        : codecErr !== null
          ? new DubboError('DUBBO_ERR_CLIENT_ERROR', `failed to encode the request: ${codecErr.message}`, {
              cause: codecErr,
            })
          : new DubboStatusError(
              ResponseStatus.CLIENT_ERROR,
              `cannot send to ${this.address}: connection closed or too slow (${s.pendingBytes} bytes pending)`,
            );
    this.finish(call, null, err);
  }

  private flushWaiting(): void {
    const w = this.waiting;
    if (w.length === 0) return;
    this.waiting = [];
    for (const call of w) {
      if (!this.pending.has(call.id)) continue;
      const s = this.client.pickSession();
      if (s === undefined) this.finish(call, null, channelInactive(this.address, 'no open connection'));
      else this.write(s, call);
    }
  }

  private failWaiting(err: Error): void {
    const w = this.waiting;
    this.waiting = [];
    for (const call of w) if (this.pending.has(call.id)) this.finish(call, null, err);
  }

  private finish(call: PendingCall, result: RpcResult | null, err: Error | null): void {
    if (this.pending.delete(call.id)) callEnded();
    if (call.timer !== null) {
      call.timer.cancel();
      call.timer = null;
    }
    if (call.observer !== null) observed(call, err === null || !(err instanceof DubboError));
    if (err !== null) call.reject(err);
    else call.resolve(result!);
  }

  /** @internal */
  _timeout(call: PendingCall): void {
    if (!this.pending.has(call.id)) return;
    const inv = call.data as RpcInvocation;
    this.finish(
      call,
      null,
      new DubboStatusError(
        ResponseStatus.CLIENT_TIMEOUT,
        `Waiting server-side response timeout: ${call.timeoutMs} ms, method ${inv.path}.${inv.methodName}, provider ${this.address}${call.session === null ? ' (never sent: not connected)' : ''}`,
      ),
    );
  }

  private onFrame(s: Session<DubboPacket>, f: DubboFrame): void {
    const flag = f.flag;
    if ((flag & 0x80) !== 0) {
      this.onProviderEvent(s, f);
      return;
    }
    if ((flag & 0x20) !== 0) return; // heartbeat response
    const call = this.pending.get(f.id);
    if (call === undefined) return; // timed out already
    let result: RpcResult;
    try {
      this.dec.reset(f.source, f.bodyStart, f.bodyEnd - f.bodyStart);
      if (call.unwrap) {
        const kind = decodeResponseValue(this.dec, f);
        const v = this.dec.readValue();
        if (hasClosingFlag(f, this.dec)) this.markReadOnly(s, 'closing attachment');
        this.pending.delete(call.id);
        callEnded();
        if (call.timer !== null) {
          call.timer.cancel();
          call.timer = null;
        }
        if (kind === 0) {
          const e = v instanceof Error ? v : notThrowable(v);
          const limited = limitErrorOfException(e, call.data as RpcInvocation);
          if (call.observer !== null) observed(call, limited === null);
          call.reject(limited ?? e);
          return;
        }
        if (call.observer !== null) observed(call, true);
        call.resolve(v);
        return;
      }
      result = decodeResponseBody(this.dec, f);
      if (result.attachments[CLOSING_ATTACHMENT] === 'true') this.markReadOnly(s, 'closing attachment');
    } catch (err) {
      this.finish(
        call,
        null,
        err instanceof DubboStatusError && err.status === ResponseStatus.SERVICE_ERROR
          ? (limitErrorOfStatusMessage(err.message, call.data as RpcInvocation, err) ?? err)
          : err instanceof DubboError
            ? err
            : new DubboError('DUBBO_ERR_BAD_RESPONSE', `cannot decode the response: ${(err as Error).message}`, {
                cause: err,
              }),
      );
      return;
    }
    // A provider's TPS refusal (Java's shape: an RpcException result) is an RPC failure here, retryable.
    const limited =
      result.exception === null ? null : limitErrorOfException(result.exception, call.data as RpcInvocation);
    if (limited !== null) this.finish(call, null, limited);
    else this.finish(call, result, null);
  }

  private onCron(s: Session<DubboPacket>): void {
    if (this.heartbeatMs <= 0) return;
    const idle = Date.now() - s.lastReadAt;
    if (idle >= this.idleTimeoutMs) {
      getLogger().warn(`dubbo client ${this.address}: nothing read for ${idle} ms, reconnecting`);
      s.destroy(new DubboError('DUBBO_ERR_CHANNEL_INACTIVE', `nothing read for ${idle} ms`));
      return;
    }
    if (idle >= this.heartbeatMs && Date.now() - s.lastWriteAt >= this.heartbeatMs) {
      s.send(new DubboRequest(this.nextId++, null, true, true));
    }
  }

  private onSessionClose(s: Session<DubboPacket>): void {
    if (this.readOnly.size > 0) this.readOnly.delete(s);
    if (this.pending.size === 0) return;
    for (const call of this.pending.values()) {
      if (call.session === s) this.finish(call, null, channelInactive(this.address, 'connection closed'));
    }
  }

  /** Closes the connections; pending calls fail with `DUBBO_ERR_CLOSED`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new DubboError('DUBBO_ERR_CLOSED', `client ${this.address} is closed`);
    for (const call of this.pending.values()) this.finish(call, null, err);
    this.waiting = [];
    await this.client.close();
  }
}

function channelInactive(address: string, why: string): DubboStatusError {
  return new DubboStatusError(ResponseStatus.CHANNEL_INACTIVE, `${why} to ${address} while the call was pending`);
}

function noop(): void {}
