import type { RpcInvocation } from '../../rpc/invocation.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { getWeight } from './weight.js';

/**
 * What Java's `leastactive` and `shortestresponse` share: the providers with the lowest `score`; a lone one as is;
 * several by weight (an offset in [0, total), subtracting weights), uniformly when their weights are equal.
 */
export function pickWeighted(
  invokers: readonly ProviderInvoker[],
  inv: RpcInvocation,
  score: (i: ProviderInvoker) => number,
  random: () => number,
  nowMs: number,
): ProviderInvoker {
  const n = invokers.length;
  const best: number[] = [];
  const weights: number[] = new Array(n);
  let least = Number.POSITIVE_INFINITY;
  let total = 0;
  let first = 0;
  let same = true;
  for (let i = 0; i < n; i++) {
    const invoker = invokers[i]!;
    const s = score(invoker);
    const w = getWeight(invoker, inv, nowMs);
    weights[i] = w;
    if (s < least) {
      least = s;
      best.length = 0;
      best.push(i);
      total = w;
      first = w;
      same = true;
    } else if (s === least) {
      best.push(i);
      total += w;
      if (same && w !== first) same = false;
    }
  }
  if (best.length === 1) return invokers[best[0]!]!;
  if (!same && total > 0) {
    let offset = Math.floor(random() * total);
    for (const i of best) {
      offset -= weights[i]!;
      if (offset < 0) return invokers[i]!;
    }
  }
  return invokers[best[Math.floor(random() * best.length)]!]!;
}
