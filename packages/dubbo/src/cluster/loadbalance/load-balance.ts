import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { ProviderInvoker } from '../provider-invoker.js';

/**
 * Chooses the provider of one call among several (Java's `LoadBalance`). Called with at least two providers (a
 * cluster takes a lone provider without asking). One instance per reference, so a stateful balancer (round robin)
 * keeps its state per reference.
 */
export interface LoadBalance {
  /** Whether it reads response times (`stats.ewmaElapsedMs`...): the cluster then has its providers timed. */
  readonly readsElapsed?: boolean;
  /** One of `invokers` (non-empty) for `inv`; `url` is the consumer URL. */
  select(invokers: readonly ProviderInvoker[], url: DubboUrl, inv: RpcInvocation): ProviderInvoker;
}

/** Makes a balancer for one reference. */
export type LoadBalanceFactory = () => LoadBalance;
