import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { pickWeighted } from './pick.js';

/**
 * Java's `leastactive`: the providers with the fewest calls in flight (our `stats.active`, counted always; Java
 * counts them only with `actives` set, so there it is random without it), a lone one as is, several by weight
 * (random when their weights are equal).
 */
export class LeastActiveLoadBalance implements LoadBalance {
  /**
   * @param random - Uniform in [0, 1). @defaultValue `Math.random`
   * @param clock - Wall-clock ms for the warm-up. @defaultValue `Date.now`
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly clock: () => number = Date.now,
  ) {}

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    return pickWeighted(invokers, inv, (i) => i.stats.active, this.random, this.clock());
  }
}
