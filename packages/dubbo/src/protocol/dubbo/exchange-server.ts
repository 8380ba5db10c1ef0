import { type GettyError, Server, type Session } from '@dubbo-ts/getty';
import { getLogger, TaskPool, type TaskPoolOptions, type TimingWheel } from '@dubbo-ts/gost';
import { type ClassRegistry, type DecoderOptions, Hessian2Decoder } from '@dubbo-ts/hessian2';
import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import { RpcResult } from '../../rpc/result.js';
import type { ServerCloseReport } from '../protocol.js';
import { decodeRequestBody, RequestMemo } from './body-codec.js';
import {
  CLOSING_ATTACHMENT,
  DEFAULT_PAYLOAD,
  HEADER_LENGTH,
  HESSIAN2_SERIALIZATION_ID,
  READONLY_EVENT,
} from './constants.js';
import { DubboCodec, type DubboPacket } from './dubbo-codec.js';
import { type DubboFrame, DubboRequest, DubboResponse } from './packet.js';
import { errorCodeToStatus, ResponseStatus } from './status.js';

/** Serves decoded invocations; set `inv.returnWriter` to control how the value is written. */
export type InvocationHandler = (inv: RpcInvocation) => Promise<RpcResult> | RpcResult;

/** Options of an {@link ExchangeServer}. */
export interface ExchangeServerOptions {
  /** Address to listen on. @defaultValue '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Largest request or response body (Java's `payload`). @defaultValue 8388608 (8 MiB) */
  payload?: number;
  /** Close a connection that read nothing for this long (Java: 3 heartbeats). @defaultValue 180000 */
  idleTimeoutMs?: number;
  /**
   * Send a heartbeat to a consumer that sent nothing for this long (its answer keeps the connection out of the
   * idle timeout); 0 turns it off. @defaultValue 60000
   */
  heartbeatMs?: number;
  /**
   * The task pool requests are dispatched through (Java's provider thread pool). Each running call holds a worker
   * until it completes; when every queue is full the request is answered `SERVER_THREADPOOL_EXHAUSTED_ERROR`.
   * @defaultValue `{ queues: 4, workers: 50, queueLength: 256 }` (200 concurrent calls, as Java's 200 threads)
   */
  taskPool?: TaskPoolOptions | TaskPool | null;
  /** Registry of the Java classes written and read. @defaultValue hessian2's `defaultRegistry` */
  registry?: ClassRegistry;
  /** How requests are decoded. @defaultValue `{ longAs: 'number' }` (a `Long` beyond 2^53) */
  decoder?: DecoderOptions;
  /** The wheel for idle and close timers. @defaultValue gost's `defaultTimingWheel()` */
  wheel?: TimingWheel;
}

/** The session attribute holding the connection's {@link RequestMemo}. */
const MEMO_KEY = 'dubbo.requestMemo';
/** The session attribute set once the consumer was sent the read-only event. */
const TOLD_KEY = 'dubbo.readOnlySent';

/** Whether a consumer of this dubbo version reads response attachments (Java's `isSupportResponseAttachment`). */
let lastVersion = '';
let lastVersionOk = false;
function supportsResponseAttachments(version: unknown): boolean {
  if (typeof version !== 'string' || version === '') return false;
  if (version === lastVersion) return lastVersionOk;
  lastVersion = version;
  lastVersionOk = checkVersion(version);
  return lastVersionOk;
}
function checkVersion(version: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (m === null) return false;
  const v = Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
  return v >= 20002 && v <= 20099; // 2.0.2 .. 2.0.99: the protocol versions that carry them
}

/**
 * The provider side of the dubbo exchange layer: decodes requests (off the I/O path, through a task pool),
 * answers heartbeats, turns handler results and errors into responses, and answers malformed requests with
 * `BAD_REQUEST` (or closes the connection on a bad magic / oversize frame), logging each.
 */
