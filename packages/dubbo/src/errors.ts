/**
 * Error codes of @dubbo-ts/dubbo. Every code is stable: match on `err.code`, never on the message.
 */
export const DUBBO_ERROR_CODES = {
  /** An argument or option given to a public API was invalid. */
  DUBBO_ERR_INVALID_ARG: 'An argument or option given to a public API was invalid.',
  /** A Dubbo URL string could not be parsed (missing protocol, bad port, password without username...). */
  DUBBO_ERR_URL_INVALID:
    'A Dubbo URL string could not be parsed (missing protocol, bad port, password without username...).',
  /** A percent-encoded string had a truncated or non-hex escape (java.net.URLDecoder would throw too). */
  DUBBO_ERR_URL_DECODE:
    'A percent-encoded string had a truncated or non-hex escape (java.net.URLDecoder would throw too).',
  /** A URL parameter read through a typed getter (int, number, positive...) did not hold a value of that type. */
  DUBBO_ERR_URL_PARAMETER:
    'A URL parameter read through a typed getter (int, number, positive...) did not hold a value of that type.',
  /** Wire status 30 (CLIENT_TIMEOUT): the consumer gave up waiting for the response within the call timeout. */
  DUBBO_ERR_CLIENT_TIMEOUT:
    'Wire status 30 (CLIENT_TIMEOUT): the consumer gave up waiting for the response within the call timeout.',
  /** Wire status 31 (SERVER_TIMEOUT): the provider reported that the call ran past its timeout. */
  DUBBO_ERR_SERVER_TIMEOUT:
    'Wire status 31 (SERVER_TIMEOUT): the provider reported that the call ran past its timeout.',
  /** Wire status 35 (CHANNEL_INACTIVE): the connection closed while the request was pending. */
  DUBBO_ERR_CHANNEL_INACTIVE: 'Wire status 35 (CHANNEL_INACTIVE): the connection closed while the request was pending.',
  /** Wire status 25 (SERIALIZATION_ERROR): the request or response could not be serialized. */
  DUBBO_ERR_SERIALIZATION: 'Wire status 25 (SERIALIZATION_ERROR): the request or response could not be serialized.',
  /** Wire status 40 (BAD_REQUEST): the provider could not decode the request. */
  DUBBO_ERR_BAD_REQUEST: 'Wire status 40 (BAD_REQUEST): the provider could not decode the request.',
  /** Wire status 50 (BAD_RESPONSE): the response could not be encoded or decoded. */
  DUBBO_ERR_BAD_RESPONSE: 'Wire status 50 (BAD_RESPONSE): the response could not be encoded or decoded.',
  /** Wire status 60 (SERVICE_NOT_FOUND): the provider exports no such service or method. */
  DUBBO_ERR_SERVICE_NOT_FOUND: 'Wire status 60 (SERVICE_NOT_FOUND): the provider exports no such service or method.',
  /**
   * Wire status 70 (SERVICE_ERROR): the service failed outside the method body (e.g. a filter threw); also a
   * `mock=throw` answer, and a broadcast call's service exception (wrapped as Java wraps it, the exception as `cause`).
   */
  DUBBO_ERR_SERVICE_ERROR:
    "Wire status 70 (SERVICE_ERROR): the service failed outside the method body (e.g. a filter threw); also a `mock=throw` answer, and a broadcast call's service exception (wrapped as Java wraps it, the exception as `cause`).",
  /** Wire status 80 (SERVER_ERROR): internal error of the provider while handling the request. */
  DUBBO_ERR_SERVER_ERROR: 'Wire status 80 (SERVER_ERROR): internal error of the provider while handling the request.',
  /** Wire status 90 (CLIENT_ERROR): internal error of the consumer while sending or receiving. */
  DUBBO_ERR_CLIENT_ERROR: 'Wire status 90 (CLIENT_ERROR): internal error of the consumer while sending or receiving.',
  /** Wire status 100 (SERVER_THREADPOOL_EXHAUSTED_ERROR): the provider refused the call, its workers are all busy. */
  DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED:
    'Wire status 100 (SERVER_THREADPOOL_EXHAUSTED_ERROR): the provider refused the call, its workers are all busy.',
  /** A response carried a status byte that no Dubbo version defines. */
  DUBBO_ERR_UNKNOWN_STATUS: 'A response carried a status byte that no Dubbo version defines.',
  /** A received frame did not start with the dubbo magic 0xdabb (the connection is closed). */
  DUBBO_ERR_BAD_MAGIC: 'A received frame did not start with the dubbo magic 0xdabb (the connection is closed).',
  /** A frame body exceeded the payload limit (8 MiB by default, as Java's `payload`). */
  DUBBO_ERR_PAYLOAD_LIMIT: "A frame body exceeded the payload limit (8 MiB by default, as Java's `payload`).",
  /** A service descriptor was invalid (bad Java type name, duplicate method...); checked when a service is exported or referred. */
  DUBBO_ERR_SERVICE_DESCRIPTOR:
    'A service descriptor was invalid (bad Java type name, duplicate method...); checked when a service is exported or referred.',
  /** The client or server was closed; calls made after (or pending at) close fail with this code. */
  DUBBO_ERR_CLOSED: 'The client or server was closed; calls made after (or pending at) close fail with this code.',
  /** No connection to the provider could be opened. */
  DUBBO_ERR_CONNECT: 'No connection to the provider could be opened.',
  /** A registry operation (register, subscribe, read) failed; it is retried in the background. */
  DUBBO_ERR_REGISTRY: 'A registry operation (register, subscribe, read) failed; it is retried in the background.',
  /** A registry operation did not complete within the registry `timeout`. */
  DUBBO_ERR_REGISTRY_TIMEOUT: 'A registry operation did not complete within the registry `timeout`.',
  /** The registry was destroyed; no more operations are accepted. */
  DUBBO_ERR_REGISTRY_CLOSED: 'The registry was destroyed; no more operations are accepted.',
  /** No registry is known for the protocol of the registry URL (call `registerBuiltinRegistries()`?). */
  DUBBO_ERR_REGISTRY_UNKNOWN:
    'No registry is known for the protocol of the registry URL (call `registerBuiltinRegistries()`?).',
  /** A service instance or mapping read from the registry could not be parsed. */
  DUBBO_ERR_REGISTRY_DATA: 'A service instance or mapping read from the registry could not be parsed.',
  /** A reference found no provider of its service in the registries within its wait. */
  DUBBO_ERR_NO_PROVIDER: 'A reference found no provider of its service in the registries within its wait.',
  /** No extension (cluster, load balance, router, protocol...) is registered under the name asked for. */
  DUBBO_ERR_UNKNOWN_EXTENSION:
    'No extension (cluster, load balance, router, protocol...) is registered under the name asked for.',
  /** A governance rule (condition, tag, override...) could not be parsed; it is refused and the rule in force stays. */
  DUBBO_ERR_RULE_INVALID:
    'A governance rule (condition, tag, override...) could not be parsed; it is refused and the rule in force stays.',
  /** A config center could not be read or written (unreachable, timed out, closed); watches retry by themselves. */
  DUBBO_ERR_CONFIG_CENTER:
    'A config center could not be read or written (unreachable, timed out, closed); watches retry by themselves.',
  /**
   * A flow-control limit refused the call before it ran (`tps`, `executes`, `actives`, an open circuit breaker);
   * retryable: another provider has its own budget.
   */
  DUBBO_ERR_LIMIT_EXCEEDED:
    'A flow-control limit refused the call before it ran (tps, executes, actives, an open circuit breaker); retryable: another provider has its own budget.',
  /** An application config was refused at start; the message lists every problem with its key path. */
  DUBBO_ERR_CONFIG: 'An application config was refused at start; the message lists every problem with its key path.',
} as const;

