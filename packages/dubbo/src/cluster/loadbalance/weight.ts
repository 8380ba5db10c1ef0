import type { RpcInvocation } from '../../rpc/invocation.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { ProviderInvoker } from '../provider-invoker.js';

/**
 * The weight of a provider for a call, as Java's `AbstractLoadBalance.getWeight`: the URL's `weight` (method
 * level first, default 100); while the provider is younger than `warmup` (default 10 minutes) since the URL's
 * `timestamp`, ramped as `(int)(uptime / ((float) warmup / weight))` in 32-bit float, clamped to [1, weight]; 1
 * for a timestamp in the future; never below 0.
 *
 * @param nowMs - Wall-clock time in ms. @defaultValue `Date.now()`
 */
export function getWeight(invoker: ProviderInvoker, inv: RpcInvocation, nowMs: number = Date.now()): number {
  const s = invoker.settings(settingsNameOf(inv));
  return warmupWeight(s.weight, s.timestamp, s.warmup, nowMs);
}

/**
 * Java's warm-up ramp: `weight` once `nowMs - timestamp` reaches `warmup` (or with no timestamp), else the
 * ramped weight computed in 32-bit float as Java computes it.
 */
export function warmupWeight(weight: number, timestamp: number, warmup: number, nowMs: number): number {
  if (weight > 0 && timestamp > 0) {
    const uptime = nowMs - timestamp;
    if (uptime < 0) return 1;
    if (uptime > 0 && uptime < warmup) {
      const f = Math.fround(Math.fround(warmup) / Math.fround(weight));
      const ww = Math.trunc(Math.fround(Math.fround(uptime) / f));
      return ww < 1 ? 1 : Math.min(ww, weight);
    }
  }
  return Math.max(weight, 0);
}
