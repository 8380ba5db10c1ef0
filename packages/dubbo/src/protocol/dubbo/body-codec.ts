import { type Hessian2Decoder, Hessian2Encoder, JavaException } from '@dubbo-ts/hessian2';
import { DubboError } from '../../errors.js';
import { RpcInvocation } from '../../rpc/invocation.js';
import { RpcResult } from '../../rpc/result.js';
import { ATTACHMENT_KEYS, DUBBO_PROTOCOL_VERSION, ResponseKind } from './constants.js';
import type { ValueWriter } from './java-type.js';
import { descriptorParameterCount } from './java-type.js';
import type { DubboFrame, DubboResponse, RequestPlan } from './packet.js';
import { errorFromStatus, ResponseStatus } from './status.js';

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** Writes an untyped Hessian map of `base` entries overridden by `extra` entries. */
export function writeAttachments(
  enc: Hessian2Encoder,
  base: Record<string, unknown>,
  extra: Record<string, unknown> | null,
): void {
  enc.writeRaw(MAP_START);
  for (const k in base) {
    if (extra !== null && k in extra) continue;
    const v = base[k];
    if (v === undefined) continue;
    enc.writeString(k);
    enc.writeValue(v);
  }
  if (extra !== null) {
    for (const k in extra) {
      const v = extra[k];
      if (v === undefined) continue;
      enc.writeString(k);
      enc.writeValue(v);
    }
  }
  enc.writeRaw(MAP_END);
}
const MAP_START = Uint8Array.of(0x48);
const MAP_END = Uint8Array.of(0x5a);

/**
 * Writes the body of a call, as Java's `DubboCodec.encodeRequestData`. With a `plan` (a protocol invoker's, per
 * method) the head and, when the call has no attachments of its own, the attachments are pre-encoded bytes; the
 * plan's `path` and `timeout` attachments are always written (a call's own `timeout` attachment wins).
 */
export function encodeRequestBody(enc: Hessian2Encoder, inv: RpcInvocation, plan: RequestPlan | null): void {
  if (plan !== null) enc.writeRaw(plan.head);
  else encodeRequestHead(enc, inv.path, inv.version, inv.methodName, inv.parameterTypesDesc);
  const args = inv.arguments;
  const writers = plan === null ? null : plan.argWriters;
  if (writers !== null) {
    for (let i = 0; i < args.length; i++) {
      const w = writers[i];
      if (w === undefined) enc.writeValue(args[i]);
      else w(enc, args[i]);
    }
  } else {
    for (let i = 0; i < args.length; i++) enc.writeValue(args[i]);
  }
  const extra = inv.extraAttachments;
  if (plan === null) {
    writeAttachments(enc, inv.attachmentsForReading, extra);
  } else if (plan.tail !== null && extra === null && inv.attachmentsForReading === plan.tailSource) {
    enc.writeRaw(plan.tail);
  } else {
    writeRequestAttachments(enc, inv.attachmentsForReading, extra, plan.path, plan.timeoutText, plan.group);
  }
}

/**
 * Writes `base` overridden by `extra`, then `path`, `timeout` (`extra`'s `timeout` when it has one) and, when the
 * plan has one, `group` (a provider's own group, for a reference over several groups).
 */
function writeRequestAttachments(
  enc: Hessian2Encoder,
  base: Record<string, unknown>,
  extra: Record<string, unknown> | null,
  path: string,
  timeoutText: string,
  group: string | null,
): void {
  enc.writeRaw(MAP_START);
  for (const k in base) {
    if ((extra !== null && k in extra) || k === 'path' || k === 'timeout' || (group !== null && k === 'group'))
      continue;
    const v = base[k];
    if (v === undefined) continue;
    enc.writeString(k);
    enc.writeValue(v);
  }
  let timeout = timeoutText;
  if (extra !== null) {
    for (const k in extra) {
      const v = extra[k];
      if (v === undefined || k === 'path' || (group !== null && k === 'group')) continue;
      if (k === 'timeout') {
        timeout = String(v);
        continue;
      }
      enc.writeString(k);
      enc.writeValue(v);
    }
  }
  enc.writeString('path');
  enc.writeString(path);
  enc.writeString('timeout');
  enc.writeString(timeout);
  if (group !== null) {
    enc.writeString('group');
    enc.writeString(group);
  }
  enc.writeRaw(MAP_END);
}

