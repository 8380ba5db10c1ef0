// biome-ignore-all lint/correctness/noVoidTypeReturn: dispatch returns the (void) result of the chosen writer
import Long from 'long';
import type { ClassRegistry, CompiledClass } from './class-registry.js';
import { HessianError } from './errors.js';
import { put32, putF64 } from './internal/bytes.js';
import { writeAsJavaType, writeJavaValue } from './internal/java-value-writer.js';
import { RefTable } from './internal/ref-table.js';
import { cacheable, lookup, remember } from './internal/string-cache.js';
import { writeThrowable } from './internal/throwable-writer.js';
import { encodeJavaUtf8, floatAsJavaWritesIt } from './internal/utf8.js';
import { JavaException, StackTraceElement } from './java-exception.js';
import { JAVA_TYPE, JavaValue, toLong } from './java-types.js';
import { defaultRegistry } from './jdk-types.js';

/** Options of {@link Hessian2Encoder}. */
export interface EncoderOptions {
  /** Registry used to find the Java class of TS instances. @defaultValue {@link defaultRegistry} */
  registry?: ClassRegistry;
  /** Initial buffer size in bytes (the buffer grows as needed and is reused). @defaultValue 1024 */
  initialSize?: number;
}

/** The encoded class definition of each registered class (its bytes never change). */
const defBytes = new WeakMap<CompiledClass, Uint8Array>();

