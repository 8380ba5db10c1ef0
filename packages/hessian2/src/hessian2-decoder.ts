import Long from 'long';
import type { ClassRegistry, CompiledClass } from './class-registry.js';
import { HessianDecodeError, HessianError } from './errors.js';
import { DecoderInput } from './internal/decoder-input.js';
import { KeyMemo, MEMO_KEY_MAX } from './internal/key-memo.js';
import { setSafe } from './internal/set-safe.js';
import { readThrowable } from './internal/throwable-reader.js';
import { JAVA_TYPE } from './java-types.js';
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

/** A class definition as read (every one made by {@link classDef}, so all have one shape). */
interface ClassDef {
  readonly name: string;
  readonly fields: readonly string[];
  readonly kind: 0 | 1 | 2 | 3; // 0 generic, 1 registered, 2 exception, 3 registered enum
  readonly compiled: CompiledClass | undefined;
  readonly reader: ((dec: Hessian2Decoder, obj: any) => void) | undefined;
  readonly unsafe: boolean; // a field name that needs defineProperty
  /** What reading an instance charges against maxAllocation. */
  readonly cost: number;
  /** The registration's `resolve`, if any. */
  readonly resolve: boolean;
}

const classDef = (
  name: string,
  fields: readonly string[],
  kind: ClassDef['kind'],
  compiled: CompiledClass | undefined,
  unsafe: boolean,
): ClassDef => ({
  name,
  fields,
  kind,
  compiled,
  reader: kind === 1 ? compiled!.readerFor(fields) : undefined,
  unsafe,
  cost: 16 + fields.length * 8,
  resolve: kind === 1 && compiled!.descriptor.resolve !== undefined,
});

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

/**
 * A reusable Hessian 2.0 reader over a region of a Buffer (no copy). Values read in sequence share one reference /
 * class-definition / type table, like one Java `Hessian2Input`. Throws {@link HessianDecodeError} on bad input.
 */
export class Hessian2Decoder extends DecoderInput {
  private refs: unknown[] = [];
  private defs: ClassDef[] = [];
  private types: string[] = [];
  private readonly registry: ClassRegistry;
  private readonly mapAsObject: boolean;
  /** The keys of the last map read by position (see {@link KeyMemo}), and how it has been doing. */
  private readonly keyMemo = new KeyMemo();
  private memoMisses = 0;
  private memoTries = 0;

