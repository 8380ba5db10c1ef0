/**
 * Error codes of @dubbo-ts/gost. Every code is stable: match on `err.code`, never on the message.
 */
export const GOST_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  GOST_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
} as const;

/** A code of {@link GostError}. */
export type GostErrorCode = keyof typeof GOST_ERROR_CODES;

/** Base class of every error @dubbo-ts/gost throws. */
export class GostError extends Error {
  /** Stable machine-readable code, e.g. `GOST_ERR_INVALID_ARG`. */
  readonly code: GostErrorCode;

  constructor(code: GostErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GostError';
    this.code = code;
  }
}
