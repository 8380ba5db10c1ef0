import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { InvokerStats, ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { getWeight } from './weight.js';

/** Two distinct random indexes below `n` (n >= 2). */
function two(n: number, random: () => number): [number, number] {
  if (n === 2) return [0, 1];
  const i = Math.floor(random() * n);
  let j = Math.floor(random() * (n - 1));
  if (j >= i) j++;
  return [i, j];
}

/**
 * dubbo-go's `p2c` (power of two choices): two providers drawn at random, the less loaded one taken. dubbo-go
 * compares the remaining capacity its providers report (hill-climbing limiter); we compare what the consumer
 * measures, calls in flight + 1 times the moving average response time, so it works against any provider.
 */
export class P2cLoadBalance implements LoadBalance {
  readonly readsElapsed = true;
  /** @param random - Uniform in [0, 1). @defaultValue `Math.random` */
  constructor(private readonly random: () => number = Math.random) {}

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, _inv: RpcInvocation): ProviderInvoker {
    const [i, j] = two(invokers.length, this.random);
    const a = invokers[i]!;
    const b = invokers[j]!;
    return load(b.stats) < load(a.stats) ? b : a;
  }
}

function load(s: InvokerStats): number {
  return (s.active + 1) * (s.ewmaElapsedMs + 1);
}

/**
 * Java's `adaptive`: two providers drawn at random, the lower load taken, load = cpu × (√ewma + 1) × (calls in
 * flight + 1) / (success rate × weight + 1), equal loads split by weight. Java's cpu is what its providers report
 * (`lb_adaptive` attachments of its ProfilerServerFilter); we take it as 1, so the load is the consumer's own view.
 */
export class AdaptiveLoadBalance implements LoadBalance {
  readonly readsElapsed = true;
  /**
   * @param random - Uniform in [0, 1). @defaultValue `Math.random`
   * @param clock - Wall-clock ms for the warm-up. @defaultValue `Date.now`
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly clock: () => number = Date.now,
  ) {}

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    const [i, j] = two(invokers.length, this.random);
    const a = invokers[i]!;
    const b = invokers[j]!;
    const now = this.clock();
    const wa = getWeight(a, inv, now);
    const wb = getWeight(b, inv, now);
    const la = adaptiveLoad(a.stats, wa);
    const lb = adaptiveLoad(b.stats, wb);
    if (la === lb) {
      const total = wa + wb;
      if (total > 0) return Math.floor(this.random() * total) < wa ? a : b;
      return this.random() < 0.5 ? a : b;
    }
    return la > lb ? b : a;
  }
}

function adaptiveLoad(s: InvokerStats, weight: number): number {
  const success = (s.total - s.failed) / (s.total + 1);
  return ((Math.sqrt(s.ewmaElapsedMs) + 1) * (s.active + 1)) / (success * weight + 1);
}
