/**
 * Error codes of @dubbo-ts/dubbo. Every code is stable: match on `err.code`, never on the message.
 */
export const DUBBO_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  DUBBO_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
} as const;

/** A code of {@link DubboError}. */
export type DubboErrorCode = keyof typeof DUBBO_ERROR_CODES;

/** Base class of every error @dubbo-ts/dubbo throws. */
export class DubboError extends Error {
  /** Stable machine-readable code, e.g. `DUBBO_ERR_INVALID_ARG`. */
  readonly code: DubboErrorCode;

  constructor(code: DubboErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DubboError';
    this.code = code;
  }
}