/**
 * The pre-encoded request of one method as a protocol invoker sends it: the head (`path`, version, method,
 * descriptor) and, when every value is a string, the attachments map with `path` and `timeout` added.
 */
export function buildRequestPlan(
  path: string,
  version: string,
  method: string,
  desc: string,
  argWriters: readonly ValueWriter[] | null,
  attachments: Record<string, unknown> | null,
  timeout: number,
  group: string | null = null,
): RequestPlan {
  const enc = new Hessian2Encoder({ initialSize: 256 });
  encodeRequestHead(enc, path, version, method, desc);
  const head = enc.toBuffer();
  const timeoutText = String(timeout);
  let tail: Buffer | null = null;
  if (attachments !== null) {
    let strings = true;
    for (const k in attachments)
      if (typeof attachments[k] !== 'string' && attachments[k] !== undefined) strings = false;
    if (strings) {
      enc.reset();
      writeRequestAttachments(enc, attachments, null, path, timeoutText, group);
      tail = enc.toBuffer();
    }
  }
  return { head, argWriters, tailSource: attachments, tail, path, timeout, timeoutText, group };
}

/** Writes the five strings that open a request body. */
export function encodeRequestHead(
  enc: Hessian2Encoder,
  path: string,
  version: string,
  method: string,
  desc: string,
): void {
  enc.writeString(DUBBO_PROTOCOL_VERSION);
  enc.writeString(path);
  enc.writeString(version === '' ? '0.0.0' : version);
  enc.writeString(method);
  enc.writeString(desc);
}

/**
 * Converts what a service threw into the Java exception sent back: a {@link JavaException} (or registered
 * exception class) as is; any other error as a `java.lang.RuntimeException` whose message says what it was.
 */
export function toJavaThrowable(err: unknown): JavaException {
  if (err instanceof JavaException) return err;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const what = typeof code === 'string' ? `${err.name} [${code}]` : err.name;
    return new JavaException('java.lang.RuntimeException', `${what}: ${err.message}`);
  }
  return new JavaException('java.lang.RuntimeException', `non-error thrown: ${String(err)}`);
}

/** Writes the body of a response, as Java's `DubboCodec.encodeResponseData` (or the error string of a failed one). */
export function encodeResponseBody(enc: Hessian2Encoder, res: DubboResponse): void {
  if (res.status !== ResponseStatus.OK) {
    enc.writeString(res.errorMessage ?? ResponseStatus[res.status] ?? `status ${res.status}`);
    return;
  }
  const result = res.result;
  if (res.event || result === null) {
    enc.writeNull();
    return;
  }
  const attach = res.withAttachments;
  if (result.exception !== null) {
    enc.writeInt(attach ? ResponseKind.WITH_EXCEPTION_WITH_ATTACHMENTS : ResponseKind.WITH_EXCEPTION);
    enc.writeValue(toJavaThrowable(result.exception));
  } else if (result.value === null || result.value === undefined) {
    enc.writeInt(attach ? ResponseKind.NULL_VALUE_WITH_ATTACHMENTS : ResponseKind.NULL_VALUE);
  } else {
    enc.writeInt(attach ? ResponseKind.VALUE_WITH_ATTACHMENTS : ResponseKind.VALUE);
    const w = res.returnWriter;
    if (w === null) enc.writeValue(result.value);
    else w(enc, result.value);
  }
  if (!attach) return;
  if (isEmpty(result.attachments)) enc.writeRaw(VERSION_ATTACHMENT_BYTES);
  else writeAttachments(enc, result.attachments, VERSION_ATTACHMENT);
}
const VERSION_ATTACHMENT: Record<string, unknown> = Object.freeze({
  [ATTACHMENT_KEYS.DUBBO_VERSION]: DUBBO_PROTOCOL_VERSION,
}) as Record<string, unknown>;
/** The attachments of most responses, `{dubbo: '2.0.2'}`, encoded once (strings only: the bytes fit anywhere). */
const VERSION_ATTACHMENT_BYTES: Buffer = (() => {
  const enc = new Hessian2Encoder({ initialSize: 64 });
  writeAttachments(enc, VERSION_ATTACHMENT, null);
  return enc.toBuffer();
})();