/** Whether something added enumerable properties to `Object.prototype` (then for-in would see them). */
function prototypeHasEnumerables(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

const ENUM_FIELDS = ['name'];
/** One identity object per enum constant, so repeated constants become references like Java's singletons. */
const enumIdentities = new Map<string, object>();
function enumIdentity(javaType: string, name: string): object {
  const key = `${javaType}\0${name}`;
  let id = enumIdentities.get(key);
  if (!id) {
    if (enumIdentities.size >= 65536) enumIdentities.clear();
    enumIdentities.set(key, (id = Object.freeze({})));
  }
  return id;
}

/** Whether the first, middle and last UTF-16 units are ASCII (a guess: a wrong one only skips the string cache). */
function probablyAscii(s: string, len: number): boolean {
  return len > 0 && s.charCodeAt(0) < 0x80 && s.charCodeAt(len >> 1) < 0x80 && s.charCodeAt(len - 1) < 0x80;
}

/** Strings up to this many UTF-16 units are written by a loop in writeString (no native call pays off below). */
const SHORT_STRING = 24;

/** Largest binary chunk hessian-lite writes from a fresh output buffer (8 KiB buffer minus the 3-byte header). */
const BINARY_CHUNK = 8189;

/**
 * A reusable Hessian 2.0 writer. Values written in sequence share one reference / class-definition / type table
 * (like one Java `Hessian2Output`), so it can write several values into one Dubbo body. {@link reset} starts over.
 */
export class Hessian2Encoder {
  /** The output buffer; valid bytes are `[0, length)`. */
  buf: Buffer;
  /** Number of bytes written. */
  length = 0;
  private readonly registry: ClassRegistry;
  /** Objects written and their reference ids (see {@link resetReferences}). */
  private readonly refs = new RefTable();
  private classDefs = new Map<string, number>();
  /** The registered class whose definition was written last, and its index (saves a lookup per instance). */
  private lastClass: CompiledClass | null = null;
  private lastClassIdx = 0;
  private types: Map<string, number> | null = null;

  constructor(options: EncoderOptions = {}) {
    this.registry = options.registry ?? defaultRegistry;
    this.buf = Buffer.allocUnsafe(options.initialSize ?? 1024);
  }

  /** Forgets all written bytes, references, class definitions and type names (keeps the buffer). */
  reset(): this {
    this.length = 0;
    return this.resetTables();
  }

  /**
   * Forgets value references, class definitions and type names but keeps the bytes written (hessian-lite's
   * `reset()`): what is written next is a new Hessian stream, appended after them.
   */
  resetTables(): this {
    this.resetReferences();
    if (this.classDefs.size) this.classDefs.clear();
    this.lastClass = null;
    this.types = null;
    return this;
  }

  /**
   * Forgets value references only (hessian-lite's `resetReferences`): what is written next numbers its references
   * from 0 again. Now and then the objects of the last message stay in an internal table for one more message, and
   * for as long as they are written again (up to 16384 entries), so re-encoding the same values (a cached response)
   * costs no new table entries; they are never written as references to an earlier message. Objects written once
   * are forgotten at the next reset.
   */
  resetReferences(): void {
    this.refs.reset();
  }

  /** Writes one value and returns a copy of all bytes written. */
  writeAll(value: unknown): Buffer {
    this.writeValue(value);
    return this.toBuffer();
  }

  /** A copy of the bytes written so far. */
  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    // TypedArray#set on a plain view is a bare memcpy (Buffer#copy validates its arguments in JS first)
    out.set(new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.length));
    return out;
  }

  /** A view (no copy) of the bytes written so far; valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.length);
    this.buf = b;
  }

  /** Writes raw bytes (no Hessian framing). */
  writeRaw(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buf.length) this.grow(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Writes `N`. */
  writeNull(): void {
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = 0x4e;
  }

  /** Writes `T` / `F`. */
  writeBoolean(v: boolean): void {
    if (v === null || v === undefined) return this.writeNull();
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = v ? 0x54 : 0x46;
  }

  /** Writes a Java int in its most compact form (the value is truncated to 32 bits). */
  writeInt(value: number): void {
    if (typeof value !== 'number') {
      if (value === null || value === undefined) return this.writeNull();
      throw new HessianError('HESSIAN_ERR_ENCODE', `an int needs a number, got ${typeof value}`);
    }
    const v = value | 0;
    if (this.length + 5 > this.buf.length) this.grow(5);
    const b = this.buf;
    let p = this.length;
    if (v >= -16 && v <= 47) b[p++] = v + 0x90;
    else if (v >= -2048 && v <= 2047) {
      b[p++] = 0xc8 + (v >> 8);
      b[p++] = v & 0xff;
    } else if (v >= -262144 && v <= 262143) {
      b[p++] = 0xd4 + (v >> 16);
      b[p++] = (v >> 8) & 0xff;
      b[p++] = v & 0xff;
    } else {
      b[p++] = 0x49;
      put32(b, p, v);
      p += 4;
    }
    this.length = p;
  }

  /** Writes a Java long in its most compact form; accepts `Long`, `bigint`, safe integers, decimal strings. */
  writeLong(value: Long | bigint | number | string): void {
    if (value === null || value === undefined) return this.writeNull();
    let hi: number;
    let lo: number;
    if (typeof value === 'number' && (value | 0) === value) {
      hi = value < 0 ? -1 : 0;
      lo = value;
    } else {
      const l = value instanceof Long ? value : toLong(value);
      hi = l.high;
      lo = l.low;
    }
    if (this.length + 9 > this.buf.length) this.grow(9);
    const b = this.buf;
    let p = this.length;
    if (hi === lo >> 31) {
      const v = lo;
      if (v >= -8 && v <= 15) b[p++] = v + 0xe0;
      else if (v >= -2048 && v <= 2047) {
        b[p++] = 0xf8 + (v >> 8);
        b[p++] = v & 0xff;
      } else if (v >= -262144 && v <= 262143) {
        b[p++] = 0x3c + (v >> 16);
        b[p++] = (v >> 8) & 0xff;
        b[p++] = v & 0xff;
      } else {
        b[p++] = 0x59;
        put32(b, p, v);
        p += 4;
      }
    } else {
      b[p++] = 0x4c;
      put32(b, p, hi | 0);
      put32(b, p + 4, lo | 0);
      p += 8;
    }
    this.length = p;
  }

  /** Writes a Java float: hessian-lite writes floats as doubles (the value is rounded to float precision first). */
  writeFloat(v: number): void {
    if (v === null || v === undefined) return this.writeNull();
    this.writeDouble(floatAsJavaWritesIt(v));
  }

  /** Writes a Java double in its most compact form, choosing exactly the form hessian-lite chooses. */
  writeDouble(value: number): void {
    if (typeof value !== 'number') {
      if (value === null || value === undefined) return this.writeNull();
      throw new HessianError('HESSIAN_ERR_ENCODE', `a double needs a number, got ${typeof value}`);
    }
    if (this.length + 9 > this.buf.length) this.grow(9);
    const b = this.buf;
    const p = this.length;
    const iv = value | 0;
    if (iv === value) {
      if (iv === 0) {
        b[p] = 0x5b;
        this.length = p + 1;
        return;
      }
      if (iv === 1) {
        b[p] = 0x5c;
        this.length = p + 1;
        return;
      }
      if (iv >= -0x80 && iv < 0x80) {
        b[p] = 0x5d;
        b[p + 1] = iv & 0xff;
        this.length = p + 2;
        return;
      }
      if (iv >= -0x8000 && iv < 0x8000) {
        b[p] = 0x5e;
        b[p + 1] = (iv >> 8) & 0xff;
        b[p + 2] = iv & 0xff;
        this.length = p + 3;
        return;
      }
    }
    // Java: int mills = (int) (value * 1000); if (0.001 * mills == value) -> 4-byte form
    const m = value * 1000;
    const mills = Number.isNaN(m) ? 0 : m >= 2147483647 ? 2147483647 : m <= -2147483648 ? -2147483648 : Math.trunc(m);
    if (0.001 * mills === value) {
      b[p] = 0x5f;
      put32(b, p + 1, mills);
      this.length = p + 5;
      return;
    }
    b[p] = 0x44;
    putF64(b, p + 1, value);
    this.length = p + 9;
  }

  /** Writes a `java.util.Date` (minute form when the time is a whole minute, as hessian-lite does). */
  writeDate(d: Date | number): void {
    if (d === null || d === undefined) return this.writeNull();
    const ms = typeof d === 'number' ? d : d.getTime();
    if (!Number.isFinite(ms)) throw new HessianError('HESSIAN_ERR_ENCODE', 'cannot write an invalid Date');
    if (this.length + 9 > this.buf.length) this.grow(9);
    const b = this.buf;
    const p = this.length;
    // (a whole-minute test without `%`, which on a non-Smi number is a call to fmod)
    const minutes = Math.floor(ms / 60000);
    if (minutes * 60000 === ms) {
      if (minutes >= -2147483648 && minutes <= 2147483647) {
        b[p] = 0x4b;
        put32(b, p + 1, minutes);
        this.length = p + 5;
        return;
      }
    }
    b[p] = 0x4a;
    const hi = Math.floor(ms / 4294967296);
    put32(b, p + 1, hi | 0);
    put32(b, p + 5, ms - hi * 4294967296);
    this.length = p + 9;
  }

  /**
   * Writes a string: lengths count UTF-16 units, chunks hold at most 0x8000 units and never split a surrogate pair,
   * and each UTF-16 unit is written on its own (a pair as two 3-byte sequences), exactly as hessian-lite does.
   */
  writeString(s: string): void {
    if (s === null || s === undefined) return this.writeNull();
    const len = s.length;
    if (len <= SHORT_STRING) {
      // the common short string: one room check, the length byte, each UTF-16 unit as 1-3 bytes (as hessian-lite)
      if (this.length + 1 + len * 3 > this.buf.length) this.grow(1 + len * 3);
      const b = this.buf;
      let p = this.length;
      b[p++] = len;
      // ASCII run first (one store per unit at a fixed offset), then unit by unit from the first non-ASCII one
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[p + i] = c;
      }
      p += i;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x80) b[p++] = c;
        else if (c < 0x800) {
          b[p++] = 0xc0 | (c >> 6);
          b[p++] = 0x80 | (c & 0x3f);
        } else {
          b[p++] = 0xe0 | (c >> 12);
          b[p++] = 0x80 | ((c >> 6) & 0x3f);
          b[p++] = 0x80 | (c & 0x3f);
        }
      }
      this.length = p;
      return;
    }
    // ASCII-looking text skips the cache: the native write costs less than hashing a string seen for the first time
    // (a decoded one always is); the cache pays off for other text, whose encoding is the expensive part.
    if (!probablyAscii(s, len) && cacheable(len)) {
      const hit = lookup(s);
      if (hit) return this.writeRaw(hit);
      const from = this.length;
      this.writeStringBody(s, len);
      return remember(s, this.buf.subarray(from, this.length));
    }
    this.writeStringBody(s, len);
  }

  private writeStringBody(s: string, len: number): void {
    let off = 0;
    while (len > 0x8000) {
      let sub = 0x8000;
      const tail = s.charCodeAt(off + sub - 1);
      if (tail >= 0xd800 && tail <= 0xdbff) sub--;
      if (this.length + 3 > this.buf.length) this.grow(3);
      const b = this.buf;
      b[this.length] = 0x52;
      b[this.length + 1] = sub >> 8;
      b[this.length + 2] = sub & 0xff;
      this.length += 3;
      this.printString(s, off, sub);
      off += sub;
      len -= sub;
    }
    if (this.length + 3 > this.buf.length) this.grow(3);
    const b = this.buf;
    if (len <= 31) b[this.length++] = len;
    else if (len <= 1023) {
      b[this.length++] = 0x30 + (len >> 8);
      b[this.length++] = len & 0xff;
    } else {
      b[this.length++] = 0x53;
      b[this.length++] = len >> 8;
      b[this.length++] = len & 0xff;
    }
    this.printString(s, off, len);
  }

  private printString(s: string, off: number, len: number): void {
    if (this.length + len * 3 > this.buf.length) this.grow(len * 3);
    this.length = encodeJavaUtf8(this.buf, this.length, s, off, len);
  }

  /** Writes a `byte[]` (chunked at 8189 bytes, as hessian-lite does from a fresh output). */
  writeBytes(data: Uint8Array): void {
    if (data === null || data === undefined) return this.writeNull();
    let len = data.length;
    let off = 0;
    if (this.length + len + 3 * (Math.floor(len / BINARY_CHUNK) + 1) > this.buf.length) {
      this.grow(len + 3 * (Math.floor(len / BINARY_CHUNK) + 1));
    }
    const b = this.buf;
    while (len > BINARY_CHUNK) {
      b[this.length++] = 0x41;
      b[this.length++] = BINARY_CHUNK >> 8;
      b[this.length++] = BINARY_CHUNK & 0xff;
      b.set(data.subarray(off, off + BINARY_CHUNK), this.length);
      this.length += BINARY_CHUNK;
      off += BINARY_CHUNK;
      len -= BINARY_CHUNK;
    }
    if (len <= 15) b[this.length++] = 0x20 + len;
    else if (len <= 1023) {
      b[this.length++] = 0x34 + (len >> 8);
      b[this.length++] = len & 0xff;
    } else {
      b[this.length++] = 0x42;
      b[this.length++] = len >> 8;
      b[this.length++] = len & 0xff;
    }
    b.set(off === 0 && len === data.length ? data : data.subarray(off, off + len), this.length);
    this.length += len;
  }

  /** Writes a type name, or its index when already written. */
  writeType(type: string): void {
    if (!this.types) this.types = new Map();
    const ref = this.types.get(type);
    if (ref !== undefined) this.writeInt(ref);
    else {
      this.types.set(type, this.types.size);
      this.writeString(type);
    }
  }

  /** @internal If `obj` was written before, writes a reference to it and returns true; else gives it the next ref id. */
  addRef(obj: object): boolean {
    const ref = this.refs.idOrAdd(obj);
    if (ref < 0) return false;
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = 0x51;
    this.writeInt(ref);
    return true;
  }

  /** @internal The reference id given to `obj` in this message, if it was written. */
  refIdOf(obj: object): number | undefined {
    return this.refs.idOf(obj);
  }

  /** Writes a list header: fixed length, typed (`type`) or untyped (`null`). */
  writeListBegin(length: number, type: string | null): void {
    if (this.length + 1 > this.buf.length) this.grow(1);
    if (type === null) {
      if (length <= 7) this.buf[this.length++] = 0x78 + length;
      else {
        this.buf[this.length++] = 0x58;
        this.writeInt(length);
      }
    } else if (length <= 7) {
      this.buf[this.length++] = 0x70 + length;
      this.writeType(type);
    } else {
      this.buf[this.length++] = 0x56;
      this.writeType(type);
      this.writeInt(length);
    }
  }

  /** Writes an array as a Java list or array (`type` e.g. `java.util.HashSet`, `[int`; `null` = ArrayList). */
  writeList(items: readonly unknown[], type: string | null = null, identity: object = items): void {
    if (this.addRef(identity)) return;
    const n = items.length;
    this.writeListBegin(n, type);
    if (type !== null && type.charCodeAt(0) === 0x5b) {
      switch (type) {
        case '[int':
        case '[short':
        case '[byte':
          for (let i = 0; i < n; i++) this.writeInt(items[i] as number);
          return;
        case '[long':
          for (let i = 0; i < n; i++) this.writeLong(items[i] as Long);
          return;
        case '[double':
          for (let i = 0; i < n; i++) this.writeDouble(items[i] as number);
          return;
        case '[float':
          for (let i = 0; i < n; i++) this.writeFloat(items[i] as number);
          return;
        case '[boolean':
          for (let i = 0; i < n; i++) this.writeBoolean(items[i] as boolean);
          return;
        case '[string':
          for (let i = 0; i < n; i++) this.writeString(items[i] as string);
          return;
      }
    }
    for (let i = 0; i < n; i++) this.writeValue(items[i]);
  }

  /** Writes a `Map` (or plain object's own entries) as a Java map (`type` null = `java.util.HashMap`). */
  writeMap(
    map: Map<unknown, unknown> | Record<string, unknown>,
    type: string | null = null,
    identity: object = map,
  ): void {
    if (this.addRef(identity)) return;
    if (this.length + 1 > this.buf.length) this.grow(1);
    if (type === null) this.buf[this.length++] = 0x48;
    else {
      this.buf[this.length++] = 0x4d;
      this.writeType(type);
    }
    if (map instanceof Map) {
      for (const [k, v] of map) {
        this.writeValue(k);
        this.writeValue(v);
      }
    } else {
      const proto = Object.getPrototypeOf(map);
      if ((proto === Object.prototype || proto === null) && !prototypeHasEnumerables()) {
        // for-in (V8's enum cache) is several times faster than Object.keys or a hasOwn check per key
        for (const k in map) {
          this.writeString(k);
          this.writeValue(map[k]);
        }
      } else {
        for (const k of Object.keys(map)) {
          this.writeString(k);
          this.writeValue(map[k]);
        }
      }
    }
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = 0x5a;
  }

  /** @internal Writes the object header (class definition on first use, then the `0x60+n` / `O` tag). */
  writeObjectHeader(key: string, javaName: string, names: readonly string[], c?: CompiledClass): void {
    let idx = this.classDefs.get(key);
    if (c !== undefined && key === c.javaName) {
      this.lastClass = c;
      this.lastClassIdx = idx ?? this.classDefs.size;
    }
    if (idx === undefined) {
      idx = this.classDefs.size;
      this.classDefs.set(key, idx);
      const cached = c ? defBytes.get(c) : undefined;
      if (cached) this.writeRaw(cached);
      else {
        const from = this.length;
        if (this.length + 1 > this.buf.length) this.grow(1);
        this.buf[this.length++] = 0x43;
        this.writeString(javaName);
        this.writeInt(names.length);
        for (const n of names) this.writeString(n);
        if (c) defBytes.set(c, Uint8Array.prototype.slice.call(this.buf, from, this.length));
      }
    }
    if (this.length + 1 > this.buf.length) this.grow(1);
    if (idx <= 15) this.buf[this.length++] = 0x60 + idx;
    else {
      this.buf[this.length++] = 0x4f;
      this.writeInt(idx);
    }
  }

  /** Writes an instance of a registered class (through its compiled field writer). */
  writeRegistered(c: CompiledClass, value: object): void {
    if (this.addRef(value)) return;
    if (c === this.lastClass && this.lastClassIdx <= 15) {
      if (this.length + 1 > this.buf.length) this.grow(1);
      this.buf[this.length++] = 0x60 + this.lastClassIdx;
    } else this.writeObjectHeader(c.javaName, c.javaName, c.names, c);
    const toWire = c.descriptor.toWire;
    c.writeFields(this, toWire ? toWire(value) : value);
  }

  /**
   * Writes `v` as the given Java collection, map or enum type (see `FieldSpec.javaType`): arrays and `Set`s as that
   * collection, `Map`s and plain objects as that map, strings and registered enum values as that enum constant.
   */
  writeTyped(v: unknown, javaType: string): void {
    writeAsJavaType(this, this.registry, v, javaType);
  }

  /** Writes a Java enum constant; a constant written before in this message becomes a reference, as in Java. */
  writeEnum(javaType: string, name: string): void {
    if (this.addRef(enumIdentity(javaType, name))) return;
    this.writeObjectHeader(`${javaType}\0name`, javaType, ENUM_FIELDS);
    this.writeString(name);
  }

  /** Writes an object of an unregistered Java class from its own enumerable fields, in order. */
  writeObject(javaName: string, fields: Record<string, unknown>, identity: object = fields): void {
    if (this.addRef(identity)) return;
    const names = Object.keys(fields);
    this.writeObjectHeader(`${javaName}\0${names.join(',')}`, javaName, names);
    for (const n of names) this.writeValue(fields[n]);
  }

  /** Writes a Java exception (Throwable's fields plus any others it carries). */
  writeException(e: JavaException): void {
    writeThrowable(this, e, this.registry);
  }

  /**
   * Writes any value with the default mapping: null/undefined -> null; boolean; number -> int when it is a 32-bit
   * integer else double; bigint/`Long` -> long; string; Date; Buffer/Uint8Array -> byte[]; array -> list (typed by
   * {@link JAVA_TYPE}); Map -> map; Set -> `java.util.HashSet`; registered class instances; {@link JavaValue};
   * {@link JavaException}; other objects: with {@link JAVA_TYPE} an object of that class, else a `HashMap`.
   */
  writeValue(v: unknown): void {
    switch (typeof v) {
      case 'string':
        return this.writeString(v);
      case 'number':
        return (v | 0) === v && !Object.is(v, -0) ? this.writeInt(v) : this.writeDouble(v);
      case 'boolean':
        return this.writeBoolean(v);
      case 'bigint':
        return this.writeLong(v);
      case 'undefined':
        return this.writeNull();
      case 'object':
        break;
      default:
        throw new HessianError('HESSIAN_ERR_ENCODE', `cannot encode a ${typeof v}`);
    }
    if (v === null) return this.writeNull();
    const o = v as any;
    const ctor = o.constructor;
    if (ctor === Object || ctor === undefined) {
      const t = o[JAVA_TYPE];
      return t === undefined ? this.writeMap(o, null) : this.writeObject(t, o);
    }
    if (ctor === Array) return this.writeList(o, o[JAVA_TYPE] ?? null);
    if (ctor === Long) return this.writeLong(o);
    if (ctor === Date) return this.writeDate(o);
    if (ctor === JavaValue) return writeJavaValue(this, this.registry, o);
    if (ctor === Map) return this.writeMap(o, o[JAVA_TYPE] ?? null);
    const c = this.registry.forCtor(ctor);
    if (c) return c.isException ? this.writeException(o) : this.writeRegistered(c, o);
    if (o instanceof JavaException) return this.writeException(o);
    if (o instanceof Uint8Array) return this.writeBytes(o);
    if (o instanceof Date) return this.writeDate(o);
    if (o instanceof Set) return this.writeList([...o], (o as any)[JAVA_TYPE] ?? 'java.util.HashSet', o);
    if (o instanceof Map) return this.writeMap(o, (o as any)[JAVA_TYPE] ?? null);
    if (Array.isArray(o)) return this.writeList(o, (o as any)[JAVA_TYPE] ?? null);
    if (o instanceof StackTraceElement)
      return this.writeRegistered(this.registry.get('java.lang.StackTraceElement')!, o);
    if (o instanceof Error) {
      const e = new JavaException('java.lang.RuntimeException', o.message);
      return this.writeException(e);
    }
    const t = o[JAVA_TYPE];
    if (t !== undefined) return this.writeObject(t, o);
    throw new HessianError(
      'HESSIAN_ERR_ENCODE',
      `no Java mapping for instances of ${ctor?.name ?? 'an unknown class'}; register the class`,
    );
  }
}
