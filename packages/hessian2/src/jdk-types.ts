import Long from 'long';
import { ClassRegistry, setDefaultParent } from './class-registry.js';
import { HessianError } from './errors.js';
import { StackTraceElement } from './java-exception.js';
import { java } from './java-types.js';

const H = 'com.alibaba.com.caucho.hessian.io.';
const J8 = `${H}java8.`;

/** `java.math.BigDecimal`, kept as its exact decimal string (never a float). */
export class BigDecimal {
  constructor(public value = '0') {}
  toString(): string {
    return this.value;
  }
}

/** `java.math.BigInteger`, as a `bigint`. */
export class BigInteger {
  constructor(public value: bigint = 0n) {}
  toString(): string {
    return this.value.toString();
  }
}

/** `java.time.LocalDate`. */
export class LocalDate {
  constructor(
    public year = 1970,
    public month = 1,
    public day = 1,
  ) {}
}
/** `java.time.LocalTime`. */
export class LocalTime {
  constructor(
    public hour = 0,
    public minute = 0,
    public second = 0,
    public nano = 0,
  ) {}
}
/** `java.time.LocalDateTime`. */
export class LocalDateTime {
  constructor(
    public date = new LocalDate(),
    public time = new LocalTime(),
  ) {}
}
/** `java.time.Instant`: seconds since the epoch (a `Long`) plus nanoseconds. */
export class Instant {
  constructor(
    public seconds: Long = Long.ZERO,
    public nanos = 0,
  ) {}
  /** From epoch milliseconds. */
  static ofEpochMilli(ms: number): Instant {
    const s = Math.floor(ms / 1000);
    return new Instant(Long.fromNumber(s), (ms - s * 1000) * 1_000_000);
  }
}
/** `java.time.Duration`: seconds (a `Long`) plus nanoseconds. */
export class Duration {
  constructor(
    public seconds: Long = Long.ZERO,
    public nanos = 0,
  ) {}
}
/** `java.time.Period`. */
export class Period {
  constructor(
    public years = 0,
    public months = 0,
    public days = 0,
  ) {}
}
/** `java.time.ZoneOffset`, as total seconds east of UTC. */
export class ZoneOffset {
  constructor(public seconds = 0) {}
}
/** `java.time.ZoneId` (a region such as `Europe/Paris`). */
export class ZoneId {
  constructor(public zoneId = 'UTC') {}
}
/** `java.time.ZonedDateTime`. */
export class ZonedDateTime {
  constructor(
    public dateTime = new LocalDateTime(),
    public offset = new ZoneOffset(),
    public zoneId = 'Z',
  ) {}
}
/** `java.time.OffsetDateTime`. */
export class OffsetDateTime {
  constructor(
    public dateTime = new LocalDateTime(),
    public offset = new ZoneOffset(),
  ) {}
}
/** `java.time.OffsetTime`. */
export class OffsetTime {
  constructor(
    public localTime = new LocalTime(),
    public zoneOffset = new ZoneOffset(),
  ) {}
}
/** `java.time.Year`. */
export class Year {
  constructor(public year = 1970) {}
}
/** `java.time.YearMonth`. */
export class YearMonth {
  constructor(
    public year = 1970,
    public month = 1,
  ) {}
}
/** `java.time.MonthDay`. */
export class MonthDay {
  constructor(
    public month = 1,
    public day = 1,
  ) {}
}
/** `java.util.Locale`, as Java's `toString()` form (`zh_CN`). */
export class Locale {
  constructor(public value = '') {}
}
/** `java.util.UUID`, as its canonical string. */
export class UUID {
  constructor(public value = '00000000-0000-0000-0000-000000000000') {}
}
/** `java.util.Currency`, as its ISO 4217 code. */
export class Currency {
  constructor(public currencyCode = 'USD') {}
}
/** `java.lang.Class`, as its Java name. */
export class JavaClass {
  constructor(public name = 'java.lang.Object') {}
}
/** `java.sql.Date`: a `Date`. */
export class SqlDate extends Date {}
/** `java.sql.Time`: a `Date`. */
export class SqlTime extends Date {}
/** `java.sql.Timestamp`: a `Date` (millisecond precision). */
export class SqlTimestamp extends Date {}

