import { JavaValue } from '@dubbo-ts/hessian2';

/**
 * Java's `String.valueOf` of a call argument, as the Java peer holding it prints it, for the places that compare
 * or hash an argument's text as Java does (the condition router's `arguments[N]`, the consistent-hash key).
 *
 * The Java type decides the text, and it is the type the value is written as: the declared parameter type when
 * there is one (`double` 1 is `1.0`, `long` 1 is `1`), else the Hessian encoder's default mapping (a 32-bit integer
 * is an `Integer`, any other number a `Double`; bigint and `Long` are longs; `Date` a `java.util.Date`). A
 * {@link JavaValue} says its own type. A JS array is a `java.util.List` (`[a, b]`). Other objects print as JS does:
 * Java's text for them (a POJO's, an array's `Type@hash`, a `HashMap` in hash order) names nothing a rule can
 * match either.
 * @internal
 */
export function javaString(v: unknown, declaredType?: string): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return numberString(v, declaredType);
    case 'undefined':
      return 'null';
    case 'object':
      if (v === null) return 'null';
      if (v instanceof JavaValue) return javaValueString(v);
      if (v instanceof Date) return javaDate(v);
      if (Array.isArray(v)) return listString(v);
      return String(v); // Long: its decimal
    default:
      return String(v); // boolean, bigint
  }
}

function numberString(v: number, type: string | undefined): string {
  switch (type) {
    case 'double':
    case 'java.lang.Double':
      return javaDouble(v);
    case 'float':
    case 'java.lang.Float':
      return javaFloat(v);
    case 'int':
    case 'short':
    case 'byte':
    case 'long':
    case 'java.lang.Integer':
    case 'java.lang.Short':
    case 'java.lang.Byte':
    case 'java.lang.Long':
      return String(v);
    default:
      // The encoder's default mapping (Hessian2Encoder.writeValue): int when a 32-bit integer, else double.
      return (v | 0) === v && !Object.is(v, -0) ? String(v) : javaDouble(v);
  }
}

function javaValueString(v: JavaValue): string {
  const value = v.value;
  if (v.shape === 'list') return Array.isArray(value) && !v.type.startsWith('[') ? listString(value) : String(v);
  if (v.shape !== 'scalar') return v.shape === 'enum' ? String(value) : String(v);
  switch (v.type) {
    case 'double':
      return javaDouble(Number(value));
    case 'float':
      return javaFloat(Number(value));
    case 'date':
      return value instanceof Date ? javaDate(value) : String(value);
    default:
      return javaString(value); // int, short, byte, long (a Long), boolean, char, string
  }
}

/** `AbstractCollection.toString`: `[a, b]`. */
function listString(list: readonly unknown[]): string {
  let s = '[';
  for (let i = 0; i < list.length; i++) s += (i === 0 ? '' : ', ') + javaString(list[i]);
  return `${s}]`;
}

/** `Double.toString` (JDK 19+, shortest digits): `1.0`, `0.5`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`, `-0.0`. */
function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [m, e] = v.toExponential().split('e') as [string, string];
  return `${m.includes('.') ? m : `${m}.0`}E${Number(e)}`;
}

/** `Float.toString`: the shortest decimal that reads back as the same float (`0.1`, not the double's digits). */
function javaFloat(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === 0) return javaDouble(f);
  for (let p = 1; p < 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return javaDouble(d);
  }
  return javaDouble(Number(f.toPrecision(9)));
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
let zoneFormat: Intl.DateTimeFormat | undefined;

/**
 * `java.util.Date.toString` in this process's time zone (Java uses the JVM's): `Thu Dec 03 14:28:09 UTC 2026`.
 * The zone is Intl's short name, which is Java's for UTC and the US zones (elsewhere Intl may say `GMT+1` where
 * Java says `CET`).
 */
function javaDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return String(d);
  zoneFormat ??= new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' });
  const zone = zoneFormat.formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${two(d.getDate())} ${time} ${zone} ${d.getFullYear()}`;
}
