/**
 * Error codes of @dubbo-ts/gost. Every code is stable: match on `err.code`, never on the message.
 */
export const GOST_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  GOST_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
  /** A task pool queue was full and the pool is configured to reject. */
  GOST_ERR_POOL_FULL: 'Every queue of the task pool was full and the pool rejects instead of running in the caller.',
  /** A task was submitted to a task pool or limiter that was already closed. */
  GOST_ERR_POOL_CLOSED: 'A task was submitted to a task pool or concurrency limiter that was already closed.',
  /** A task was scheduled on a timing wheel that was already stopped. */
  GOST_ERR_WHEEL_STOPPED: 'A task was scheduled on a timing wheel that was already stopped.',
  /** A read asked for more bytes than a byte reader holds. */
  GOST_ERR_BUFFER_UNDERFLOW: 'A read asked for more bytes than the byte reader holds.',
  /** No free port or usable local address could be found. */
  GOST_ERR_NET: 'No free port or usable local network address could be found.',
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