function bigIntegerToWire(v: BigInteger) {
  let x = v.value < 0n ? -v.value : v.value;
  const words: number[] = [];
  while (x > 0n) {
    words.unshift(Number(BigInt.asIntN(32, x & 0xffffffffn)));
    x >>= 32n;
  }
  return {
    mag: java.array('int', words),
    firstNonzeroIntNumPlusTwo: 0,
    lowestSetBitPlusTwo: 0,
    bitLengthPlusOne: 0,
    bitCountPlusOne: 0,
    signum: v.value === 0n ? 0 : v.value < 0n ? -1 : 1,
  };
}

const incomplete = (msg: string) => new HessianError('HESSIAN_ERR_INCOMPLETE_VALUE', msg);

function bigIntegerFromWire(o: { mag?: unknown; signum?: unknown }): BigInteger {
  const { mag, signum } = o;
  if (!Array.isArray(mag) || (signum !== -1 && signum !== 0 && signum !== 1))
    throw incomplete('a BigInteger needs its mag (int[]) and signum (-1, 0 or 1) fields');
  let hex = '0x0';
  for (const w of mag) {
    if (typeof w !== 'number' || (w | 0) !== w) throw incomplete('a BigInteger mag holds a non-int');
    hex += (w >>> 0).toString(16).padStart(8, '0');
  }
  const x = BigInt(hex);
  if ((x === 0n) !== (signum === 0)) throw incomplete('a BigInteger signum does not match its mag');
  return new BigInteger(signum < 0 ? -x : x);
}

/** Java's `BigDecimal.toString()` of `unscaled * 10^-scale` (scientific notation where Java uses it). */
function decimalString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const coeff = (neg ? -unscaled : unscaled).toString();
  const sign = neg ? '-' : '';
  if (scale === 0) return sign + coeff;
  const adjusted = coeff.length - 1 - scale;
  if (scale > 0 && adjusted >= -6) {
    const pad = scale - coeff.length;
    if (pad >= 0) return `${sign}0.${'0'.repeat(pad)}${coeff}`;
    return `${sign}${coeff.slice(0, -scale)}.${coeff.slice(-scale)}`;
  }
  const frac = coeff.length > 1 ? `.${coeff.slice(1)}` : '';
  const exp = adjusted === 0 ? '' : adjusted > 0 ? `E+${adjusted}` : `E${adjusted}`;
  return `${sign}${coeff[0]}${frac}${exp}`;
}

const INFLATED = -(2n ** 63n); // BigDecimal.intCompact when the value is in intVal
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A long field as a bigint, whatever `longAs` made of it; undefined when it is not a long. */
function longField(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (v instanceof Long) return BigInt(v.toString());
  return undefined;
}

/**
 * A BigDecimal from either wire form: hessian-lite's `value` string, or the raw fields stock Caucho Hessian writes
 * (`scale` and `intVal`; Java's transient `intCompact` / `stringCache` too when a writer sent them).
 */
function bigDecimalFromWire(o: Record<string, unknown>): BigDecimal {
  if ('value' in o) {
    if (typeof o.value !== 'string' || !DECIMAL.test(o.value))
      throw incomplete('a BigDecimal value is not a decimal string');
    return new BigDecimal(o.value);
  }
  const { scale, intVal } = o;
  let unscaled: bigint | undefined;
  if (intVal instanceof BigInteger) unscaled = intVal.value;
  else if (intVal != null) throw incomplete('a BigDecimal intVal is not a BigInteger');
  else {
    const c = longField(o.intCompact);
    if (c !== undefined && c !== INFLATED) unscaled = c;
  }
  if (unscaled !== undefined && typeof scale === 'number' && (scale | 0) === scale)
    return new BigDecimal(decimalString(unscaled, scale));
  if (typeof o.stringCache === 'string' && DECIMAL.test(o.stringCache)) return new BigDecimal(o.stringCache);
  throw incomplete(
    'a BigDecimal written as its fields without intVal (or intCompact) and scale: its value was not sent ' +
      '(stock Caucho Hessian writes only the non-transient fields; a value that fits a long has a null intVal)',
  );
}

const sqlDate =
  <T extends Date>(C: new (ms: number) => T, javaName: string) =>
  (r: ClassRegistry) =>
    r.register({
      javaName,
      fields: [{ name: 'value', type: 'date' }],
      resolve: (o: { value?: unknown }) => new C(o.value instanceof Date ? o.value.getTime() : 0),
      toWire: (d: Date) => ({ value: new Date(d.getTime()) }),
      ctor: C as any,
      create: () => ({}) as any,
    });

