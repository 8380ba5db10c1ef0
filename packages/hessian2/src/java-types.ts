import Long from 'long';
import { HessianError } from './errors.js';

/**
 * Symbol under which decoded collections, maps and unregistered objects keep their Java type name
 * (e.g. `'java.util.HashSet'`, `'[int'`, `'com.example.User'`). The encoder reads it back, so a decoded value
 * re-encodes to the same Java type. Set it yourself to give a plain array, `Map` or object a Java type.
 */
export const JAVA_TYPE: unique symbol = Symbol.for('@dubbo-ts/hessian2.javaType') as any;

/** The Java primitive / scalar kinds a {@link JavaValue} can force. */
export type JavaScalarKind =
  | 'int'
  | 'short'
  | 'byte'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'char'
  | 'string'
  | 'date'
  | 'bytes';

/**
 * A JS value pinned to one Java type, for values a plain JS value cannot say (an `int` vs a `long`, a
 * `java.util.HashSet`). Build them with the {@link java} helpers.
 */
export class JavaValue<T = unknown> {
  /** A scalar kind (`int`, `long`, ...) or, for collections, maps and objects, the Java class name. */
  readonly type: string;
  /** The wrapped value. */
  readonly value: T;
  /** `'scalar'`, `'list'`, `'map'`, `'object'` or `'enum'`: how {@link JavaValue.value} is written. */
  readonly shape: 'scalar' | 'list' | 'map' | 'object' | 'enum';

  constructor(type: string, value: T, shape: 'scalar' | 'list' | 'map' | 'object' | 'enum' = 'scalar') {
    this.type = type;
    this.value = value;
    this.shape = shape;
  }
}

/** Something the encoder can write as a Java `long`. */
export type LongLike = Long | bigint | number | string;

/** Converts a {@link LongLike} to a `Long`; throws `HESSIAN_ERR_ENCODE` on a non-integer or out-of-range value. */
export function toLong(v: LongLike): Long {
  if (v instanceof Long) return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new HessianError('HESSIAN_ERR_ENCODE', `not a safe integer for a long: ${v}`);
    return Long.fromNumber(v);
  }
  if (typeof v === 'bigint') {
    if (v < -(1n << 63n) || v >= 1n << 63n)
      throw new HessianError('HESSIAN_ERR_ENCODE', `bigint out of long range: ${v}`);
    return Long.fromString(v.toString());
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Long.fromString(v);
  throw new HessianError('HESSIAN_ERR_ENCODE', `cannot write ${String(v)} as a long`);
}

function arrayOf(type: string) {
  return (values: readonly unknown[]) => new JavaValue(`[${type}`, values, 'list');
}

/**
 * Typed wrappers for values whose Java type a JS value cannot carry.
 * @example `java.int(1)`, `java.long(2n)`, `java.list('java.util.HashSet', ['a'])`, `java.array('int', [1, 2])`
 */
export const java = {
  /** A Java `int` / `java.lang.Integer`. */
  int: (v: number) => new JavaValue('int', v),
  /** A Java `short` (written as an int, as hessian-lite does). */
  short: (v: number) => new JavaValue('short', v),
  /** A Java `byte` (written as an int, as hessian-lite does). */
  byte: (v: number) => new JavaValue('byte', v),
  /** A Java `long`: accepts `Long`, `bigint`, a safe integer or a decimal string. */
  long: (v: LongLike) => new JavaValue('long', toLong(v)),
  /** A Java `float` (written as the double of its shortest decimal form, as hessian-lite does). */
  float: (v: number) => new JavaValue('float', v),
  /** A Java `double`, even when the number is integral. */
  double: (v: number) => new JavaValue('double', v),
  /** A Java `boolean`. */
  boolean: (v: boolean) => new JavaValue('boolean', v),
  /** A Java `char` (a one-unit string on the wire). */
  char: (v: string) => new JavaValue('char', v),
  /** A `java.util.Date` from a `Date` or epoch milliseconds. */
  date: (v: Date | number) => new JavaValue('date', typeof v === 'number' ? new Date(v) : v),
  /** A list with a Java collection type, e.g. `java.util.HashSet`, `java.util.LinkedList`. */
  list: (type: string, values: Iterable<unknown>) => new JavaValue(type, [...values], 'list'),
  /** A Java array: `java.array('int', [1, 2])` is an `int[]` (`[int`), `java.array('string', ...)` a `String[]`. */
  array: (componentType: string, values: readonly unknown[]) => arrayOf(componentType)(values),
  /** A map with a Java map type, e.g. `java.util.TreeMap`. Accepts a `Map` or a plain object. */
  map: (type: string, entries: Map<unknown, unknown> | Record<string, unknown>) =>
    new JavaValue(type, entries instanceof Map ? entries : new Map(Object.entries(entries)), 'map'),
  /** An instance of an unregistered Java class, from its fields in order. */
  object: (className: string, fields: Record<string, unknown>) => new JavaValue(className, fields, 'object'),
  /** A Java enum constant of an unregistered enum class. */
  enum: (className: string, name: string) => new JavaValue(className, name, 'enum'),
} as const;
