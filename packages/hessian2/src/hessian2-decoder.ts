import Long from 'long';
import type { ClassRegistry, CompiledClass } from './class-registry.js';
import { HessianDecodeError, HessianError, type HessianErrorCode } from './errors.js';
import { setSafe } from './internal/set-safe.js';
import { readThrowable } from './internal/throwable-reader.js';
import { decodeJavaUtf8, utf8End } from './internal/utf8.js';
import { JAVA_TYPE, JavaValue } from './java-types.js';
import { defaultRegistry } from './jdk-types.js';

/** Options of {@link Hessian2Decoder} and `decode`. */
export interface DecoderOptions {
  /** Registry mapping Java class names to TS classes. @defaultValue {@link defaultRegistry} */
  registry?: ClassRegistry;
  /** How a Java long is returned: a `Long`, a `bigint`, or a `number` (a `Long` when not safe). @defaultValue `'long'` */
  longAs?: 'long' | 'bigint' | 'number';
  /** How a Java map is returned: a `Map`, or a plain object (keys stringified, prototype keys harmless). @defaultValue `'map'` */
  mapAs?: 'map' | 'object';
  /** Return integral doubles as `java.double(n)` wrappers so they re-encode as doubles, not ints. @defaultValue false */
  exactDoubles?: boolean;
  /**
   * `'copy'` returns each `byte[]` in its own Buffer; `'view'` returns a view into the input (no copy: valid only
   * while the input is not reused) when the binary is in one chunk. @defaultValue `'copy'`
   */
  binaryAs?: 'copy' | 'view';
  /** Maximum nesting depth of lists, maps and objects. @defaultValue 512 */
  maxDepth?: number;
  /** Maximum length of one list, map, string or binary. @defaultValue 16777216 */
  maxLength?: number;
  /** Maximum total bytes the decoded values may take (an estimate: bytes, chars, 8 per slot). @defaultValue 268435456 */
  maxAllocation?: number;
}

interface ClassDef {
  readonly name: string;
  readonly fields: readonly string[];
  readonly kind: 0 | 1 | 2 | 3; // 0 generic, 1 registered, 2 exception, 3 registered enum
  readonly compiled?: CompiledClass;
  readonly reader?: (dec: Hessian2Decoder, obj: any) => void;
  readonly unsafe: boolean; // a field name that needs defineProperty
}

const UNSAFE_KEY = (k: string) => k === '__proto__';
/** Whether `b[at, at+t.length)` equals `t` (a JS loop beats a native call for the short field lists of a class). */
const sameBytes = (b: Buffer, at: number, t: Buffer): boolean => {
  const n = t.length;
  if (n > 256) return b.compare(t, 0, n, at, at + n) === 0;
  for (let i = 0; i < n; i++) if (b[at + i] !== t[i]) return false;
  return true;
};

/** A map key as an object key, never running code the input controls (decoded objects may carry a `toString` field). */
const keyString = (k: unknown): string => {
  if (typeof k === 'string') return k;
  if (k === null || typeof k !== 'object') return String(k);
  if (k instanceof Long) return k.toString();
  if (k instanceof Date) return String(k.getTime());
  return Object.prototype.toString.call(k);
};
const setType = (o: object, t: string) =>
  Object.defineProperty(o, JAVA_TYPE, { value: t, enumerable: false, writable: true, configurable: true });

const TWO32 = 4294967296;
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A reusable Hessian 2.0 reader over a region of a Buffer (no copy). Values read in sequence share one reference /
 * class-definition / type table, like one Java `Hessian2Input`. Throws {@link HessianDecodeError} on bad input.
 */
export class Hessian2Decoder {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Absolute read position in the buffer. */
  pos = 0;
  private refs: unknown[] = [];
  private defs: ClassDef[] = [];
  private types: string[] = [];
  private depth = 0;
  private budget = 0;
  private readonly registry: ClassRegistry;
  private readonly longAs: 0 | 1 | 2;
  private readonly mapAsObject: boolean;
  private readonly exactDoubles: boolean;
  private readonly binaryView: boolean;
  private readonly maxDepth: number;
  private readonly maxLength: number;
  private readonly maxAllocation: number;

