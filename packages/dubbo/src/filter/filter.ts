import type { RpcInvocation } from '../rpc/invocation.js';
import type { RpcResult } from '../rpc/result.js';

/** Runs one call: resolves with its result (value or service exception); rejects on RPC failures. */
export type Invoke = (inv: RpcInvocation) => Promise<RpcResult>;

/**
 * Wraps a call (Java's `Filter`): `(next) => async (inv) => { ...before; const r = await next(inv); ...after; return r }`.
 * Built once per reference, provider invoker or exported service, never per call.
 */
export type Filter = (next: Invoke) => Invoke;

/** Chains filters around `last`; the first filter of the list is the outermost (runs first). */
export function buildInvokerChain(filters: readonly Filter[] | undefined, last: Invoke): Invoke {
  let invoke = last;
  if (filters === undefined) return invoke;
  for (let i = filters.length - 1; i >= 0; i--) invoke = filters[i]!(invoke);
  return invoke;
}
