import type { RpcInvocation } from '../rpc/invocation.js';
import type { RpcResult } from '../rpc/result.js';

/** Runs one call: resolves with its result (value or service exception); rejects on RPC failures. */
export type Invoker = (inv: RpcInvocation) => Promise<RpcResult>;

/**
 * Wraps an invoker (Java's `Filter`): `(next) => async (inv) => { ...before; const r = await next(inv); ...after; return r }`.
 * Built once per reference or exported service, never per call.
 */
export type Filter = (next: Invoker) => Invoker;

/** Chains filters around `last`; the first filter of the list is the outermost (runs first). */
export function buildInvokerChain(filters: readonly Filter[] | undefined, last: Invoker): Invoker {
  let invoker = last;
  if (filters === undefined) return invoker;
  for (let i = filters.length - 1; i >= 0; i--) invoker = filters[i]!(invoker);
  return invoker;
}
