import Long from 'long';
import { HessianDecodeError, type HessianErrorCode } from '../errors.js';
import { JavaValue } from '../java-types.js';
import { decodeJavaUtf8, SHORT_TEXT, shortAsciiText, utf8End } from './utf8.js';

/** The options the byte-level reader uses (a part of `DecoderOptions`). */
export interface InputOptions {
  longAs?: 'long' | 'bigint' | 'number';
  exactDoubles?: boolean;
  binaryAs?: 'copy' | 'view';
  maxDepth?: number;
  maxLength?: number;
  maxAllocation?: number;
}

const TWO32 = 4294967296;
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The byte-level half of `Hessian2Decoder`: the region being read, the limits, and the readers of scalars, text,
 * binaries and lengths (with the typed field readers that compiled class readers call). The value grammar
 * (lists, maps, objects, references) is in the subclass.
 */
export abstract class DecoderInput {
  protected buf: Buffer = Buffer.alloc(0);
  protected start = 0;
  protected end = 0;
  /** Absolute read position in the buffer. */
  pos = 0;
  protected depth = 0;
  protected budget = 0;
  protected readonly longAs: 0 | 1 | 2;
  protected readonly exactDoubles: boolean;
  protected readonly binaryView: boolean;
  protected readonly maxDepth: number;
  protected readonly maxLength: number;
  protected readonly maxAllocation: number;

  constructor(options: InputOptions) {
    this.longAs = options.longAs === 'bigint' ? 1 : options.longAs === 'number' ? 2 : 0;
    this.exactDoubles = options.exactDoubles ?? false;
    this.binaryView = options.binaryAs === 'view';
    this.maxDepth = options.maxDepth ?? 512;
    this.maxLength = options.maxLength ?? 16_777_216;
    this.maxAllocation = options.maxAllocation ?? 268_435_456;
  }

  /** Reads one value. */
  abstract readValue(): unknown;

  /** Bytes consumed since the start of the region. */
  get consumed(): number {
    return this.pos - this.start;
  }

  /** Bytes left in the region. */
  get remaining(): number {
    return this.end - this.pos;
  }

  protected fail(code: HessianErrorCode, msg: string, at = this.pos): never {
    throw new HessianDecodeError(code, msg, at - this.start);
  }

  protected u8(): number {
    if (this.pos >= this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
    return this.buf[this.pos++]!;
  }

  protected need(n: number): void {
    if (this.pos + n > this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
  }

  protected i32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input');
    const b = this.buf;
    // byte arithmetic: Buffer#readInt32BE validates its offset in JS on every call
    const v = (b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    this.pos = p + 4;
    return v;
  }

  protected f64(): number {
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

  protected charge(n: number): void {
    if ((this.budget -= n) < 0) this.fail('HESSIAN_ERR_LIMIT', 'maxAllocation exceeded');
  }

  protected long(hi: number, lo: number): unknown {
    if (this.longAs === 0) return Long.fromBits(lo, hi);
    if (this.longAs === 1) return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
    const n = hi * TWO32 + (lo >>> 0);
    return Number.isSafeInteger(n) ? n : Long.fromBits(lo, hi);
  }

  protected smallLong(v: number): unknown {
    if (this.longAs === 0) return Long.fromInt(v);
    if (this.longAs === 1) return BigInt(v);
    return v;
  }

  protected dbl(v: number): unknown {
    return this.exactDoubles && Number.isInteger(v) ? new JavaValue('double', v) : v;
  }

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

  protected readLength(): number {
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

  protected readStringBody(len: number, last: boolean): string {
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
  protected utf8(len: number): string {
    const start = this.pos;
    if (len > this.end - start) this.fail('HESSIAN_ERR_EOF', 'string longer than the input');
    this.charge(len * 2);
    if (len <= SHORT_TEXT) {
      const t = shortAsciiText(this.buf, start, len);
      if (t !== undefined) {
        this.pos = start + len;
        return t;
      }
    }
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

  protected readBinaryBody(len: number, last: boolean): Buffer {
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

  protected enter(): void {
    if (++this.depth > this.maxDepth) this.fail('HESSIAN_ERR_LIMIT', 'maxDepth exceeded');
  }
}
