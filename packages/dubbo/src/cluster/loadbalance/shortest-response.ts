import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { InvokerStats, ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { pickWeighted } from './pick.js';

/** Java's default slide period of `shortestresponse`. */
const SLIDE_PERIOD_MS = 30_000;

interface Window {
  succeeded: number;
  elapsed: number;
}

/**
 * Java's `shortestresponse`: the providers with the shortest estimated response, the mean time of the successful
 * calls in the current 30 s window (whole ms, as Java's long division) times (calls in flight + 1); a lone one as
 * is, several by weight. The window restarts every 30 s.
 */
export class ShortestResponseLoadBalance implements LoadBalance {
  readonly readsElapsed = true;
  private readonly windows = new Map<InvokerStats, Window>();
  private lastReset: number;

  /**
   * @param random - Uniform in [0, 1). @defaultValue `Math.random`
   * @param clock - Wall-clock ms (window, warm-up). @defaultValue `Date.now`
   * @param slidePeriodMs - @defaultValue 30000
   */
  constructor(
    private readonly random: () => number = Math.random,
    private readonly clock: () => number = Date.now,
    private readonly slidePeriodMs = SLIDE_PERIOD_MS,
  ) {
    this.lastReset = clock();
  }

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    const now = this.clock();
    const picked = pickWeighted(invokers, inv, (i) => this.estimate(i.stats), this.random, now);
    if (now - this.lastReset > this.slidePeriodMs) {
      this.lastReset = now;
      for (const [stats, w] of this.windows) {
        w.succeeded = stats.total - stats.failed;
        w.elapsed = stats.succeededElapsedMs;
      }
    }
    return picked;
  }

  private estimate(stats: InvokerStats): number {
    let w = this.windows.get(stats);
    if (w === undefined) {
      w = { succeeded: stats.total - stats.failed, elapsed: stats.succeededElapsedMs };
      this.windows.set(stats, w);
    }
    const ok = stats.total - stats.failed - w.succeeded;
    const mean = ok === 0 ? 0 : Math.floor((stats.succeededElapsedMs - w.elapsed) / ok);
    return mean * (stats.active + 1);
  }
}