export class ExchangeServer {
  private readonly server: Server<DubboPacket>;
  private readonly dec: Hessian2Decoder;
  private readonly pool: TaskPool | null;
  private exhaustedLoggedAt = 0;
  private exhaustedSinceLog = 0;
  private readonly ownsPool: boolean;
  private readonly handler: InvocationHandler;
  private readonly bindHost: string;
  private readonly heartbeatMs: number;
  private nextEventId = 0;
  /** Calls handed to the handler whose response is not written yet. */
  private inFlight = 0;
  /** Set by {@link close}: requests are refused, responses carry `closing=true`. */
  private closingSince = 0;
  /** Set by {@link notifyClosing} (and {@link close}): responses carry `closing=true`. */
  private readOnly = false;
  /** Requests refused because the server was closing. */
  private refused = 0;
  /** Resolves the wait of {@link close} when the last call in flight completes. */
  private drained: (() => void) | null = null;

  constructor(options: ExchangeServerOptions, handler: InvocationHandler) {
    this.handler = handler;
    this.bindHost = options.host ?? '127.0.0.1';
    this.heartbeatMs = options.heartbeatMs ?? 60_000;
    const payload = options.payload ?? DEFAULT_PAYLOAD;
    const codec = new DubboCodec({ payload, registry: options.registry });
    this.dec = new Hessian2Decoder(undefined, { longAs: 'number', ...options.decoder, registry: options.registry });
    const tp = options.taskPool;
    if (tp instanceof TaskPool) {
      this.pool = tp;
      this.ownsPool = false;
    } else if (tp === null) {
      this.pool = null;
      this.ownsPool = false;
    } else {
      this.pool = new TaskPool({ queues: 4, workers: 50, queueLength: 256, ...tp });
      this.ownsPool = true;
    }
    this.server = new Server<DubboPacket>({
      host: this.bindHost,
      port: options.port ?? 0,
      codec,
      taskPool: this.pool,
      maxPackageLength: payload + HEADER_LENGTH,
      readIdleTimeoutMs: options.idleTimeoutMs ?? 180_000,
      cronPeriodMs: this.heartbeatMs > 0 ? Math.min(this.heartbeatMs, 1000) : 0,
      wheel: options.wheel,
      listener: {
        onMessage: (s, f) => this.onFrame(s, f as DubboFrame),
        onCron: (s) => this.onCron(s),
        onError: (s, err) => this.onError(s, err),
      },
    });
  }

  /** Starts listening. */
  listen(): Promise<void> {
    return this.server.listen();
  }

  /** The port listened on. */
  get port(): number {
    return this.server.port;
  }

  /** The host listened on. */
  get host(): string {
    return this.bindHost;
  }

  /** Open connections. */
  get connections(): number {
    return this.server.sessions.size;
  }

  /** Calls accepted and not answered yet. */
  get callsInFlight(): number {
    return this.inFlight;
  }

  /** Whether {@link close} has started. */
  get closing(): boolean {
    return this.closingSince !== 0;
  }

  /**
   * One warning per second at most while the pool refuses requests (an overload refuses thousands a second; a
   * line for each would cost the CPU the overload lacks), with the count refused since the last line.
   */
  private logExhausted(id: bigint | number, from: string | undefined): void {
    const now = Date.now();
    this.exhaustedSinceLog++;
    if (now - this.exhaustedLoggedAt < 1000) return;
    const n = this.exhaustedSinceLog;
    this.exhaustedSinceLog = 0;
    this.exhaustedLoggedAt = now;
    getLogger().warn(
      `dubbo server: thread pool exhausted, refusing request ${id} from ${from}` +
        (n > 1 ? ` (${n} requests refused since the last warning)` : ''),
    );
  }