/** Registers the JDK value types hessian-lite writes specially (used by {@link defaultRegistry}). */
export function registerJdkTypes(r: ClassRegistry): void {
  r.register({
    javaName: 'java.math.BigDecimal',
    fields: [{ name: 'value', type: 'string' }],
    readOnlyFields: ['intVal', 'scale', 'intCompact', 'stringCache'],
    ctor: BigDecimal,
    create: () => ({}) as any,
    resolve: bigDecimalFromWire as any,
  });
  r.register({
    javaName: 'java.math.BigInteger',
    fields: [
      'mag',
      { name: 'firstNonzeroIntNumPlusTwo', type: 'int' },
      { name: 'lowestSetBitPlusTwo', type: 'int' },
      { name: 'bitLengthPlusOne', type: 'int' },
      { name: 'bitCountPlusOne', type: 'int' },
      { name: 'signum', type: 'int' },
    ],
    ctor: BigInteger,
    create: () => ({}) as any,
    resolve: bigIntegerFromWire as any,
    toWire: bigIntegerToWire,
  });
  const int = (name: string) => ({ name, type: 'int' as const });
  const long = (name: string) => ({ name, type: 'long' as const });
  r.registerClass(LocalDate, `${J8}LocalDateHandle`, [int('day'), int('month'), int('year')]);
  r.registerClass(LocalTime, `${J8}LocalTimeHandle`, [int('nano'), int('second'), int('minute'), int('hour')]);
  r.registerClass(LocalDateTime, `${J8}LocalDateTimeHandle`, ['time', 'date']);
  r.registerClass(Instant, `${J8}InstantHandle`, [int('nanos'), long('seconds')]);
  r.registerClass(Duration, `${J8}DurationHandle`, [int('nanos'), long('seconds')]);
  r.registerClass(Period, `${J8}PeriodHandle`, [int('days'), int('months'), int('years')]);
  r.registerClass(ZoneOffset, `${J8}ZoneOffsetHandle`, [int('seconds')]);
  r.registerClass(ZoneId, `${J8}ZoneIdHandle`, [{ name: 'zoneId', type: 'string' }]);
  r.registerClass(ZonedDateTime, `${J8}ZonedDateTimeHandle`, [
    'offset',
    'dateTime',
    { name: 'zoneId', type: 'string' },
  ]);
  r.registerClass(OffsetDateTime, `${J8}OffsetDateTimeHandle`, ['offset', 'dateTime']);
  r.registerClass(OffsetTime, `${J8}OffsetTimeHandle`, ['zoneOffset', 'localTime']);
  r.registerClass(Year, `${J8}YearHandle`, [int('year')]);
  r.registerClass(YearMonth, `${J8}YearMonthHandle`, [int('month'), int('year')]);
  r.registerClass(MonthDay, `${J8}MonthDayHandle`, [int('day'), int('month')]);
  r.registerClass(Locale, `${H}LocaleHandle`, [{ name: 'value', type: 'string' }]);
  r.registerClass(UUID, 'java.util.UUID', [{ name: 'value', type: 'string' }]);
  r.registerClass(Currency, 'java.util.Currency', [{ name: 'currencyCode', type: 'string' }]);
  r.registerClass(JavaClass, 'java.lang.Class', [{ name: 'name', type: 'string' }]);
  sqlDate(SqlDate, 'java.sql.Date')(r);
  sqlDate(SqlTime, 'java.sql.Time')(r);
  sqlDate(SqlTimestamp, 'java.sql.Timestamp')(r);
  r.registerClass(StackTraceElement, 'java.lang.StackTraceElement', [
    { name: 'format', type: 'int' },
    { name: 'lineNumber', type: 'int' },
    { name: 'fileName', type: 'string' },
    { name: 'methodName', type: 'string' },
    { name: 'declaringClass', type: 'string' },
    { name: 'moduleVersion', type: 'string' },
    { name: 'moduleName', type: 'string' },
    { name: 'classLoaderName', type: 'string' },
  ]);
}

/** The registry of JDK value types; the parent of every {@link ClassRegistry} made by the package. */
export const jdkRegistry: ClassRegistry = new ClassRegistry(null);
registerJdkTypes(jdkRegistry);
setDefaultParent(jdkRegistry);

/** The default global registry: register your classes here unless you need isolation. */
export const defaultRegistry: ClassRegistry = new ClassRegistry(jdkRegistry);
