/** The 64-bit integer class Java longs decode to (re-exported from the `long` package). */
export { default as Long } from 'long';
export {
  type ClassDescriptor,
  ClassRegistry,
  CompiledClass,
  type FieldSpec,
  type FieldType,
} from './class-registry.js';
export { type DecodeOptions, decode, encode } from './codec.js';
export { HESSIAN_ERROR_CODES, HessianDecodeError, HessianError, type HessianErrorCode } from './errors.js';
export { type DecoderOptions, Hessian2Decoder } from './hessian2-decoder.js';
export { type EncoderOptions, Hessian2Encoder } from './hessian2-encoder.js';
export {
  JAVA_FIELDS,
  JavaException,
  type JavaExceptionOptions,
  JDK_EXCEPTIONS,
  javaException,
  jdkException,
  StackTraceElement,
} from './java-exception.js';
export { JAVA_TYPE, type JavaScalarKind, JavaValue, java, type LongLike, toLong } from './java-types.js';
export {
  BigDecimal,
  BigInteger,
  Currency,
  Duration,
  defaultRegistry,
  Instant,
  JavaClass,
  jdkRegistry,
  LocalDate,
  LocalDateTime,
  Locale,
  LocalTime,
  MonthDay,
  OffsetDateTime,
  OffsetTime,
  Period,
  registerJdkTypes,
  SqlDate,
  SqlTime,
  SqlTimestamp,
  UUID,
  Year,
  YearMonth,
  ZonedDateTime,
  ZoneId,
  ZoneOffset,
} from './jdk-types.js';
