import type { DubboUrl } from '../common/url.js';
import type { RpcInvocation } from './invocation.js';
import type { RpcResult } from './result.js';

/**
 * Told by the protocol when a call it runs starts and ends (the cluster's per-provider statistics), so counting
 * costs no promise of its own. `timed` says whether the elapsed time is wanted (a clock read per call otherwise
 * saved).
 */
export interface CallObserver {
  /** Whether to measure elapsed times. */
  readonly timed: boolean;
  /** A call started. */
  begin(): void;
  /** It ended: `elapsedMs` (0 when not timed); `succeeded` false for an RPC failure (a service exception is a success). */
  end(elapsedMs: number, succeeded: boolean): void;
}

/**
 * Something calls can be made on (Java's `Invoker`): one provider through a protocol, or a whole cluster of them.
 * Every layer of the consumer is one: the protocol's invoker of one provider, the directory's provider invoker
 * (filters and call statistics around it), the cluster invoker over a directory.
 */
export interface Invoker {
  /** The URL the invoker was made from (a provider's, merged with the reference's settings; or the consumer's). */
  readonly url: DubboUrl;
  /** Whether calls can be made now (connected, not destroyed, not closing). */
  isAvailable(): boolean;
  /**
   * Whether {@link invoke} and {@link call} report to the `observer` they are given (protocol invokers do);
   * otherwise the caller counts around the promise.
   */
  readonly observes?: boolean;
  /** Runs the call: resolves with its result (value or service exception); rejects on an RPC failure. */
  invoke(inv: RpcInvocation, observer?: CallObserver): Promise<RpcResult>;
  /**
   * The value path of {@link invoke}: resolves with the bare value and rejects with the service exception, so a
   * call without filters allocates no {@link RpcResult}. Absent: `invoke(inv)` then unwrapped.
   */
  call?(inv: RpcInvocation, observer?: CallObserver): Promise<unknown>;
  /** Resolves once the invoker's connection attempt settled (connected, or failed and retrying). Optional. */
  ready?(): Promise<void>;
  /** Releases what the invoker holds (its connection reference); calls after it fail. */
  destroy(): void | Promise<void>;
}

/** The value of a result, or its exception thrown. */
export function unwrapResult(r: RpcResult): unknown {
  if (r.exception !== null) throw r.exception;
  return r.value;
}

/** Calls `invoker` by its value path ({@link Invoker.call}) when it has one. */
export function callValue(invoker: Invoker, inv: RpcInvocation): Promise<unknown> {
  return invoker.call !== undefined ? invoker.call(inv) : invoker.invoke(inv).then(unwrapResult);
}