  private onError(s: Session<DubboPacket>, err: Error): void {
    const ge = err as GettyError & { pkg?: unknown };
    if (ge.code === 'GETTY_ERR_DISPATCH_REJECTED' && ge.pkg !== undefined) {
      const f = ge.pkg as DubboFrame;
      this.logExhausted(f.id, s.remoteAddress);
      if (f.isRequest && f.isTwoWay) {
        this.reply(
          s,
          f,
          ResponseStatus.SERVER_THREADPOOL_EXHAUSTED_ERROR,
          `Server side(${this.host},${this.port}) thread pool is exhausted`,
        );
      }
      return;
    }
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    getLogger().warn(`dubbo server: connection from ${s.remoteAddress}: ${err.message}${cause}`);
  }

  private onCron(s: Session<DubboPacket>): void {
    const now = Date.now();
    if (now - s.lastReadAt >= this.heartbeatMs && now - s.lastWriteAt >= this.heartbeatMs) {
      s.send(new DubboRequest(this.nextEventId++, null, true, true));
    }
  }

  private reply(s: Session<DubboPacket>, f: DubboFrame, status: number, message: string): void {
    const res = new DubboResponse(f, status);
    res.errorMessage = message;
    this.respond(s, res);
  }

  private onFrame(s: Session<DubboPacket>, f: DubboFrame): Promise<void> | undefined {
    const flag = f.flag;
    if ((flag & 0x80) === 0) return undefined; // a response: only to our own events, nothing to do
    const twoWay = (flag & 0x40) !== 0;
    if ((flag & 0x20) !== 0) {
      if (twoWay) {
        const res = new DubboResponse(f);
        res.event = true;
        s.send(res);
      }
      return undefined;
    }
    if (this.closingSince !== 0) {
      // Closing: the call is not run. Any non-OK status makes Java's and our failover try another provider.
      this.refused++;
      if (twoWay) {
        this.reply(
          s,
          f,
          ResponseStatus.SERVER_ERROR,
          `provider ${this.host}:${this.port} is closing (graceful shutdown): the call was not run, try another provider`,
        );
      }
      return undefined;
    }
    if ((flag & 0x1f) !== HESSIAN2_SERIALIZATION_ID) {
      const msg = `unsupported serialization id ${flag & 0x1f} (dubbo-ts speaks hessian2, id 2)`;
      getLogger().warn(`dubbo server: request ${f.id} from ${s.remoteAddress}: ${msg}`);
      if (twoWay) this.reply(s, f, ResponseStatus.BAD_REQUEST, msg);
      return undefined;
    }
    let inv: RpcInvocation;
    try {
      let memo = s.getAttribute<RequestMemo>(MEMO_KEY);
      if (memo === undefined) {
        memo = new RequestMemo();
        s.setAttribute(MEMO_KEY, memo);
      }
      this.dec.reset(f.source, f.bodyStart, f.bodyEnd - f.bodyStart);
      inv = decodeRequestBody(this.dec, f.source, memo);
    } catch (err) {
      const msg = `Decode rpc invocation failed: ${(err as Error).message}`;
      getLogger().warn(`dubbo server: request ${f.id} from ${s.remoteAddress}: ${msg}`);
      if (twoWay) this.reply(s, f, ResponseStatus.BAD_REQUEST, msg);
      return undefined;
    }
    inv.remoteAddress = s.remoteAddress;
    let r: RpcResult | Promise<RpcResult>;
    try {
      r = this.handler(inv);
    } catch (err) {
      this.fail(s, f, twoWay, err);
      return undefined;
    }
    if (r instanceof RpcResult) {
      if (twoWay) this.complete(s, f, inv, r);
      return undefined;
    }
    this.inFlight++;
    return this.serve(s, f, twoWay, inv, r).finally(() => this.callDone());
  }

  private callDone(): void {
    if (--this.inFlight === 0 && this.drained !== null) this.drained();
  }

  private async serve(
    s: Session<DubboPacket>,
    f: DubboFrame,
    twoWay: boolean,
    inv: RpcInvocation,
    pending: Promise<RpcResult>,
  ): Promise<void> {
    let result: RpcResult;
    try {
      result = await pending;
    } catch (err) {
      this.fail(s, f, twoWay, err);
      return;
    }
    if (twoWay) this.complete(s, f, inv, result);
  }

