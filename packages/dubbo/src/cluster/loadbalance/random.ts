import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { getWeight } from './weight.js';

/**
 * Java's default `random`: uniform when the first provider's URL has neither `weight` nor `timestamp`, or when
 * all weights are equal; otherwise weighted (prefix sums, an offset drawn in [0, total), the first provider whose
 * sum exceeds it), with the warm-up ramp of {@link getWeight}.
 */
export class RandomLoadBalance implements LoadBalance {
  private weights = new Float64Array(16);

  /**
   * @param random - Uniform in [0, 1) (tests inject a seeded one). @defaultValue `Math.random`
   * @param clock - Wall-clock ms for the warm-up. @defaultValue `Date.now`
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly clock: () => number = Date.now,
  ) {}

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    const n = invokers.length;
    if (n === 1 || !invokers[0]!.settings(settingsNameOf(inv)).weighted) {
      return invokers[Math.floor(this.random() * n)]!;
    }
    if (this.weights.length < n) this.weights = new Float64Array(n * 2);
    const sums = this.weights;
    const now = this.clock();
    let total = 0;
    let same = true;
    for (let i = 0; i < n; i++) {
      const w = getWeight(invokers[i]!, inv, now);
      total += w;
      sums[i] = total;
      if (same && total !== w * (i + 1)) same = false;
    }
    if (total > 0 && !same) {
      const offset = Math.floor(this.random() * total);
      for (let i = 0; i < n; i++) if (offset < sums[i]!) return invokers[i]!;
    }
    return invokers[Math.floor(this.random() * n)]!;
  }
}
