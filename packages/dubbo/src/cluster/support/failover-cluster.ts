import { getLogger, localIp } from '@dubbo-ts/gost';
import { DubboError, isRetryable } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { Cluster, ClusterOptions } from '../cluster.js';
import type { Directory } from '../directory.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { AbstractClusterInvoker } from './abstract-cluster-invoker.js';

/**
 * Java's default cluster, `failover`: a call that fails with a retryable error ({@link DubboError.retryable}: a
 * timeout, a lost or refused connection, a provider busy or closing) is tried again, up to `retries` more times
 * (the providers' `retries`, method level first, overridden by the reference's; default 2; a number `retries`
 * attachment overrides all), each time on a provider not tried yet in this call when there is one, the list read
 * again before each retry. A service exception, or a non-retryable error, ends the call at once.
 */
export const failoverCluster: Cluster = {
  join(directory: Directory, options: ClusterOptions): Invoker {
    return new FailoverClusterInvoker(directory, options);
  },
};

/** The invoker of {@link failoverCluster}. */
export class FailoverClusterInvoker extends AbstractClusterInvoker {
  protected doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const first = this.select(inv, list, null);
    const retries = retriesOf(inv, list[0]!);
    const p = this.attempt(first, inv, value);
    if (retries <= 0) return p;
    return p.then(undefined, (err: unknown) => this.retry(inv, value, err, first, retries, list.length));
  }

  private async retry(
    inv: RpcInvocation,
    value: boolean,
    err: unknown,
    first: ProviderInvoker,
    retries: number,
    listed: number,
  ): Promise<unknown> {
    if (!isRetryable(err)) throw err;
    const invoked: ProviderInvoker[] = [first];
    const errors: unknown[] = [err];
    for (let i = 1; i <= retries; i++) {
      const list = this.list(inv);
      listed = list.length;
      const p = this.select(inv, list, invoked);
      invoked.push(p);
      try {
        const r = await this.attempt(p, inv, value);
        getLogger().warn(
          `dubbo: ${this.url.serviceKey}.${inv.methodName} succeeded on ${p.url.address} after ${i} failed attempt(s); last error: ${(errors[errors.length - 1] as Error).message}`,
        );
        return r;
      } catch (e) {
        if (!isRetryable(e)) throw e;
        errors.push(e);
      }
    }
    throw failedError(this.url.serviceKey ?? '', inv, invoked, listed, errors[errors.length - 1] as DubboError);
  }
}

function retriesOf(inv: RpcInvocation, first: ProviderInvoker): number {
  const a = inv.getAttachment('retries');
  if (typeof a === 'number' && Number.isInteger(a)) return a;
  return first.settings(settingsNameOf(inv)).retries;
}

/** Java's "Failed to invoke the method ... Tried N times" error, with the last error's code and as cause. */
function failedError(
  service: string,
  inv: RpcInvocation,
  invoked: readonly ProviderInvoker[],
  listed: number,
  last: DubboError,
): DubboError {
  const addresses = [...new Set(invoked.map((i) => i.url.address))];
  return new DubboError(
    last.code,
    `Failed to invoke the method ${inv.methodName} in the service ${service}. Tried ${invoked.length} times of the providers [${addresses.join(', ')}] (${addresses.length}/${listed}) on the consumer ${localIp()}. Last error is: ${last.message}`,
    { cause: last, retryable: last.retryable },
  );
}
