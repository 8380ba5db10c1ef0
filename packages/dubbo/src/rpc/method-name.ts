import type { RpcInvocation } from './invocation.js';

/**
 * The method whose settings (`m.timeout`, `m.retries`, `m.weight`...) apply to a call: a generic call's target
 * method (the first argument of `$invoke`), else the method called, as Java's `RpcUtils.getMethodName`.
 */
export function settingsNameOf(inv: RpcInvocation): string {
  const name = inv.methodName;
  if ((name === '$invoke' || name === '$invokeAsync') && typeof inv.arguments[0] === 'string') {
    return inv.arguments[0];
  }
  return name;
}
