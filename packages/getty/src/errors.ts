/**
 * Error codes of @dubbo-ts/getty. Every code is stable: match on `err.code`, never on the message.
 */
export const GETTY_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  GETTY_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
} as const;

/** A code of {@link GettyError}. */
export type GettyErrorCode = keyof typeof GETTY_ERROR_CODES;

/** Base class of every error @dubbo-ts/getty throws. */
export class GettyError extends Error {
  /** Stable machine-readable code, e.g. `GETTY_ERR_INVALID_ARG`. */
  readonly code: GettyErrorCode;

  constructor(code: GettyErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GettyError';
    this.code = code;
  }
}
