import type { RpcInvocation } from '../../rpc/invocation.js';
import type { RpcResult } from '../../rpc/result.js';
import type { ValueWriter } from './java-type.js';
import { ResponseStatus } from './status.js';

/**
 * How a protocol invoker writes the calls of one method (built once per provider invoker and method, never per
 * call): the pre-encoded head, the argument writers, and the attachments map pre-encoded from `tailSource` (the
 * reference's per-method attachments) with `path` and `timeout` added, used when a call carries no attachments of
 * its own. The protocol keeps these bytes; the invocation carries none.
 */
export interface RequestPlan {
  /** Version, path, service version, method and descriptor, Hessian-encoded. */
  readonly head: Uint8Array;
  /** Writers of the arguments (from the service descriptor); `null`: `writeValue`. */
  readonly argWriters: readonly ValueWriter[] | null;
  /** The attachments {@link tail} was encoded from. */
  readonly tailSource: Record<string, unknown> | null;
  /** `tailSource` plus `path` and `timeout`, encoded; `null` when a value is not a string. */
  readonly tail: Uint8Array | null;
  /** The `path` attachment. */
  readonly path: string;
  /** The call timeout in ms. */
  readonly timeout: number;
  /** The `timeout` attachment. */
  readonly timeoutText: string;
  /** The `group` attachment to write over the call's (a provider's own, for a reference over several groups). */
  readonly group: string | null;
}

/** An outgoing request: a call ({@link RpcInvocation}) or an event (heartbeat when `data` is null). */
export class DubboRequest {
  /** The request id (a counter; written as a 64-bit integer). */
  id: number;
  /** Whether a response is expected. */
  twoWay: boolean;
  /** Whether this is an event (heartbeat or read-only notice). */
  event: boolean;
  /** The call, or the event payload (`null` for a heartbeat, `'R'` for read-only). */
  data: RpcInvocation | string | null;
  /** How to write the call (a protocol invoker's plan); `null`: everything from the invocation. */
  plan: RequestPlan | null = null;

  constructor(id: number, data: RpcInvocation | string | null, twoWay = true, event = false) {
    this.id = id;
    this.data = data;
    this.twoWay = twoWay;
    this.event = event;
  }
}

const TWO32 = 4294967296;

/** An outgoing response. */
export class DubboResponse {
  /** High 32 bits (signed) of the id of the request this answers. */
  idHi: number;
  /** Low 32 bits (unsigned) of the id of the request this answers. */
  idLo: number;
  /** The status byte; only OK carries a result. */
  status: number;
  /** Whether this answers an event (a heartbeat response carries a null body). */
  event: boolean;
  /** The result (status OK, not an event). */
  result: RpcResult | null;
  /** The error message (status not OK). */
  errorMessage: string | null;
  /** Whether to write result attachments (the consumer's dubbo version supports them: 2.0.2 and later). */
  withAttachments: boolean;
  /** How to write the value (from the service descriptor's return type); `null` for `writeValue`. */
  returnWriter: ValueWriter | null;

  /**
   * @param id - The request id: a number (exact up to 2^53), or a received {@link DubboFrame} whose 64-bit id
   *   is copied bit for bit (Java consumers use ids anywhere in the 64-bit range).
   */
  constructor(id: number | DubboFrame, status: number = ResponseStatus.OK) {
    if (typeof id === 'number') {
      this.idHi = Math.floor(id / TWO32);
      this.idLo = id - this.idHi * TWO32;
    } else {
      this.idHi = id.idHi;
      this.idLo = id.idLo;
    }
    this.status = status;
    this.event = false;
    this.result = null;
    this.errorMessage = null;
    this.withAttachments = true;
    this.returnWriter = null;
  }
}

/** A received frame: the header fields and a view of the (undecoded) body. */
export class DubboFrame {
  /** The flag byte (request/two-way/event bits, serialization id). */
  flag: number;
  /** The status byte (responses). */
  status: number;
  /** High 32 bits (signed) of the 64-bit request id. */
  idHi: number;
  /** Low 32 bits (unsigned) of the 64-bit request id. */
  idLo: number;
  /** The received bytes holding the body at `[bodyStart, bodyEnd)` (decoders read it in place). */
  source: Buffer;
  /** Offset of the body in {@link source}. */
  bodyStart: number;
  /** End offset of the body in {@link source}. */
  bodyEnd: number;
  /**
   * Where a response's attachments start, as the value-only decoding leaves it: -1 none, -2 where the decoder
   * stands after the value, else the offset in {@link source}.
   */
  tailStart = -1;

  /**
   * @param source - The body, or bytes holding it at `[bodyStart, bodyEnd)` (no view is made per frame).
   */
  constructor(
    flag: number,
    status: number,
    idHi: number,
    idLo: number,
    source: Buffer,
    bodyStart = 0,
    bodyEnd: number = source.length,
  ) {
    this.flag = flag;
    this.status = status;
    this.idHi = idHi;
    this.idLo = idLo;
    this.source = source;
    this.bodyStart = bodyStart;
    this.bodyEnd = bodyEnd;
  }

  /** The body bytes (a view into the received data). */
  get body(): Buffer {
    const s = this.source;
    return this.bodyStart === 0 && this.bodyEnd === s.length ? s : s.subarray(this.bodyStart, this.bodyEnd);
  }

  /** The request id as a number (exact up to 2^53; dubbo-ts consumers use small ids). */
  get id(): number {
    return this.idHi * TWO32 + this.idLo;
  }

  /** Whether the frame is a request. */
  get isRequest(): boolean {
    return (this.flag & 0x80) !== 0;
  }

  /** Whether the frame is a two-way request. */
  get isTwoWay(): boolean {
    return (this.flag & 0x40) !== 0;
  }

  /** Whether the frame is an event. */
  get isEvent(): boolean {
    return (this.flag & 0x20) !== 0;
  }

  /** The serialization id (2 for hessian2). */
  get serializationId(): number {
    return this.flag & 0x1f;
  }
}
