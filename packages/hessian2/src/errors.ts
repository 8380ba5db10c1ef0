/**
 * Error codes of @dubbo-ts/hessian2. Every code is stable: match on `err.code`, never on the message.
 */
export const HESSIAN_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  HESSIAN_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
  /** The input ended before the value being decoded was complete. */
  HESSIAN_ERR_EOF: 'The input ended before the value being decoded was complete (truncated input).',
  /** A byte that starts no valid Hessian 2.0 production was met where a value was expected. */
  HESSIAN_ERR_BAD_TAG: 'A byte that starts no valid Hessian 2.0 production was met where a value was expected.',
  /** A string held malformed UTF-8 or a chunk did not continue a string or binary properly. */
  HESSIAN_ERR_BAD_STRING: 'A string held malformed UTF-8, or a string/binary chunk sequence was malformed.',
  /** A value, class-definition or type reference pointed at an entry that does not exist. */
  HESSIAN_ERR_BAD_REF: 'A value, class-definition or type reference pointed at an entry that does not exist.',
  /** The input was structurally invalid (wrong kind of value where a length, type or key was required). */
  HESSIAN_ERR_MALFORMED: 'The input was structurally invalid (wrong kind of value for a length, type name or field).',
  /** A decode limit (depth, collection size, total allocation) from the options was exceeded. */
  HESSIAN_ERR_LIMIT:
    'A decode limit (nesting depth, collection size or total allocation) from the options was exceeded.',
  /**
   * A JDK value arrived in a form that does not carry it, e.g. a `java.math.BigDecimal` written as its raw fields
   * (stock Caucho Hessian) whose `intVal` is null: its value lived in a transient field that was not written.
   */
  HESSIAN_ERR_INCOMPLETE_VALUE:
    'A JDK value arrived in a form that does not carry it (e.g. a BigDecimal as raw fields without intVal and scale).',
  /** A JavaScript value could not be encoded (unsupported type, out-of-range number for its Java type). */
  HESSIAN_ERR_ENCODE: 'A JavaScript value could not be encoded (unsupported type or out of range for its Java type).',
} as const;

/** A code of {@link HessianError}. */
export type HessianErrorCode = keyof typeof HESSIAN_ERROR_CODES;

/** Base class of every error @dubbo-ts/hessian2 throws. */
export class HessianError extends Error {
  /** Stable machine-readable code, e.g. `HESSIAN_ERR_INVALID_ARG`. */
  readonly code: HessianErrorCode;

  constructor(code: HessianErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HessianError';
    this.code = code;
  }
}

/** Thrown by every decode path on truncated, malformed or hostile input; carries the byte offset of the fault. */
export class HessianDecodeError extends HessianError {
  /** Offset, relative to the start of the decoded region, where the fault was detected. */
  readonly offset: number;

  constructor(code: HessianErrorCode, message: string, offset: number, options?: ErrorOptions) {
    super(code, `${message} (at offset ${offset})`, options);
    this.name = 'HessianDecodeError';
    this.offset = offset;
  }
}