  private fail(s: Session<DubboPacket>, f: DubboFrame, twoWay: boolean, err: unknown): void {
    if (!twoWay) return;
    const status = err instanceof DubboError ? errorCodeToStatus(err.code) : ResponseStatus.SERVICE_ERROR;
    this.reply(s, f, status, (err as Error)?.message ?? String(err));
  }

  private complete(s: Session<DubboPacket>, f: DubboFrame, inv: RpcInvocation, result: RpcResult): void {
    const res = new DubboResponse(f);
    res.result = result;
    res.returnWriter = inv.method === null ? null : inv.method.returnWriter;
    res.withAttachments = supportsResponseAttachments(inv.attachmentsForReading.dubbo);
    const extra = inv.responseAttachments;
    if (extra !== null) result.attachments = { ...result.attachments, ...extra };
    // dubbo-go's consumers read this flag (its `GracefulShutdownClosingKey`); Java's read the read-only event.
    if (this.readOnly) result.attachments = { ...result.attachments, [CLOSING_ATTACHMENT]: 'true' };
    this.respond(s, res);
  }

  /** Sends a response; when the consumer is slow (send refused) waits for the socket to drain instead of dropping it. */
  private respond(s: Session<DubboPacket>, res: DubboResponse): void {
    if (s.send(res) || !s.isOpen) return;
    s.write(res).catch((err: Error) => {
      getLogger().warn(`dubbo server: response to ${s.remoteAddress} not sent: ${err.message}`);
    });
  }

  /**
   * Tells connected consumers this provider is going away while it keeps serving: Java's read-only event to each
   * connection not told yet, and `closing=true` on every response from now on (dubbo-go's consumers read that).
   * @returns The connections told.
   */
  notifyClosing(): number {
    this.readOnly = true;
    let told = 0;
    for (const s of this.server.sessions) {
      if (s.getAttribute<boolean>(TOLD_KEY) === true) continue;
      s.setAttribute(TOLD_KEY, true);
      s.send(new DubboRequest(this.nextEventId++, READONLY_EVENT, false, true));
      told++;
    }
    return told;
  }

  /**
   * Graceful close (Java's `HeaderExchangeServer.close(timeout)`): stops accepting connections, tells connected
   * consumers this provider is going read-only (Java's `READONLY_EVENT`, and `closing=true` on every response for
   * dubbo-go's consumers), answers requests that still arrive with a `SERVER_ERROR` failover retries elsewhere,
   * waits for the calls it accepted to complete (up to `timeoutMs`), then closes the connections once their
   * responses are flushed (destroying what is left after `timeoutMs`, or 100 ms when the calls took all of it).
   *
   * @param timeoutMs - How long to wait for calls in flight. @defaultValue 3000 (dubbo-go's step timeout)
   * @returns What was waited for: the calls in flight at the start and those left when the wait ended.
   */
  async close(timeoutMs = 3000): Promise<ServerCloseReport> {
    if (this.closingSince !== 0) return { waitedFor: 0, abandoned: this.inFlight, connections: 0, refused: 0 };
    const start = Date.now();
    this.closingSince = start;
    this.server.stopAccepting();
    const connections = this.notifyClosing();
    const waitedFor = this.inFlight;
    if (this.inFlight > 0 && timeoutMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        timer = setTimeout(resolve, timeoutMs);
      });
      clearTimeout(timer);
      this.drained = null;
    }
    const abandoned = this.inFlight;
    if (abandoned > 0) {
      getLogger().warn(`dubbo server ${this.host}:${this.port}: closing with ${abandoned} calls still running`);
    }
    await this.server.close({ timeoutMs: Math.max(timeoutMs - (Date.now() - start), 100) });
    if (this.ownsPool) await this.pool?.close();
    return { waitedFor, abandoned, connections, refused: this.refused };
  }
}
