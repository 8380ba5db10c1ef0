import { DubboError, type DubboErrorCode, type DubboErrorOptions } from '../../errors.js';

/**
 * The status byte of a dubbo-protocol response header (byte 3), as Java's
 * `org.apache.dubbo.remoting.exchange.Response` defines it. Only {@link ResponseStatus.OK} carries a body
 * that is a result; every other status carries an error message string.
 */
export enum ResponseStatus {
  /** The call completed; the body is a result (value, exception or null, with or without attachments). */
  OK = 20,
  /** The request or response could not be serialized. */
  SERIALIZATION_ERROR = 25,
  /** The consumer gave up waiting (set locally, never sent by a provider). */
  CLIENT_TIMEOUT = 30,
  /** The provider ran past the call timeout. */
  SERVER_TIMEOUT = 31,
  /** The channel went inactive while the request was pending (set locally). */
  CHANNEL_INACTIVE = 35,
  /** The provider could not decode the request. */
  BAD_REQUEST = 40,
  /** The response could not be encoded or decoded. */
  BAD_RESPONSE = 50,
  /** No such service (or method) is exported. */
  SERVICE_NOT_FOUND = 60,
  /** The service failed outside the method body. */
  SERVICE_ERROR = 70,
  /** Internal error of the provider. */
  SERVER_ERROR = 80,
  /** Internal error of the consumer. */
  CLIENT_ERROR = 90,
  /** The provider's worker pool is exhausted; the call was refused at once. */
  SERVER_THREADPOOL_EXHAUSTED_ERROR = 100,
}

const STATUS_TO_CODE: ReadonlyMap<number, DubboErrorCode> = new Map<number, DubboErrorCode>([
  [ResponseStatus.SERIALIZATION_ERROR, 'DUBBO_ERR_SERIALIZATION'],
  [ResponseStatus.CLIENT_TIMEOUT, 'DUBBO_ERR_CLIENT_TIMEOUT'],
  [ResponseStatus.SERVER_TIMEOUT, 'DUBBO_ERR_SERVER_TIMEOUT'],
  [ResponseStatus.CHANNEL_INACTIVE, 'DUBBO_ERR_CHANNEL_INACTIVE'],
  [ResponseStatus.BAD_REQUEST, 'DUBBO_ERR_BAD_REQUEST'],
  [ResponseStatus.BAD_RESPONSE, 'DUBBO_ERR_BAD_RESPONSE'],
  [ResponseStatus.SERVICE_NOT_FOUND, 'DUBBO_ERR_SERVICE_NOT_FOUND'],
  [ResponseStatus.SERVICE_ERROR, 'DUBBO_ERR_SERVICE_ERROR'],
  [ResponseStatus.SERVER_ERROR, 'DUBBO_ERR_SERVER_ERROR'],
  [ResponseStatus.CLIENT_ERROR, 'DUBBO_ERR_CLIENT_ERROR'],
  [ResponseStatus.SERVER_THREADPOOL_EXHAUSTED_ERROR, 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED'],
]);

const CODE_TO_STATUS: ReadonlyMap<DubboErrorCode, ResponseStatus> = new Map(
  [...STATUS_TO_CODE].map(([status, code]) => [code, status as ResponseStatus]),
);

/**
 * Whether `status` is a status byte Java Dubbo defines.
 *
 * @param status - The header byte, 0..255.
 */
export function isKnownResponseStatus(status: number): status is ResponseStatus {
  return status === ResponseStatus.OK || STATUS_TO_CODE.has(status);
}

/**
 * The {@link DubboError} code that a non-OK status maps to. An unknown byte maps to `DUBBO_ERR_UNKNOWN_STATUS`.
 *
 * @param status - A response status other than {@link ResponseStatus.OK}.
 * @throws DubboError `DUBBO_ERR_INVALID_ARG` when `status` is OK (OK is not an error).
 */
export function statusToErrorCode(status: number): DubboErrorCode {
  if (status === ResponseStatus.OK) {
    throw new DubboError('DUBBO_ERR_INVALID_ARG', 'status OK (20) is not an error');
  }
  return STATUS_TO_CODE.get(status) ?? 'DUBBO_ERR_UNKNOWN_STATUS';
}

/**
 * The status byte a provider writes for an error of the given code, e.g. when a TS provider answers
 * a request it cannot decode. Codes with no wire status map to {@link ResponseStatus.SERVER_ERROR}.
 *
 * @param code - A {@link DubboError} code.
 */
export function errorCodeToStatus(code: DubboErrorCode): ResponseStatus {
  return CODE_TO_STATUS.get(code) ?? ResponseStatus.SERVER_ERROR;
}

/**
 * A {@link DubboError} raised for a response whose status is not OK; keeps the wire status byte.
 * The message is the error string the peer sent (Java writes one for every non-OK status).
 */
export class DubboStatusError extends DubboError {
  /** The response status byte as received (or set locally for timeouts). */
  readonly status: number;

  constructor(status: number, message: string, options?: DubboErrorOptions) {
    super(statusToErrorCode(status), message, options);
    this.name = 'DubboStatusError';
    this.status = status;
  }
}

/**
 * Builds the typed error of a non-OK response.
 *
 * @param status - The response status byte (not OK).
 * @param errorMessage - The error string of the response body; a default naming the status is used when absent.
 */
export function errorFromStatus(status: number, errorMessage?: string | null): DubboStatusError {
  const name = isKnownResponseStatus(status) ? ResponseStatus[status] : `status ${status}`;
  return new DubboStatusError(status, errorMessage ? errorMessage : `dubbo response ${name}`);
}
