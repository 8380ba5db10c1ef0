/**
 * Error codes of @dubbo-ts/hessian2. Every code is stable: match on `err.code`, never on the message.
 */
export const HESSIAN_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  HESSIAN_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
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