/**
 * The codes of RPC failures that say nothing about the service itself, so trying another provider may succeed:
 * timeouts, connections that failed or closed, a provider that refused for load or does not export the service.
 * Java's failover retries every non-business `RpcException`; we leave out the failures that would fail the same
 * way anywhere (the request cannot be encoded, is too large, the client itself is closed).
 */
const RETRYABLE: ReadonlySet<DubboErrorCode> = new Set<DubboErrorCode>([
  'DUBBO_ERR_CLIENT_TIMEOUT',
  'DUBBO_ERR_SERVER_TIMEOUT',
  'DUBBO_ERR_CHANNEL_INACTIVE',
  'DUBBO_ERR_CONNECT',
  'DUBBO_ERR_CLIENT_ERROR',
  'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
  'DUBBO_ERR_SERVICE_NOT_FOUND',
  'DUBBO_ERR_SERVER_ERROR',
  'DUBBO_ERR_LIMIT_EXCEEDED',
]);

/** Options of a {@link DubboError}. */
export interface DubboErrorOptions extends ErrorOptions {
  /** Whether another provider may succeed where this call failed. @defaultValue by code ({@link isRetryableCode}) */
  retryable?: boolean;
}

/**
 * Whether errors of `code` are retried on another provider by default: `DUBBO_ERR_CLIENT_TIMEOUT`,
 * `DUBBO_ERR_SERVER_TIMEOUT`, `DUBBO_ERR_CHANNEL_INACTIVE`, `DUBBO_ERR_CONNECT`, `DUBBO_ERR_CLIENT_ERROR`,
 * `DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED`, `DUBBO_ERR_SERVICE_NOT_FOUND`, `DUBBO_ERR_SERVER_ERROR` and
 * `DUBBO_ERR_LIMIT_EXCEEDED`.
 */
export function isRetryableCode(code: DubboErrorCode): boolean {
  return RETRYABLE.has(code);
}

/**
 * Whether a call that failed with `err` may be tried on another provider: a {@link DubboError} whose
 * {@link DubboError.retryable} is true. A service exception (what the provider's method threw) never is.
 */
export function isRetryable(err: unknown): boolean {
  return err instanceof DubboError && err.retryable;
}

/** A code of {@link DubboError}. */
export type DubboErrorCode = keyof typeof DUBBO_ERROR_CODES;

/** Base class of every error @dubbo-ts/dubbo throws. */
export class DubboError extends Error {
  /** Stable machine-readable code, e.g. `DUBBO_ERR_INVALID_ARG`. */
  readonly code: DubboErrorCode;
  /**
   * Whether the call may succeed on another provider, so failover tries one (an RPC failure: timeout, connection,
   * provider busy or closing). Defaults by code ({@link isRetryableCode}); a service exception is never a
   * `DubboError`, so it is never retried.
   */
  readonly retryable: boolean;

  constructor(code: DubboErrorCode, message: string, options?: DubboErrorOptions) {
    super(message, options);
    this.name = 'DubboError';
    this.code = code;
    this.retryable = options?.retryable ?? RETRYABLE.has(code);
  }
}