function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

/** A decoded map (a `Map` or a plain object) as a plain object with string keys. */
export function toAttachments(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, val] of v) {
      const key = String(k);
      if (key === '__proto__') continue;
      o[key] = val;
    }
    return o;
  }
  if (typeof v === 'object') return v as Record<string, unknown>;
  throw new DubboError('DUBBO_ERR_BAD_REQUEST', `attachments are not a map but ${typeof v}`);
}

function readStringField(dec: Hessian2Decoder, what: string): string {
  const v = dec.readValue();
  if (v === null) return '';
  if (typeof v !== 'string') throw new DubboError('DUBBO_ERR_BAD_REQUEST', `${what} is not a string`);
  return v;
}

/**
 * What the last request of a connection looked like: the bytes of its head (dubbo version, path, version,
 * method, parameter types) and of its attachments, with what they decoded to. Consumers send the same head and
 * attachments on every call of a method, so the next request compares bytes (one native memcmp each) instead of
 * decoding strings again. Only attachments whose values are all primitives are remembered (they never refer to
 * other values of the body, so equal bytes decode to equal values).
 */
export class RequestMemo {
  /** @internal */ head: Buffer = NO_BYTES;
  /** @internal */ headView: DataView<ArrayBufferLike> = NO_VIEW;
  /** @internal */ dubboVersion = '';
  /** @internal */ path = '';
  /** @internal */ version = '';
  /** @internal */ method = '';
  /** @internal */ desc = '';
  /** @internal */ argc = 0;
  /** @internal */ tail: Buffer = NO_BYTES;
  /** @internal */ tailView: DataView<ArrayBufferLike> = NO_VIEW;
  /** @internal */ attachments: Record<string, unknown> | null = null;
}
const NO_BYTES = Buffer.alloc(0);
const NO_VIEW = new DataView(new ArrayBuffer(0));

/** A DataView of the last ArrayBuffer compared (the frames of one socket read share one). */
let viewOf: ArrayBufferLike | null = null;
let view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

/**
 * Whether `a[at, at + n)` equals `b[0, n)`, four bytes at a time: a few dozen ns for a request head, where
 * `Buffer#compare` with offsets costs ~250 ns in argument checks before its memcmp.
 */
function sameBytes(a: Buffer, at: number, vb: DataView<ArrayBufferLike>, n: number): boolean {
  const ab = a.buffer;
  if (ab !== viewOf) {
    viewOf = ab;
    view = new DataView(ab);
  }
  const va = view;
  let p = a.byteOffset + at;
  let i = 0;
  const n4 = n & ~3;
  while (i < n4 && va.getUint32(p) === vb.getUint32(i)) {
    i += 4;
    p += 4;
  }
  if (i < n4) return false;
  while (i < n && a[at + i] === vb.getUint8(i)) i++;
  return i === n;
}

function primitiveValues(o: Record<string, unknown>): boolean {
  for (const k in o) {
    const v = o[k];
    if (v !== null && typeof v === 'object') return false;
  }
  return true;
}

/**
 * Decodes a request body into an invocation, as Java's `DecodeableRpcInvocation`. The decoder must already be
 * reset over the body. Throws (a `DubboError` or `HessianDecodeError`) on a malformed body. With `body` (the
 * bytes the decoder was reset over) and a per-connection `memo`, a head and attachments equal byte for byte to
 * the previous request's are not decoded again.
 */