  constructor(data?: Uint8Array, options: DecoderOptions = {}, offset = 0, length?: number) {
    this.registry = options.registry ?? defaultRegistry;
    this.longAs = options.longAs === 'bigint' ? 1 : options.longAs === 'number' ? 2 : 0;
    this.mapAsObject = options.mapAs === 'object';
    this.exactDoubles = options.exactDoubles ?? false;
    this.binaryView = options.binaryAs === 'view';
    this.maxDepth = options.maxDepth ?? 512;
    this.maxLength = options.maxLength ?? 16_777_216;
    this.maxAllocation = options.maxAllocation ?? 268_435_456;
    if (data) this.reset(data, offset, length);
  }

  /** Starts reading `data[offset, offset+length)` with fresh tables. */
  reset(data: Uint8Array, offset = 0, length = data.length - offset): this {
    this.buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (offset < 0 || length < 0 || offset + length > this.buf.length) {
      throw new HessianDecodeError('HESSIAN_ERR_EOF', 'region outside the buffer', 0);
    }
    this.start = offset;
    this.pos = offset;
    this.end = offset + length;
    if (this.refs.length) this.refs = [];
    if (this.defs.length) this.defs = [];
    if (this.types.length) this.types = [];
    this.depth = 0;
    this.budget = this.maxAllocation;
    return this;
  }

  /** Bytes consumed since the start of the region. */
  get consumed(): number {
    return this.pos - this.start;
  }

  /** Bytes left in the region. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private fail(code: HessianErrorCode, msg: string, at = this.pos): never {
    throw new HessianDecodeError(code, msg, at - this.start);
  }

  private u8(): number {
    if (this.pos >= this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
    return this.buf[this.pos++]!;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
  }

  private i32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
    const b = this.buf;
    // byte arithmetic: Buffer#readInt32BE validates its offset in JS on every call
    const v = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    this.pos = p + 4;
    return v;
  }

  private f64(): number {
    const p = this.pos;
    if (p + 8 > this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
    const b = this.buf;
    const s = F64_BYTES;
    if (LITTLE_ENDIAN) {
      s[7] = b[p]!;
      s[6] = b[p + 1]!;
      s[5] = b[p + 2]!;
      s[4] = b[p + 3]!;
      s[3] = b[p + 4]!;
      s[2] = b[p + 5]!;
      s[1] = b[p + 6]!;
      s[0] = b[p + 7]!;
    } else for (let i = 0; i < 8; i++) s[i] = b[p + i]!;
    this.pos = p + 8;
    return F64[0]!;
  }

  private charge(n: number): void {
    if ((this.budget -= n) < 0) this.fail('HESSIAN_ERR_LIMIT', 'maxAllocation exceeded');
  }

  private long(hi: number, lo: number): unknown {
    if (this.longAs === 0) return Long.fromBits(lo, hi);
    if (this.longAs === 1) return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
    const n = hi * TWO32 + (lo >>> 0);
    return Number.isSafeInteger(n) ? n : Long.fromBits(lo, hi);
  }

  private smallLong(v: number): unknown {
    if (this.longAs === 0) return Long.fromInt(v);
    if (this.longAs === 1) return BigInt(v);
    return v;
  }

  private dbl(v: number): unknown {
    return this.exactDoubles && Number.isInteger(v) ? new JavaValue('double', v) : v;
  }

  /** Reads one value. */
  readValue(): unknown {
    let tag = this.u8();
    while (tag === 0x43) {
      // a class definition precedes the value (a loop, so a run of definitions cannot exhaust the stack)
      this.readClassDef();
      tag = this.u8();
    }
    if (tag >= 0x80) {
      if (tag <= 0xbf) return tag - 0x90;
      if (tag <= 0xcf) return ((tag - 0xc8) << 8) + this.u8();
      if (tag <= 0xd7) {
        this.need(2);
        const v = ((tag - 0xd4) << 16) + (this.buf[this.pos]! << 8) + this.buf[this.pos + 1]!;
        this.pos += 2;
        return v;
      }
      if (tag <= 0xef) return this.smallLong(tag - 0xe0);
      return this.smallLong(((tag - 0xf8) << 8) + this.u8());
    }
    if (tag < 0x20) return this.readStringBody(tag, true);
    if (tag < 0x30) return this.readBinaryBody(tag - 0x20, true);
    if (tag < 0x34) return this.readStringBody(((tag - 0x30) << 8) + this.u8(), true);
    if (tag < 0x38) return this.readBinaryBody(((tag - 0x34) << 8) + this.u8(), true);
    if (tag < 0x40) {
      this.need(2);
      const v = ((tag - 0x3c) << 16) + (this.buf[this.pos]! << 8) + this.buf[this.pos + 1]!;
      this.pos += 2;
      return this.smallLong(v);
    }
    if (tag >= 0x60) {
      if (tag < 0x70) return this.readInstance(tag - 0x60);
      if (tag < 0x78) return this.readList(tag - 0x70, this.readType());
      return this.readList(tag - 0x78, null);
    }
    switch (tag) {
      case 0x4e:
        return null;
      case 0x54:
        return true;
      case 0x46:
        return false;
      case 0x49:
        return this.i32();
      case 0x59:
        return this.smallLong(this.i32());
      case 0x4c: {
        const hi = this.i32();
        return this.long(hi, this.i32());
      }
      case 0x5b:
        return this.dbl(0);
      case 0x5c:
        return this.dbl(1);
      case 0x5d:
        return this.dbl((this.u8() << 24) >> 24);
      case 0x5e: {
        this.need(2);
        const v = ((this.buf[this.pos]! << 24) >> 16) | this.buf[this.pos + 1]!;
        this.pos += 2;
        return this.dbl(v);
      }
      case 0x5f:
        return this.dbl(0.001 * this.i32());
      case 0x44:
        return this.dbl(this.f64());
      case 0x4a: {
        const hi = this.i32();
        const lo = this.i32();
        return new Date(hi * TWO32 + (lo >>> 0));
      }
      case 0x4b:
        return new Date(this.i32() * 60000);
      case 0x53:
      case 0x52: {
        this.need(2);
        const len = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
        this.pos += 2;
        return this.readStringBody(len, tag === 0x53);
      }
      case 0x42:
      case 0x41: {
        this.need(2);
        const len = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
        this.pos += 2;
        return this.readBinaryBody(len, tag === 0x42);
      }
      case 0x4f:
        return this.readInstance(this.readLength());
      case 0x48:
        return this.readMap(null);
      case 0x4d:
        return this.readMap(this.readType());
      case 0x51: {
        const at = this.pos - 1;
        const ref = this.readLength();
        if (ref >= this.refs.length) this.fail('HESSIAN_ERR_BAD_REF', `reference #${ref} to an unread value`, at);
        return this.refs[ref];
      }
      case 0x55:
        return this.readList(-1, this.readType());
      case 0x56: {
        const type = this.readType();
        return this.readList(this.readLength(), type);
      }
      case 0x57:
        return this.readList(-1, null);
      case 0x58:
        return this.readList(this.readLength(), null);
    }
    return this.fail('HESSIAN_ERR_BAD_TAG', `unexpected byte 0x${tag.toString(16)}`, this.pos - 1);
  }

