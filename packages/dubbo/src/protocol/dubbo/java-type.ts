import { type Hessian2Encoder, JavaValue } from '@dubbo-ts/hessian2';
import { DubboError } from '../../errors.js';

/** Writes one value as a given Java type into a Hessian 2 body. */
export type ValueWriter = (enc: Hessian2Encoder, value: unknown) => void;

const PRIMITIVE_DESC: Readonly<Record<string, string>> = {
  boolean: 'Z',
  byte: 'B',
  char: 'C',
  short: 'S',
  int: 'I',
  long: 'J',
  float: 'F',
  double: 'D',
  void: 'V',
};
const DESC_PRIMITIVE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(PRIMITIVE_DESC).map(([k, v]) => [v, k]),
);
/** A Java binary class name: dotted identifiers, `$` for nested classes. */
const CLASS_NAME = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/**
 * Whether `name` is a Java type name dubbo-ts understands: a primitive (`int`), a class (`java.lang.String`),
 * an array in source form (`int[]`, `com.example.User[][]`) or in `Class.getName()` form (`[I`, `[Ljava.lang.String;`).
 */
export function isJavaTypeName(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false;
  if (name.charCodeAt(0) === 0x5b) return /^\[+([ZBCSIJFD]|L[A-Za-z_$][\w$.]*;)$/.test(name);
  let base = name;
  while (base.endsWith('[]')) base = base.slice(0, -2);
  if (base === 'void' && base !== name) return false;
  return base in PRIMITIVE_DESC || CLASS_NAME.test(base);
}

/**
 * The JVM descriptor of a Java type name: `int` -> `I`, `java.lang.String` -> `Ljava/lang/String;`,
 * `int[]` -> `[I`, `[Ljava.lang.String;` -> `[Ljava/lang/String;`.
 *
 * @throws DubboError `DUBBO_ERR_INVALID_ARG` for a name that is not a Java type.
 */
export function javaTypeToDescriptor(name: string): string {
  if (!isJavaTypeName(name)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `not a Java type name: ${String(name)}`);
  if (name.charCodeAt(0) === 0x5b) return name.replace(/\./g, '/');
  let dims = '';
  let base = name;
  while (base.endsWith('[]')) {
    base = base.slice(0, -2);
    dims += '[';
  }
  const p = PRIMITIVE_DESC[base];
  return dims + (p ?? `L${base.replace(/\./g, '/')};`);
}

/** The JVM parameter-type descriptor of a list of Java type names (`["java.lang.String", "int"]` -> `Ljava/lang/String;I`). */
export function parameterTypesToDescriptor(types: readonly string[]): string {
  let s = '';
  for (const t of types) s += javaTypeToDescriptor(t);
  return s;
}

/**
 * Splits a JVM parameter-type descriptor into Java type names in `Class.getName()` form
 * (`Ljava/lang/String;[I` -> `["java.lang.String", "[I"]`).
 *
 * @throws DubboError `DUBBO_ERR_BAD_REQUEST` on a malformed descriptor.
 */
export function descriptorToJavaTypes(desc: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < desc.length) {
    const start = i;
    while (desc.charCodeAt(i) === 0x5b) i++;
    const c = desc[i];
    if (c === 'L') {
      const end = desc.indexOf(';', i);
      if (end < 0) throw new DubboError('DUBBO_ERR_BAD_REQUEST', `malformed parameter descriptor: ${desc}`);
      i = end + 1;
    } else if (c !== undefined && c in DESC_PRIMITIVE && c !== 'V') {
      i++;
    } else {
      throw new DubboError('DUBBO_ERR_BAD_REQUEST', `malformed parameter descriptor: ${desc}`);
    }
    const one = desc.slice(start, i);
    if (start === i - 1 && one in DESC_PRIMITIVE) out.push(DESC_PRIMITIVE[one]!);
    else if (one.charCodeAt(0) === 0x5b) out.push(one.replace(/\//g, '.'));
    else out.push(one.slice(1, -1).replace(/\//g, '.'));
  }
  return out;
}

const descCounts = new Map<string, number>();

/** Number of parameters a descriptor declares (cached; throws `DUBBO_ERR_BAD_REQUEST` when malformed). */
export function descriptorParameterCount(desc: string): number {
  let n = descCounts.get(desc);
  if (n === undefined) {
    n = descriptorToJavaTypes(desc).length;
    if (descCounts.size < 4096) descCounts.set(desc, n);
  }
  return n;
}

const writeAny: ValueWriter = (enc, v) => enc.writeValue(v);
const writeInt: ValueWriter = (enc, v) => (typeof v === 'number' ? enc.writeInt(v) : enc.writeValue(v));
const writeLong: ValueWriter = (enc, v) =>
  typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' ? enc.writeLong(v) : enc.writeValue(v);
const writeDouble: ValueWriter = (enc, v) => (typeof v === 'number' ? enc.writeDouble(v) : enc.writeValue(v));
const writeFloat: ValueWriter = (enc, v) => (typeof v === 'number' ? enc.writeFloat(v) : enc.writeValue(v));
const writeString: ValueWriter = (enc, v) => (typeof v === 'string' ? enc.writeString(v) : enc.writeValue(v));
const writeDate: ValueWriter = (enc, v) => (typeof v === 'number' ? enc.writeDate(v) : enc.writeValue(v));

/** Hessian list type of a Java array type in `Class.getName()` or source form, as hessian-lite writes it. */
function hessianArrayType(component: string): string {
  switch (component) {
    case 'java.lang.String':
      return '[string';
    case 'java.lang.Object':
      return '[object';
    default:
      return `[${component}`;
  }
}

/**
 * The writer of values declared as the given Java type. Plain JS values are written as that type (a `number`
 * declared `long` becomes a Java long, `double` a double even when integral, `int[]` a typed `[int` list...), so
 * callers need no `java.*` wrappers; anything else (wrappers, registered classes, maps) goes through `writeValue`.
 */
export function writerFor(typeName: string): ValueWriter {
  const name = typeName;
  if (name.charCodeAt(0) === 0x5b) {
    // Class.getName() array form: [I, [Ljava.lang.String;, [[I
    const inner = name.slice(1);
    const comp = inner in DESC_PRIMITIVE ? DESC_PRIMITIVE[inner]! : inner.startsWith('L') ? inner.slice(1, -1) : inner;
    return arrayWriter(comp);
  }
  if (name.endsWith('[]')) return arrayWriter(name.slice(0, -2));
  switch (name) {
    case 'int':
    case 'short':
    case 'byte':
    case 'java.lang.Integer':
    case 'java.lang.Short':
    case 'java.lang.Byte':
      return writeInt;
    case 'long':
    case 'java.lang.Long':
      return writeLong;
    case 'double':
    case 'java.lang.Double':
      return writeDouble;
    case 'float':
    case 'java.lang.Float':
      return writeFloat;
    case 'char':
    case 'java.lang.Character':
    case 'java.lang.String':
      return writeString;
    case 'java.util.Date':
      return writeDate;
    default:
      return writeAny;
  }
}

function arrayWriter(component: string): ValueWriter {
  if (component === 'byte') return writeAny; // byte[] is Hessian binary; Buffer / Uint8Array write as such
  const type = hessianArrayType(component);
  return (enc, v) => {
    if (Array.isArray(v)) enc.writeValue(new JavaValue(type, v, 'list'));
    else enc.writeValue(v);
  };
}