export function decodeRequestBody(
  dec: Hessian2Decoder,
  body: Buffer | null = null,
  memo: RequestMemo | null = null,
): RpcInvocation {
  const start = dec.pos;
  let dubboVersion: string;
  let path: string;
  let version: string;
  let method: string;
  let desc: string;
  let n: number;
  const hl = memo === null ? 0 : memo.head.length;
  let headHit = false;
  if (hl > 0 && body !== null && dec.remaining >= hl && sameBytes(body, start, memo!.headView, hl)) {
    const m = memo!;
    headHit = true;
    dubboVersion = m.dubboVersion;
    path = m.path;
    version = m.version;
    method = m.method;
    desc = m.desc;
    n = m.argc;
    dec.pos = start + hl;
  } else {
    dubboVersion = readStringField(dec, 'dubbo version');
    path = readStringField(dec, 'path');
    version = readStringField(dec, 'version');
    if (version === '0.0.0') version = '';
    method = readStringField(dec, 'method name');
    if (method === '') throw new DubboError('DUBBO_ERR_BAD_REQUEST', 'empty method name');
    desc = readStringField(dec, 'parameter types');
    n = descriptorParameterCount(desc);
    if (memo !== null && body !== null) {
      memo.head = Buffer.from(body.subarray(start, dec.pos));
      memo.headView = new DataView(memo.head.buffer, memo.head.byteOffset, memo.head.length);
      memo.dubboVersion = dubboVersion;
      memo.path = path;
      memo.version = version;
      memo.method = method;
      memo.desc = desc;
      memo.argc = n;
      memo.attachments = null; // they were completed with the previous head's version and path
    }
  }
  const args = new Array<unknown>(n);
  for (let i = 0; i < n; i++) args[i] = dec.readValue();
  const at = dec.pos;
  const tl = dec.remaining;
  const known = memo === null ? null : memo.attachments;
  if (known !== null && headHit && memo!.tail.length === tl && sameBytes(body!, at, memo!.tailView, tl)) {
    // The remembered map, shared: the invocation copies it only if someone asks for it (the echo and most services
    // never do), and a copy of the completed map has every property already.
    dec.pos = at + tl;
    return RpcInvocation.overSharedAttachments(method, desc, args, known, path, version);
  }
  const attachments = tl > 0 ? toAttachments(dec.readValue()) : {};
  attachments[ATTACHMENT_KEYS.DUBBO_VERSION] = dubboVersion;
  if (attachments[ATTACHMENT_KEYS.PATH] === undefined) attachments[ATTACHMENT_KEYS.PATH] = path;
  if (memo !== null && body !== null) {
    if (tl > 0 && dec.remaining === 0 && primitiveValues(attachments)) {
      memo.tail = Buffer.from(body.subarray(at, at + tl));
      memo.tailView = new DataView(memo.tail.buffer, memo.tail.byteOffset, memo.tail.length);
      memo.attachments = { ...attachments };
    } else memo.attachments = null;
  }
  return new RpcInvocation(method, desc, args, attachments, path, version);
}

/**
 * Decodes a response frame's body into a result (status OK) or throws the typed error of its status. The decoder
 * must already be reset over the body.
 */
