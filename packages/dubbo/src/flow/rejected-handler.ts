import { getLogger } from '@dubbo-ts/gost';
import { ExtensionRegistry } from '../common/extensions.js';
import type { DubboUrl } from '../common/url.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { RpcResult } from '../rpc/result.js';
import { LimitExceededError, type Rejection } from './limit-error.js';

/**
 * What happens to a call a limit refused (dubbo-go's `RejectedExecutionHandler`): answer it (a result: a value or
 * a service exception) or throw (an RPC failure, usually a {@link LimitExceededError}). Chosen by name with
 * `tps.limit.rejected.handler` (and `execute.limit.rejected.handler`) from `rejectedExecutionHandlers`.
 */
export interface RejectedExecutionHandler {
  /** Answers the refused call `inv` of the service at `url`. */
  rejected(url: DubboUrl, inv: RpcInvocation, rejection: Rejection): RpcResult | Promise<RpcResult>;
}

/** Java's behaviour: the call fails at once with a {@link LimitExceededError} naming service, method and limit. */
export const failfastHandler: RejectedExecutionHandler = {
  rejected(_url, _inv, rejection) {
    throw new LimitExceededError(rejection);
  },
};

/**
 * dubbo-go's `log` (and `default`) handler: logs the refusal (at most one line a second, with the count of those
 * not logged) and answers an empty result (`null`) with no error.
 */
export function logOnlyHandler(clock: () => number = Date.now): RejectedExecutionHandler {
  let lastLog = Number.NEGATIVE_INFINITY;
  let quiet = 0;
  return {
    rejected(_url, _inv, r) {
      const now = clock();
      if (now - lastLog >= 1000) {
        const more = quiet > 0 ? ` (${quiet} more since the last line)` : '';
        getLogger().warn(`flow control: ${r.service}.${r.method} refused by ${r.kind} ${r.limit}${more}`);
        lastLog = now;
        quiet = 0;
      } else {
        quiet++;
      }
      return new RpcResult(null);
    },
  };
}

/**
 * A handler answering refused calls with a fallback value: `value`, or what `value(inv, rejection)` returns.
 * Register it by name to use it from a key:
 *
 * ```ts
 * rejectedExecutionHandlers.register('busy', fallbackHandler('try later'));
 * ```
 */
export function fallbackHandler(value: (inv: RpcInvocation, rejection: Rejection) => unknown): RejectedExecutionHandler;
export function fallbackHandler(value: unknown): RejectedExecutionHandler;
export function fallbackHandler(value: unknown): RejectedExecutionHandler {
  return {
    rejected(_url, inv, rejection) {
      const v =
        typeof value === 'function' ? (value as (i: RpcInvocation, r: Rejection) => unknown)(inv, rejection) : value;
      return new RpcResult(v === undefined ? null : v);
    },
  };
}

/**
 * The rejection handlers by name (`tps.limit.rejected.handler`, `execute.limit.rejected.handler`). Built in:
 * `failfast` (the default when the key is unset: Java's behaviour), `log` and `default` (dubbo-go's names for its
 * log-only handler: an empty result, no error). Add one with `rejectedExecutionHandlers.register('name', handler)`
 * (see {@link fallbackHandler}).
 */
export const rejectedExecutionHandlers = new ExtensionRegistry<RejectedExecutionHandler>('rejected execution handler', {
  failfast: failfastHandler,
  log: logOnlyHandler(),
  default: logOnlyHandler(),
});
