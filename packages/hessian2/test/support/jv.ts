// The JSON form ("jv") of a decoded value, mirroring tools/interop/java/.../Jv.java exactly.
import {
  BigDecimal,
  BigInteger,
  Currency,
  Duration,
  Instant,
  JAVA_TYPE,
  JavaClass,
  JavaException,
  JavaValue,
  java,
  javaException,
  LocalDate,
  LocalDateTime,
  Locale,
  LocalTime,
  Long,
  MonthDay,
  OffsetDateTime,
  OffsetTime,
  Period,
  SqlDate,
  SqlTime,
  SqlTimestamp,
  StackTraceElement,
  UUID,
  Year,
  YearMonth,
  ZonedDateTime,
  ZoneId,
  ZoneOffset,
} from '@dubbo-ts/hessian2';

const UNORDERED = new Set([
  'java.util.HashMap',
  'java.util.Hashtable',
  'java.util.concurrent.ConcurrentHashMap',
  'java.util.HashSet',
]);

const dbl = (d: number): unknown => {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Number.POSITIVE_INFINITY) return 'Infinity';
  if (d === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (Object.is(d, -0)) return '-0';
  return d;
};

const sortKey = (x: unknown) => JSON.stringify(x);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Converts a decoded value to the jv form. */
export function toJv(v: unknown, seen = new Map<object, number>()): unknown {
  const ref = (o: object) => {
    const r = seen.get(o);
    if (r !== undefined) return { ref: r };
    seen.set(o, seen.size);
    return undefined;
  };
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) ? { int: v } : { double: dbl(v) };
  if (typeof v === 'bigint') return { long: v.toString() };
  if (v instanceof Long) return { long: v.toString() };
  if (v instanceof JavaValue) {
    if (v.type === 'double') return { double: dbl(v.value as number) };
    throw new Error(`unexpected JavaValue ${v.type}`);
  }
  if (Buffer.isBuffer(v)) return { bytes: v.toString('hex') };
  if (v instanceof SqlDate) return { sql: 'java.sql.Date', ms: v.getTime() };
  if (v instanceof SqlTime) return { sql: 'java.sql.Time', ms: v.getTime() };
  if (v instanceof SqlTimestamp) return { sql: 'java.sql.Timestamp', ms: v.getTime() };
  if (v instanceof Date) return { date: v.getTime() };
  if (v instanceof BigDecimal) return { bigdecimal: v.value };
  if (v instanceof BigInteger) return { biginteger: v.value.toString() };
  if (v instanceof JavaClass) return { class: v.name };
  if (v instanceof Locale) return { locale: v.value };
  if (v instanceof UUID) return { uuid: v.value };
  if (v instanceof Currency) return { currency: v.currencyCode };
  const t = (name: string, x: unknown) => ({ time: `java.time.${name}`, v: x });
  if (v instanceof LocalDate) return t('LocalDate', { year: v.year, month: v.month, day: v.day });
  if (v instanceof LocalTime) return t('LocalTime', { hour: v.hour, minute: v.minute, second: v.second, nano: v.nano });
  if (v instanceof LocalDateTime) return t('LocalDateTime', { date: toJv(v.date, seen), time: toJv(v.time, seen) });
  if (v instanceof Instant) return t('Instant', { seconds: v.seconds.toString(), nanos: v.nanos });
  if (v instanceof Duration) return t('Duration', { seconds: v.seconds.toString(), nanos: v.nanos });
  if (v instanceof Period) return t('Period', { years: v.years, months: v.months, days: v.days });
  if (v instanceof ZoneOffset) return t('ZoneOffset', { seconds: v.seconds });
  if (v instanceof ZoneId) return t('ZoneRegion', { id: v.zoneId });
  if (v instanceof ZonedDateTime) {
    return t('ZonedDateTime', { dateTime: toJv(v.dateTime, seen), offset: toJv(v.offset, seen), zoneId: v.zoneId });
  }
  if (v instanceof OffsetDateTime)
    return t('OffsetDateTime', { dateTime: toJv(v.dateTime, seen), offset: toJv(v.offset, seen) });
  if (v instanceof OffsetTime) {
    return t('OffsetTime', { localTime: toJv(v.localTime, seen), zoneOffset: toJv(v.zoneOffset, seen) });
  }
  if (v instanceof Year) return t('Year', { year: v.year });
  if (v instanceof YearMonth) return t('YearMonth', { year: v.year, month: v.month });
  if (v instanceof MonthDay) return t('MonthDay', { month: v.month, day: v.day });
  if (v instanceof JavaException) {
    const r = ref(v);
    if (r) return r;
    const fields: Record<string, unknown> = {};
    for (const k of Object.keys(v.fields).sort(cmp)) fields[k] = toJv(v.fields[k], seen);
    return {
      exception: v.javaClass,
      message: v.javaMessage,
      cause: toJv(v.cause, seen),
      stack: v.stackTrace.map((f) => [f.declaringClass, f.methodName, f.fileName, f.lineNumber]),
      suppressed: v.suppressed.map((s) => toJv(s, seen)),
      fields,
    };
  }
  if (Array.isArray(v)) {
    const r = ref(v);
    if (r) return r;
    const type: string | null = (v as any)[JAVA_TYPE] ?? null;
    let items = v.map((x) => toJv(x, seen));
    if (type !== null && UNORDERED.has(type))
      items = items
        .map(sortKey)
        .sort(cmp)
        .map((s) => JSON.parse(s));
    return { list: items, type };
  }
  if (v instanceof Map) {
    const r = ref(v);
    if (r) return r;
    const type: string | null = (v as any)[JAVA_TYPE] ?? null;
    let items = [...v].map(([k, x]) => [toJv(k, seen), toJv(x, seen)]);
    if (type === null || UNORDERED.has(type))
      items = items
        .map(sortKey)
        .sort(cmp)
        .map((s) => JSON.parse(s));
    return { map: items, type };
  }
  if (typeof v === 'object' && (v as any)[JAVA_TYPE] !== undefined) {
    const keys = Object.keys(v);
    const o = v as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'name' && typeof o.name === 'string')
      return { enum: (v as any)[JAVA_TYPE], name: o.name };
    const r = ref(v);
    if (r) return r;
    const fields: Record<string, unknown> = {};
    for (const k of keys.sort(cmp)) fields[k] = toJv(o[k], seen);
    return { object: (v as any)[JAVA_TYPE], fields };
  }
  throw new Error(`no jv form for ${Object.prototype.toString.call(v)}`);
}