  // Field readers of registered classes (see CompiledClass.readerFor): each reads the form Java writes for the
  // field's declared type inline and leaves anything else (null, another form, a reference) to readValue, so the
  // result is always what readValue gives.

  /** @internal A `string` / `char` field. */
  readStringField(): unknown {
    const p = this.pos;
    if (p < this.end) {
      const tag = this.buf[p]!;
      if (tag < 0x20) {
        this.pos = p + 1;
        return this.utf8(tag);
      }
      if (tag >= 0x30 && tag < 0x34 && p + 1 < this.end) {
        this.pos = p + 2;
        return this.utf8(((tag - 0x30) << 8) + this.buf[p + 1]!);
      }
    }
    return this.readValue();
  }

  /** @internal An `int` / `short` / `byte` field. */
  readIntField(): unknown {
    const p = this.pos;
    if (p + 1 < this.end) {
      const tag = this.buf[p]!;
      if (tag >= 0x80 && tag <= 0xbf) {
        this.pos = p + 1;
        return tag - 0x90;
      }
      if (tag >= 0xc0 && tag <= 0xcf) {
        this.pos = p + 2;
        return ((tag - 0xc8) << 8) + this.buf[p + 1]!;
      }
    }
    return this.readValue();
  }

  /** @internal A `long` field. */
  readLongField(): unknown {
    const p = this.pos;
    if (p + 4 < this.end) {
      const tag = this.buf[p]!;
      const b = this.buf;
      if (tag >= 0xd8 && tag <= 0xef) {
        this.pos = p + 1;
        return this.smallLong(tag - 0xe0);
      }
      if (tag >= 0xf0) {
        this.pos = p + 2;
        return this.smallLong(((tag - 0xf8) << 8) + b[p + 1]!);
      }
      if (tag >= 0x38 && tag <= 0x3f) {
        this.pos = p + 3;
        return this.smallLong(((tag - 0x3c) << 16) + (b[p + 1]! << 8) + b[p + 2]!);
      }
      if (tag === 0x59) {
        this.pos = p + 5;
        return this.smallLong((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
      }
    }
    return this.readValue();
  }

  /** @internal A `boolean` field. */
  readBooleanField(): unknown {
    const p = this.pos;
    if (p < this.end) {
      const tag = this.buf[p]!;
      if (tag === 0x54) {
        this.pos = p + 1;
        return true;
      }
      if (tag === 0x46) {
        this.pos = p + 1;
        return false;
      }
    }
    return this.readValue();
  }

  /** @internal A `java.util.Date` field. */
  readDateField(): unknown {
    const p = this.pos;
    if (p + 8 < this.end && this.buf[p] === 0x4a) {
      const b = this.buf;
      const hi = (b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!;
      const lo = (b[p + 5]! << 24) | (b[p + 6]! << 16) | (b[p + 7]! << 8) | b[p + 8]!;
      this.pos = p + 9;
      return new Date(hi * TWO32 + (lo >>> 0));
    }
    return this.readValue();
  }

  /** @internal A `double` / `float` field. */
  readDoubleField(): unknown {
    const p = this.pos;
    if (p + 8 < this.end && !this.exactDoubles) {
      const b = this.buf;
      switch (b[p]) {
        case 0x5b:
          this.pos = p + 1;
          return 0;
        case 0x5c:
          this.pos = p + 1;
          return 1;
        case 0x5f:
          this.pos = p + 5;
          return 0.001 * ((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
        case 0x44:
          this.pos = p + 1;
          return this.f64();
      }
    }
    return this.readValue();
  }

  /** Reads an int written by `writeInt` (any int form); fails on another kind of value. */
  readInt(): number {
    const at = this.pos;
    const v = this.readValue();
    if (typeof v !== 'number' || (v | 0) !== v) this.fail('HESSIAN_ERR_MALFORMED', 'expected an int', at);
    return v;
  }

  /** Reads a string or null; fails on another kind of value. */
  readString(): string | null {
    const at = this.pos;
    const v = this.readValue();
    if (v !== null && typeof v !== 'string') this.fail('HESSIAN_ERR_MALFORMED', 'expected a string', at);
    return v as string | null;
  }

  private readLength(): number {
    const at = this.pos;
    const tag = this.u8();
    let v: number;
    if (tag >= 0x80 && tag <= 0xbf) v = tag - 0x90;
    else if (tag >= 0xc0 && tag <= 0xcf) v = ((tag - 0xc8) << 8) + this.u8();
    else if (tag >= 0xd0 && tag <= 0xd7) {
      v = (tag - 0xd4) << 16;
      v += this.u8() << 8;
      v += this.u8();
    } else if (tag === 0x49) v = this.i32();
    else return this.fail('HESSIAN_ERR_MALFORMED', 'expected an int length or reference', at);
    if (v < 0) this.fail('HESSIAN_ERR_MALFORMED', `negative length or reference ${v}`, at);
    return v;
  }

  private readType(): string {
    const at = this.pos;
    if (this.pos >= this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
    const tag = this.buf[this.pos]!;
    if (tag < 0x20 || (tag >= 0x30 && tag < 0x34) || tag === 0x53 || tag === 0x52) {
      const t = this.readValue() as string;
      if (t.length === 0) this.fail('HESSIAN_ERR_MALFORMED', 'empty type name', at);
      this.types.push(t);
      return t;
    }
    const ref = this.readLength();
    if (ref >= this.types.length) this.fail('HESSIAN_ERR_BAD_REF', `type reference #${ref} undefined`, at);
    return this.types[ref]!;
  }

  private readStringBody(len: number, last: boolean): string {
    if (last) return this.utf8(len);
    let s = this.utf8(len);
    for (;;) {
      const at = this.pos;
      const tag = this.u8();
      if (tag === 0x52 || tag === 0x53) {
        this.need(2);
        const n = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
        this.pos += 2;
        s += this.utf8(n);
        if (tag === 0x53) break;
      } else if (tag < 0x20) {
        s += this.utf8(tag);
        break;
      } else if (tag >= 0x30 && tag < 0x34) {
        s += this.utf8(((tag - 0x30) << 8) + this.u8());
        break;
      } else this.fail('HESSIAN_ERR_BAD_STRING', 'a string chunk is not followed by a string chunk', at);
      if (s.length > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'string longer than maxLength');
    }
    if (s.length > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'string longer than maxLength');
    return s;
  }

  /** Decodes `len` UTF-16 units of text at the read position (see {@link decodeJavaUtf8}). */
  private utf8(len: number): string {
    const start = this.pos;
    if (len > this.end - start) this.fail('HESSIAN_ERR_EOF', 'string longer than the input');
    this.charge(len * 2);
    const s = decodeJavaUtf8(this.buf, start, this.end, len);
    if (typeof s === 'number') {
      const code = s < 0 ? 'HESSIAN_ERR_EOF' : 'HESSIAN_ERR_BAD_STRING';
      return this.fail(
        code,
        code === 'HESSIAN_ERR_EOF' ? 'unexpected end of input in a string' : 'malformed UTF-8',
        s < 0 ? this.end : s,
      );
    }
    this.pos = utf8End;
    return s;
  }

  private readBinaryBody(len: number, last: boolean): Buffer {
    this.need(len);
    this.charge(len);
    const view = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    if (last) return this.binaryView ? view : Buffer.from(view);
    let out: Buffer = view;
    const parts: Buffer[] = [out];
    let total = len;
    for (;;) {
      const at = this.pos;
      const tag = this.u8();
      let n: number;
      let fin = true;
      if (tag === 0x41 || tag === 0x42) {
        this.need(2);
        n = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
        this.pos += 2;
        fin = tag === 0x42;
      } else if (tag >= 0x20 && tag < 0x30) n = tag - 0x20;
      else if (tag >= 0x34 && tag < 0x38) n = ((tag - 0x34) << 8) + this.u8();
      else return this.fail('HESSIAN_ERR_BAD_STRING', 'a binary chunk is not followed by a binary chunk', at);
      this.need(n);
      this.charge(n);
      parts.push(this.buf.subarray(this.pos, this.pos + n));
      this.pos += n;
      total += n;
      if (total > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'binary longer than maxLength');
      if (fin) break;
    }
    out = Buffer.concat(parts, total);
    return out;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) this.fail('HESSIAN_ERR_LIMIT', 'maxDepth exceeded');
  }

  private readList(len: number, type: string | null): unknown[] {
    this.enter();
    let arr: unknown[];
    if (len >= 0) {
      if (len > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', `list length ${len} over maxLength`);
      if (len > this.end - this.pos) this.fail('HESSIAN_ERR_EOF', `list length ${len} longer than the input`);
      this.charge(len * 8 + 16);
      arr = new Array(len);
      if (type !== null) setType(arr, type);
      this.refs.push(arr);
      for (let i = 0; i < len; i++) arr[i] = this.readValue();
    } else {
      arr = [];
      if (type !== null) setType(arr, type);
      this.refs.push(arr);
      for (;;) {
        if (this.pos >= this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input in a list');
        if (this.buf[this.pos] === 0x5a) {
          this.pos++;
          break;
        }
        this.charge(8);
        arr.push(this.readValue());
        if (arr.length > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'list longer than maxLength');
      }
    }
    this.depth--;
    return arr;
  }

  private readMap(type: string | null): unknown {
    const at = this.pos;
    this.enter();
    const c = type !== null ? this.registry.get(type) : undefined;
    let result: any;
    if (c) result = c.create();
    else if (this.mapAsObject) result = {};
    else result = new Map();
    if (type !== null && !c) setType(result, type);
    const idx = this.refs.push(result) - 1;
    const isMap = result instanceof Map;
    let n = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input in a map');
      if (this.buf[this.pos] === 0x5a) {
        this.pos++;
        break;
      }
      this.charge(16);
      if (++n > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'map larger than maxLength');
      const k = this.readValue();
      const v = this.readValue();
      if (isMap) result.set(k, v);
      else setSafe(result, keyString(k), v);
    }
    this.depth--;
    if (c?.descriptor.resolve) {
      result = this.resolve(c, result, at);
      this.refs[idx] = result;
    }
    return result;
  }

  private readClassDef(): void {
    const at = this.pos;
    const name = this.readString();
    if (!name) this.fail('HESSIAN_ERR_MALFORMED', 'class definition without a name', at);
    // The same class arrives in most messages: when the field-list bytes equal the cached ones, reuse its definition.
    const cache = this.registry.defCache;
    const hit = cache.get(name);
    const tailStart = this.pos;
    if (hit) {
      const n = hit.tail.length;
      if (tailStart + n <= this.end && sameBytes(this.buf, tailStart, hit.tail)) {
        this.pos += n;
        this.charge(n * 8);
        this.defs.push(hit.def as ClassDef);
        return;
      }
    }
    const count = this.readLength();
    if (count > this.maxLength || count > this.end - this.pos)
      this.fail('HESSIAN_ERR_MALFORMED', `bad field count ${count}`, at);
    this.charge(count * 8 + 32);
    const fields: string[] = new Array(count);
    let unsafe = false;
    for (let i = 0; i < count; i++) {
      const f = this.readString();
      if (f === null) this.fail('HESSIAN_ERR_MALFORMED', 'null field name', at);
      if (UNSAFE_KEY(f)) unsafe = true;
      fields[i] = f;
    }
    const def = this.makeDef(name, fields, unsafe);
    this.defs.push(def);
    if (cache.size >= 4096) cache.clear();
    cache.set(name, { tail: Buffer.from(this.buf.subarray(tailStart, this.pos)), def });
  }

  private makeDef(name: string, fields: string[], unsafe: boolean): ClassDef {
    const compiled = this.registry.get(name);
    const throwable = fields.includes('detailMessage') && fields.includes('stackTrace');
    if (compiled && !(throwable && compiled.isException)) {
      return { name, fields, kind: 1, compiled, reader: compiled.readerFor(fields), unsafe };
    }
    if (this.registry.getEnum(name) && fields.length === 1 && fields[0] === 'name')
      return { name, fields, kind: 3, unsafe };
    if (throwable) return compiled ? { name, fields, kind: 2, compiled, unsafe } : { name, fields, kind: 2, unsafe };
    return { name, fields, kind: 0, unsafe };
  }

  /** Runs a registration's `resolve`; a {@link HessianError} it throws becomes a decode error at `at`. */
  private resolve(c: CompiledClass, obj: unknown, at: number): unknown {
    try {
      return c.descriptor.resolve!(obj);
    } catch (e) {
      if (e instanceof HessianError && !(e instanceof HessianDecodeError))
        throw new HessianDecodeError(e.code, `${c.javaName}: ${e.message}`, at - this.start, { cause: e });
      throw e;
    }
  }

  private readInstance(ref: number): unknown {
    const at = this.pos - 1; // the tag of a compact instance (the last byte of the reference for 'O')
    const def = this.defs[ref];
    if (!def) return this.fail('HESSIAN_ERR_BAD_REF', `class definition #${ref} undefined`, this.pos - 1);
    this.enter();
    this.charge(16 + def.fields.length * 8);
    let result: any;
    switch (def.kind) {
      case 1: {
        const c = def.compiled!;
        const obj = c.create();
        const idx = this.refs.push(obj) - 1;
        def.reader!(this, obj);
        result = obj;
        if (c.descriptor.resolve) {
          result = this.resolve(c, obj, at);
          this.refs[idx] = result;
        }
        break;
      }
      case 2:
        result = readThrowable(this, def.name, def.fields, def.compiled);
        break;
      case 3: {
        const idx = this.refs.push(null) - 1;
        const name = this.readValue();
        const values = this.registry.getEnum(def.name)!;
        result = typeof name === 'string' && Object.hasOwn(values, name) ? values[name] : name;
        this.refs[idx] = result;
        break;
      }
      default: {
        result = {};
        setType(result, def.name);
        this.refs.push(result);
        const f = def.fields;
        if (def.unsafe) for (let i = 0; i < f.length; i++) setSafe(result, f[i]!, this.readValue());
        else for (let i = 0; i < f.length; i++) result[f[i]!] = this.readValue();
      }
    }
    this.depth--;
    return result;
  }

  /** @internal Registers a value under the next reference id and returns that id. */
  pushRef(v: unknown): number {
    return this.refs.push(v) - 1;
  }
}
