import { getLogger } from '@dubbo-ts/gost';
import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import { RpcResult } from '../../rpc/result.js';
import type { Cluster, ClusterOptions } from '../cluster.js';
import type { Directory } from '../directory.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { AbstractClusterInvoker } from './abstract-cluster-invoker.js';

/** Whether `err` is a service exception (what the provider's method threw), as opposed to an RPC failure. */
export function isServiceException(err: unknown): boolean {
  return !(err instanceof DubboError);
}

/** An empty result in the path asked for: `null` (value path) or an `RpcResult` of `null`. */
export function emptyResult(value: boolean): unknown {
  return value ? null : new RpcResult(null);
}

function cluster(make: (d: Directory, o: ClusterOptions) => Invoker): Cluster {
  return { join: make };
}

/** Java's `failfast`: one attempt; its error as it is (non-idempotent writes). */
export class FailfastClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    return this.attempt(this.select(inv, list, null), inv, value);
  }
}

/** Java's `failsafe`: one attempt; an RPC failure is logged and the call resolves empty (`null`). */
export class FailsafeClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    return this.attempt(this.select(inv, list, null), inv, value).catch((err: unknown) => {
      if (isServiceException(err)) throw err;
      getLogger().warn(`dubbo: failsafe ignored the failure of ${inv.methodName}: ${(err as Error).message}`);
      return emptyResult(value);
    });
  }
}

/** Java's `available`: the first available provider, no balancer; `DUBBO_ERR_NO_PROVIDER` when none is. */
export class AvailableClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    for (const p of list) if (p.isAvailable()) return this.attempt(p, inv, value);
    return Promise.reject(
      new DubboError(
        'DUBBO_ERR_NO_PROVIDER',
        `No provider available in [${list.map((p) => p.url.address).join(', ')}]`,
      ),
    );
  }
}

/**
 * Java's `forking`: the call goes to `forks` (default 2) providers at once (all when there are fewer); the first
 * answer wins (a service exception is an answer); when all fail, the last error; bounded by the call timeout.
 */
export class ForkingClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const forks = intParam(list[0]!, inv, 'forks', 2);
    let selected: ProviderInvoker[];
    if (forks <= 0 || forks >= list.length) selected = [...list];
    else {
      selected = [];
      for (let i = 0; i < forks; i++) {
        const p = this.select(inv, list, selected);
        if (!selected.includes(p)) selected.push(p);
      }
    }
    const timeout = intParam(list[0]!, inv, 'timeout', 1000);
    return new Promise((resolve, reject) => {
      let failed = 0;
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(new DubboError('DUBBO_ERR_CLIENT_TIMEOUT', `forking ${inv.methodName}: no answer within ${timeout} ms`));
      }, timeout);
      timer.unref?.();
      for (const p of selected) {
        this.attempt(p, inv, value).then(
          (r) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(r);
          },
          (err: unknown) => {
            if (settled) return;
            if (isServiceException(err)) {
              settled = true;
              clearTimeout(timer);
              reject(err);
              return;
            }
            if (++failed >= selected.length) {
              settled = true;
              clearTimeout(timer);
              reject(err);
            }
          },
        );
      }
    });
  }
}

/**
 * Java's `broadcast`: every provider in turn; a failure (RPC or service exception) is remembered and the last one
 * thrown at the end; `broadcast.fail.percent` (default 100) stops early once that share of providers failed. A
 * service exception is thrown wrapped, as Java 3.3 wraps it in an `RpcException` (its `getRpcException`): a
 * `DubboError` `DUBBO_ERR_SERVICE_ERROR`, not retryable, with the exception's message and the exception as `cause`
 * (so a `fail:` mock answers it, as Java's does).
 */
export class BroadcastClusterInvoker extends AbstractClusterInvoker {
  protected async doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const percent = Math.min(100, Math.max(0, intParam(list[0]!, inv, 'broadcast.fail.percent', 100)));
    const threshold = Math.trunc((list.length * percent) / 100);
    let failures = 0;
    let last: unknown;
    let result: RpcResult | null = null;
    for (const p of list) {
      try {
        const r = (await this.attempt(p, inv, false)) as RpcResult;
        result = r;
        if (r.exception === null) continue;
        last = r.exception;
      } catch (err) {
        last = err;
      }
      failures++;
      if (failures === threshold) break;
    }
    if (last !== undefined) {
      if (!isServiceException(last)) throw last;
      throw new DubboError('DUBBO_ERR_SERVICE_ERROR', (last as Error).message, { cause: last, retryable: false });
    }
    return value ? (result?.value ?? null) : (result ?? new RpcResult(null));
  }
}

/** A cluster's integer setting for this method, from the first provider's merged URL. */
export function intParam(p: ProviderInvoker, inv: RpcInvocation, key: string, def: number): number {
  const raw = p.url.getMethodParameter(settingsNameOf(inv), key);
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.trunc(n) : def;
}

/** Java's `failfast`. */
export const failfastCluster = cluster((d, o) => new FailfastClusterInvoker(d, o));
/** Java's `failsafe`. */
export const failsafeCluster = cluster((d, o) => new FailsafeClusterInvoker(d, o));
/** Java's `available`. */
export const availableCluster = cluster((d, o) => new AvailableClusterInvoker(d, o));
/** Java's `forking`. */
export const forkingCluster = cluster((d, o) => new ForkingClusterInvoker(d, o));
/** Java's `broadcast`. */
export const broadcastCluster = cluster((d, o) => new BroadcastClusterInvoker(d, o));
