import { JavaException } from '@dubbo-ts/hessian2';
import { DubboError } from '../errors.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { settingsNameOf } from '../rpc/method-name.js';

/** Which limit refused a call. */
export type LimitKind = 'tps' | 'executes' | 'actives' | 'circuit' | 'adaptive';

/** What refused one call: handed to a {@link RejectedExecutionHandler}, carried by {@link LimitExceededError}. */
export interface Rejection {
  /** The limit that refused it. */
  readonly kind: LimitKind;
  /** The Java interface (or path) of the service. */
  readonly service: string;
  /** The method called. */
  readonly method: string;
  /** The limit in words, e.g. `10 per 1000 ms (fixedWindow)`, `executes=4`. */
  readonly limit: string;
  /** Where the limit sits. */
  readonly side: 'provider' | 'consumer';
}

/**
 * A call refused by a flow-control limit (`DUBBO_ERR_LIMIT_EXCEEDED`), naming the service, method and limit.
 * Retryable: the limit belongs to one provider (or one reference's own budget, checked before the cluster, where
 * there is nothing to retry). A TS consumer gets it for a TS or Java provider's TPS or `executes` refusal too.
 */
export class LimitExceededError extends DubboError implements Rejection {
  readonly kind: LimitKind;
  readonly service: string;
  readonly method: string;
  readonly limit: string;
  readonly side: 'provider' | 'consumer';

  constructor(rejection: Rejection, message: string = describeRejection(rejection), options?: ErrorOptions) {
    super('DUBBO_ERR_LIMIT_EXCEEDED', message, options);
    this.name = 'LimitExceededError';
    this.kind = rejection.kind;
    this.service = rejection.service;
    this.method = rejection.method;
    this.limit = rejection.limit;
    this.side = rejection.side;
  }
}

/**
 * The message of a refusal. TPS: Java's `TpsLimitFilter` sentence (`Failed to invoke service S.m because exceed
 * max service tps.`) with the limit after it; other kinds name the limit the same way.
 */
export function describeRejection(r: Rejection): string {
  switch (r.kind) {
    case 'tps':
      return `Failed to invoke service ${r.service}.${r.method} because exceed max service tps. Limit: ${r.limit} (${r.side}).`;
    case 'executes':
      return `Failed to invoke method ${r.method} in provider of ${r.service}, cause: The service using threads greater than <dubbo:service executes="${r.limit}" /> limited.`;
    default:
      return `Failed to invoke service ${r.service}.${r.method}: refused by the ${r.kind} limit ${r.limit} (${r.side}).`;
  }
}

const RPC_EXCEPTION = 'org.apache.dubbo.rpc.RpcException';
const LEGACY_RPC_EXCEPTION = 'com.alibaba.dubbo.rpc.RpcException';
/** Java's `RpcException.LIMIT_EXCEEDED_EXCEPTION`. */
const LIMIT_EXCEEDED_CODE = 7;
const TPS_SENTENCE = 'exceed max service tps';

/**
 * The exception a provider sends for a TPS refusal, as Java's `TpsLimitFilter` returns it: an
 * `org.apache.dubbo.rpc.RpcException` (code 0) in an OK response, so a Java consumer's proxy throws exactly what
 * Java's own limiter gives (and Java's failover does not retry it: a result, not a thrown failure).
 */
export function toJavaTpsException(err: LimitExceededError): JavaException {
  return new JavaException(RPC_EXCEPTION, err.message, { fields: { code: 0 } });
}

/**
 * The message of an `executes` refusal on the wire: Java's `ExecuteLimitFilter` throws, and Java's server answers
 * status 70 (SERVICE_ERROR) with the exception printed (`org.apache.dubbo.rpc.RpcException: ...`).
 */
export function toJavaExecutesMessage(err: LimitExceededError): string {
  return `${RPC_EXCEPTION}: ${err.message}`;
}

/**
 * @internal A consumer's view of a provider's refusal: the {@link LimitExceededError} for an exception Java's (or
 * our) TPS limiter returns (an `RpcException` saying `exceed max service tps`, or with code 7), else `null`.
 */
export function limitErrorOfException(e: Error, inv: RpcInvocation): LimitExceededError | null {
  if (!(e instanceof JavaException)) return null;
  if (e.javaClass !== RPC_EXCEPTION && e.javaClass !== LEGACY_RPC_EXCEPTION) return null;
  const tps = e.message.includes(TPS_SENTENCE);
  if (!tps && e.fields.code !== LIMIT_EXCEEDED_CODE) return null;
  return new LimitExceededError(
    {
      kind: tps ? 'tps' : 'executes',
      service: inv.path,
      method: settingsNameOf(inv),
      limit: 'the provider',
      side: 'provider',
    },
    e.message,
    { cause: e },
  );
}

/**
 * @internal A consumer's view of a status-70 answer: the {@link LimitExceededError} when it is Java's (or our)
 * `executes` refusal (`RpcException: ... executes="N" /> limited.`), else `null`.
 */
export function limitErrorOfStatusMessage(
  message: string,
  inv: RpcInvocation,
  cause: Error,
): LimitExceededError | null {
  if (!message.startsWith(`${RPC_EXCEPTION}: `) && !message.startsWith(`${LEGACY_RPC_EXCEPTION}: `)) return null;
  const line = message.slice(message.indexOf(': ') + 2).split('\n', 1)[0]!;
  const m = /executes="(\d+)" \/> limited\./.exec(line);
  const ours = m === null ? /refused by the (tps|executes|actives|circuit|adaptive) limit (\S+)/.exec(line) : null;
  if (m === null && ours === null) return null;
  return new LimitExceededError(
    {
      kind: m !== null ? 'executes' : (ours![1] as LimitKind),
      service: inv.path,
      method: settingsNameOf(inv),
      limit: m !== null ? m[1]! : ours![2]!,
      side: 'provider',
    },
    line,
    { cause },
  );
}