  constructor(data?: Uint8Array, options: DecoderOptions = {}, offset = 0, length?: number) {
    super(options);
    this.registry = options.registry ?? defaultRegistry;
    this.mapAsObject = options.mapAs === 'object';
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
        return new Date(hi * 4294967296 + (lo >>> 0));
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

  /** @internal An `object` field: a compact list or instance and null inline, anything else through readValue. */
  readObjectField(): unknown {
    const p = this.pos;
    if (p < this.end) {
      const tag = this.buf[p]!;
      if (tag >= 0x78 && tag < 0x80) {
        this.pos = p + 1;
        return this.readList(tag - 0x78, null);
      }
      if (tag >= 0x60 && tag < 0x70) {
        this.pos = p + 1;
        return this.readInstance(tag - 0x60);
      }
      if (tag === 0x4e) {
        this.pos = p + 1;
        return null;
      }
    }
    return this.readValue();
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
      const b = this.buf;
      for (let i = 0; i < len; i++) {
        // a short string or a small int inline (a List<String> / List<Integer>), anything else through readValue
        const p = this.pos;
        const tag = p < this.end ? b[p]! : -1;
        if (tag >= 0 && tag < 0x20) {
          this.pos = p + 1;
          arr[i] = this.utf8(tag);
        } else if (tag >= 0x80 && tag <= 0xbf) {
          this.pos = p + 1;
          arr[i] = tag - 0x90;
        } else if (tag >= 0x60 && tag < 0x70) {
          // a compact instance (a List<Pojo>): straight to the instance reader, not through readValue's dispatch
          this.pos = p + 1;
          arr[i] = this.readInstance(tag - 0x60);
        } else arr[i] = this.readValue();
      }
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
    if (isMap && c === undefined) {
      this.readMapEntries(result);
      this.depth--;
      return result;
    }
    let n = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input in a map');
      if (this.buf[this.pos] === 0x5a) {
        this.pos++;
        break;
      }
      this.charge(16);
      if (++n > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'map larger than maxLength');
      const k = this.readStringField(); // a string key inline, any other key through readValue
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

  /**
   * The entries of a plain `Map` up to the `Z`: a short string key and a scalar value are read inline (the forms a
   * `Map<String, Double|Integer|String>` takes on the wire), anything else through readValue.
   */
  private readMapEntries(m: Map<unknown, unknown>): void {
    const b = this.buf;
    const end = this.end;
    let n = 0;
    // after two maps in a row whose first key was not the last map's, only every 16th map tries
    let memoOn = this.memoMisses < 2 || (++this.memoTries & 15) === 0;
    for (;;) {
      let p = this.pos;
      if (p >= end) this.fail('HESSIAN_ERR_EOF', 'unexpected end of input in a map');
      let tag = b[p]!;
      if (tag === 0x5a) {
        this.pos = p + 1;
        return;
      }
      this.charge(16);
      if (++n > this.maxLength) this.fail('HESSIAN_ERR_LIMIT', 'map larger than maxLength');
      let k: unknown;
      if (tag < 0x20) {
        // A short string key: the key at this position of the last map if the bytes match, else read (and noted).
        // When the first key differs from the last map's, the map is taken as another shape: no more checks.
        const memo =
          memoOn && tag <= MEMO_KEY_MAX && p + 1 + tag <= end ? this.keyMemo.get(n - 1, b, p + 1, tag) : undefined;
        if (memo !== undefined) {
          this.charge(tag * 2);
          this.pos = p + 1 + tag;
          if (n === 1) this.memoMisses = 0;
          k = memo;
        } else {
          this.pos = p + 1;
          const key = this.utf8(tag);
          if (memoOn) {
            if (tag <= MEMO_KEY_MAX && this.pos === p + 1 + tag) this.keyMemo.set(n - 1, b, p + 1, tag, key);
            if (n === 1) {
              memoOn = false;
              this.memoMisses++;
            }
          }
          k = key;
        }
      } else {
        k = this.readValue();
        memoOn = false;
      }
      p = this.pos;
      let v: unknown;
      if (p + 4 < end) {
        tag = b[p]!;
        if (tag >= 0x80 && tag <= 0xbf) {
          this.pos = p + 1;
          v = tag - 0x90;
        } else if (tag === 0x5f && !this.exactDoubles) {
          this.pos = p + 5;
          v = 0.001 * ((b[p + 1]! << 24) | (b[p + 2]! << 16) | (b[p + 3]! << 8) | b[p + 4]!);
        } else if (tag === 0x44 && !this.exactDoubles) {
          this.pos = p + 1;
          v = this.f64();
        } else if (tag < 0x20) {
          this.pos = p + 1;
          v = this.utf8(tag);
        } else v = this.readValue();
      } else v = this.readValue();
      m.set(k, v);
    }
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
    if (compiled && !(throwable && compiled.isException)) return classDef(name, fields, 1, compiled, unsafe);
    if (this.registry.getEnum(name) && fields.length === 1 && fields[0] === 'name')
      return classDef(name, fields, 3, undefined, unsafe);
    if (throwable) return classDef(name, fields, 2, compiled, unsafe);
    return classDef(name, fields, 0, undefined, unsafe);
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
    this.charge(def.cost);
    if (def.kind === 1 && !def.resolve) {
      // a registered class without resolve (a POJO): its instance is the result
      const obj = def.compiled!.create();
      this.refs.push(obj);
      def.reader!(this, obj);
      this.depth--;
      return obj;
    }
    let result: any;
    switch (def.kind) {
      case 1: {
        const c = def.compiled!;
        const obj = c.create();
        const idx = this.refs.push(obj) - 1;
        def.reader!(this, obj);
        result = obj;
        if (def.resolve) {
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
