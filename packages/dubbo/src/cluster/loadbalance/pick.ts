import type { RpcInvocation } from '../../rpc/invocation.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { warmupWeight } from './weight.js';

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
  // Scratch arrays reused across calls (select is synchronous): no allocation per call.
  if (scratchWeights.length < n) {
    scratchWeights = new Float64Array(n * 2);
    scratchBest = new Int32Array(n * 2);
  }
  const weights = scratchWeights;
  const best = scratchBest;
  let nBest = 0;
  let least = Number.POSITIVE_INFINITY;
  let total = 0;
  let first = 0;
  let same = true;
  const method = settingsNameOf(inv);
  for (let i = 0; i < n; i++) {
    const invoker = invokers[i]!;
    const s = score(invoker);
    const st = invoker.settings(method);
    const w = warmupWeight(st.weight, st.timestamp, st.warmup, nowMs);
    weights[i] = w;
    if (s < least) {
      least = s;
      nBest = 0;
      best[nBest++] = i;
      total = w;
      first = w;
      same = true;
    } else if (s === least) {
      best[nBest++] = i;
      total += w;
      if (same && w !== first) same = false;
    }
  }
  if (nBest === 1) return invokers[best[0]!]!;
  if (!same && total > 0) {
    let offset = Math.floor(random() * total);
    for (let k = 0; k < nBest; k++) {
      const i = best[k]!;
      offset -= weights[i]!;
      if (offset < 0) return invokers[i]!;
    }
  }
  return invokers[best[Math.floor(random() * nBest)]!]!;
}

let scratchWeights = new Float64Array(16);
let scratchBest = new Int32Array(16);