/** Wraps a decoded top-level value in its Java type so it re-encodes as Java wrote it. */
export function asJava(javaType: string, v: unknown): unknown {
  if (v instanceof JavaValue) return v;
  switch (javaType) {
    case 'int':
    case 'short':
    case 'byte':
      return java.int(v as number);
    case 'double':
    case 'float':
      return typeof v === 'number' ? java.double(v) : v;
    default:
      return v;
  }
}

/**
 * Builds a TS value from its jv form, independently of the decoder (the TS -> Java proof encodes these):
 * objects are made in jv walk order so `{ref: n}` resolves to the n-th list/map/object/exception made.
 */
export function fromJv(j: any, made: object[] = []): unknown {
  if (j === null || typeof j === 'boolean' || typeof j === 'string') return j;
  if ('int' in j) return java.int(j.int);
  if ('long' in j) return Long.fromString(j.long);
  if ('double' in j) return java.double(num(j.double));
  if ('bytes' in j) return Buffer.from(j.bytes, 'hex');
  if ('date' in j) return new Date(j.date);
  if ('sql' in j) {
    const C = { 'java.sql.Date': SqlDate, 'java.sql.Time': SqlTime, 'java.sql.Timestamp': SqlTimestamp }[
      j.sql as string
    ]!;
    return new C(j.ms);
  }
  if ('bigdecimal' in j) return new BigDecimal(j.bigdecimal);
  if ('biginteger' in j) return new BigInteger(BigInt(j.biginteger));
  if ('enum' in j) return java.enum(j.enum, j.name);
  if ('class' in j) return new JavaClass(j.class);
  if ('locale' in j) return new Locale(j.locale);
  if ('uuid' in j) return new UUID(j.uuid);
  if ('currency' in j) return new Currency(j.currency);
  if ('time' in j) return time(j.time, j.v, made);
  if ('ref' in j) return made[j.ref];
  if ('list' in j) {
    const arr: unknown[] = [];
    if (j.type !== null) (arr as any)[JAVA_TYPE] = j.type;
    made.push(arr);
    const primitive = typeof j.type === 'string' && /^\[(int|short|byte|long|double|float|boolean)$/.test(j.type);
    for (const x of j.list) {
      const v = fromJv(x, made);
      arr.push(primitive && v instanceof JavaValue ? v.value : v);
    }
    return arr;
  }
  if ('map' in j) {
    const m = new Map<unknown, unknown>();
    if (j.type !== null) (m as any)[JAVA_TYPE] = j.type;
    made.push(m);
    for (const [k, v] of j.map) m.set(fromJv(k, made), fromJv(v, made));
    return m;
  }
  if ('object' in j) {
    const o: Record<string, unknown> = {};
    Object.defineProperty(o, JAVA_TYPE, { value: j.object, enumerable: false });
    made.push(o);
    for (const [k, v] of Object.entries(j.fields)) o[k] = fromJv(v, made);
    return o;
  }
  if ('exception' in j) {
    const e = javaException(j.exception, j.message);
    made.push(e);
    if (j.cause !== null) e.cause = fromJv(j.cause, made);
    e.stackTrace = j.stack.map((f: [string, string, string | null, number]) => StackTraceElement.of(...f));
    e.suppressed = j.suppressed.map((s: unknown) => fromJv(s, made));
    for (const [k, v] of Object.entries(j.fields)) e.fields[k] = fromJv(v, made);
    return e;
  }
  throw new Error(`no TS value for jv ${JSON.stringify(j)}`);
}

const num = (d: unknown) =>
  d === 'NaN'
    ? Number.NaN
    : d === 'Infinity'
      ? Infinity
      : d === '-Infinity'
        ? -Infinity
        : d === '-0'
          ? -0
          : (d as number);

function time(cls: string, v: any, made: object[]): unknown {
  switch (cls) {
    case 'java.time.LocalDate':
      return new LocalDate(v.year, v.month, v.day);
    case 'java.time.LocalTime':
      return new LocalTime(v.hour, v.minute, v.second, v.nano);
    case 'java.time.LocalDateTime':
      return new LocalDateTime(fromJv(v.date, made) as LocalDate, fromJv(v.time, made) as LocalTime);
    case 'java.time.Instant':
      return new Instant(Long.fromString(v.seconds), v.nanos);
    case 'java.time.Duration':
      return new Duration(Long.fromString(v.seconds), v.nanos);
    case 'java.time.Period':
      return new Period(v.years, v.months, v.days);
    case 'java.time.ZoneOffset':
      return new ZoneOffset(v.seconds);
    case 'java.time.ZoneRegion':
      return new ZoneId(v.id);
    case 'java.time.ZonedDateTime':
      return new ZonedDateTime(fromJv(v.dateTime, made) as any, fromJv(v.offset, made) as any, v.zoneId);
    case 'java.time.OffsetDateTime':
      return new OffsetDateTime(fromJv(v.dateTime, made) as any, fromJv(v.offset, made) as any);
    case 'java.time.OffsetTime':
      return new OffsetTime(fromJv(v.localTime, made) as any, fromJv(v.zoneOffset, made) as any);
    case 'java.time.Year':
      return new Year(v.year);
    case 'java.time.YearMonth':
      return new YearMonth(v.year, v.month);
    case 'java.time.MonthDay':
      return new MonthDay(v.month, v.day);
  }
  throw new Error(`no TS value for ${cls}`);
}
