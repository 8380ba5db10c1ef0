/**
 * Error codes of @dubbo-ts/getty. Every code is stable: match on `err.code`, never on the message.
 */
export const GETTY_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  GETTY_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
  /** A write or send was attempted on a session that is closing or closed. */
  GETTY_ERR_SESSION_CLOSED: 'The session is closing or closed; the package was not written.',
  /** A package (or the bytes buffered while waiting for one) exceeded `maxPackageLength`. */
  GETTY_ERR_PACKAGE_TOO_LARGE: 'A package, or the bytes buffered while waiting for one, exceeded maxPackageLength.',
  /** The codec threw, or returned an impossible length, while decoding: the stream cannot be resynchronized. */
  GETTY_ERR_DECODE: 'The codec could not decode the incoming bytes; the session was closed.',
  /** The codec threw while encoding a package; that package was not written. */
  GETTY_ERR_ENCODE: 'The codec threw while encoding a package; the package was not written.',
  /** `onOpen` threw or returned an error, so the connection was refused. */
  GETTY_ERR_OPEN_REFUSED: 'EventListener.onOpen threw or returned an error, so the connection was refused.',
  /** Nothing was read from the peer for `readIdleTimeoutMs`. */
  GETTY_ERR_READ_TIMEOUT: 'Nothing was read from the peer within readIdleTimeoutMs; the session was closed.',
  /** A write did not flush within `writeTimeoutMs`. */
  GETTY_ERR_WRITE_TIMEOUT: 'A written package did not flush within writeTimeoutMs; the session was closed.',
  /** The peer reads too slowly: too many bytes are pending, so the write was refused. */
  GETTY_ERR_BACKPRESSURE: 'Too many bytes are pending towards a slow peer, so the write was refused.',
  /** The task pool refused to dispatch a received package (`err.pkg` holds it). */
  GETTY_ERR_DISPATCH_REJECTED: 'The task pool was full and refused to dispatch a received package.',
  /** A client had no open session to pick. */
  GETTY_ERR_NO_SESSION: 'The client has no open session to the server right now.',
  /** Connecting to the server failed or timed out. */
  GETTY_ERR_CONNECT: 'Connecting to the server failed or timed out.',
  /** The underlying socket reported an error. */
  GETTY_ERR_TRANSPORT: 'The underlying socket reported an error; the session was closed.',
  /** The server or client was already closed. */
  GETTY_ERR_ENDPOINT_CLOSED: 'The server or client is closed.',
} as const;

/** A code of {@link GettyError}. */
export type GettyErrorCode = keyof typeof GETTY_ERROR_CODES;

/** Base class of every error @dubbo-ts/getty throws. */
export class GettyError extends Error {
  /** Stable machine-readable code, e.g. `GETTY_ERR_INVALID_ARG`. */
  readonly code: GettyErrorCode;
  /** For `GETTY_ERR_DISPATCH_REJECTED`: the package that was not dispatched. */
  pkg?: unknown;

  constructor(code: GettyErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GettyError';
    this.code = code;
  }
}