export function decodeResponseBody(dec: Hessian2Decoder, frame: DubboFrame): RpcResult {
  if (frame.status !== ResponseStatus.OK) {
    let msg: string | null = null;
    try {
      const v = dec.remaining > 0 ? dec.readValue() : null;
      msg = typeof v === 'string' ? v : null;
    } catch {
      msg = null;
    }
    throw errorFromStatus(frame.status, msg);
  }
  const kind = dec.readValue();
  switch (kind) {
    case ResponseKind.NULL_VALUE:
      return new RpcResult(null, null, EMPTY);
    case ResponseKind.VALUE:
      return new RpcResult(dec.readValue(), null, EMPTY);
    case ResponseKind.WITH_EXCEPTION:
      return new RpcResult(null, asError(dec.readValue()), EMPTY);
    case ResponseKind.NULL_VALUE_WITH_ATTACHMENTS:
      return new RpcResult(null, null, toAttachments(dec.readValue()));
    case ResponseKind.VALUE_WITH_ATTACHMENTS: {
      const value = dec.readValue();
      return new RpcResult(value, null, toAttachments(dec.readValue()));
    }
    case ResponseKind.WITH_EXCEPTION_WITH_ATTACHMENTS: {
      const e = asError(dec.readValue());
      return new RpcResult(null, e, toAttachments(dec.readValue()));
    }
    default:
      throw new DubboError('DUBBO_ERR_BAD_RESPONSE', `unknown response kind ${String(kind)}`);
  }
}

function asError(v: unknown): Error {
  if (v instanceof Error) return v;
  return notThrowable(v);
}

/** The error of a response exception that is not a Throwable. */
export function notThrowable(v: unknown): DubboError {
  return new DubboError('DUBBO_ERR_BAD_RESPONSE', `the response exception is not a Throwable: ${String(v)}`);
}

const NULL_READER = Buffer.from([0x4e]);

/**
 * Reads the status and kind of a response for the value-only fast path: throws the typed error of a non-OK status;
 * returns 0 when an exception follows, 1 when a value follows. For the null kinds the decoder is left over a
 * hessian null, so the caller's next `readValue()` yields `null` either way. Attachments are not read.
 */
export function decodeResponseValue(dec: Hessian2Decoder, frame: DubboFrame): 0 | 1 {
  if (frame.status !== ResponseStatus.OK) decodeResponseBody(dec, frame); // throws the status error
  const kind = dec.readValue();
  switch (kind) {
    case ResponseKind.VALUE:
      frame.tailStart = -1;
      return 1;
    case ResponseKind.VALUE_WITH_ATTACHMENTS:
      frame.tailStart = -2;
      return 1;
    case ResponseKind.WITH_EXCEPTION:
      frame.tailStart = -1;
      return 0;
    case ResponseKind.WITH_EXCEPTION_WITH_ATTACHMENTS:
      frame.tailStart = -2;
      return 0;
    case ResponseKind.NULL_VALUE:
    case ResponseKind.NULL_VALUE_WITH_ATTACHMENTS:
      frame.tailStart = kind === ResponseKind.NULL_VALUE ? -1 : frame.bodyEnd - dec.remaining;
      dec.reset(NULL_READER);
      return 1;
    default:
      throw new DubboError('DUBBO_ERR_BAD_RESPONSE', `unknown response kind ${String(kind)}`);
  }
}

/** `closing` then `true` as Hessian compact strings: the attachment a closing dubbo-go or TS provider sends. */
const CLOSING_BYTES = Buffer.from([0x07, ...Buffer.from('closing'), 0x04, ...Buffer.from('true')]);

/**
 * After the value-only decoding ({@link decodeResponseValue} then one `readValue()`): whether the response's
 * attachments say `closing=true`. Scans the attachment bytes (no decoding, nothing allocated); a match is
 * confirmed by decoding them.
 */
export function hasClosingFlag(frame: DubboFrame, dec: Hessian2Decoder): boolean {
  let start = frame.tailStart;
  if (start === -1) return false;
  const end = frame.bodyEnd;
  if (start === -2) start = end - dec.remaining;
  const src = frame.source;
  const n = CLOSING_BYTES.length;
  const last = end - n;
  outer: for (let i = start; i <= last; i++) {
    if (src[i] !== 0x07) continue;
    for (let j = 1; j < n; j++) if (src[i + j] !== CLOSING_BYTES[j]) continue outer;
    try {
      dec.reset(src, start, end - start);
      return toAttachments(dec.readValue()).closing === 'true';
    } catch {
      return false;
    }
  }
  return false;
}
