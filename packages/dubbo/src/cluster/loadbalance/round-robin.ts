import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { getWeight } from './weight.js';

/** Java's `RECYCLE_PERIOD`: a provider not seen for this long is forgotten. */
const RECYCLE_MS = 60_000;

interface Wrr {
  weight: number;
  current: number;
  lastUpdate: number;
}

/**
 * Java's `roundrobin`: smooth weighted round robin per `serviceKey.method` (nginx's): each provider's current value
 * grows by its weight, the strict maximum wins (the first one on ties, in list order) and gives back the total;
 * weight 0 is never chosen while another is positive. A provider absent for 60 s is forgotten. The same weights
 * give the same sequence as Java's `RoundRobinLoadBalance`.
 */
export class RoundRobinLoadBalance implements LoadBalance {
  /** serviceKey -> method -> provider identity -> state (two levels, so no key string is built per call). */
  private readonly byService = new Map<string | undefined, Map<string, Map<string, Wrr>>>();

  /** @param clock - Wall-clock ms (warm-up, recycling). @defaultValue `Date.now` */
  constructor(private readonly clock: () => number = Date.now) {}

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    const serviceKey = invokers[0]!.url.serviceKey;
    let byMethod = this.byService.get(serviceKey);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.byService.set(serviceKey, byMethod);
    }
    const method = settingsNameOf(inv);
    let map = byMethod.get(method);
    if (map === undefined) {
      map = new Map();
      byMethod.set(method, map);
    }
    const now = this.clock();
    let total = 0;
    let max = Number.NEGATIVE_INFINITY;
    let selected: ProviderInvoker | null = null;
    let selectedWrr: Wrr | null = null;
    for (const invoker of invokers) {
      const id = invoker.url.toIdentityString();
      const weight = getWeight(invoker, inv, now);
      let w = map.get(id);
      if (w === undefined) {
        w = { weight, current: 0, lastUpdate: now };
        map.set(id, w);
      } else if (w.weight !== weight) {
        w.weight = weight;
        w.current = 0;
      }
      w.current += weight;
      w.lastUpdate = now;
      if (w.current > max) {
        max = w.current;
        selected = invoker;
        selectedWrr = w;
      }
      total += weight;
    }
    if (invokers.length !== map.size) {
      for (const [id, w] of map) if (now - w.lastUpdate > RECYCLE_MS) map.delete(id);
    }
    if (selected !== null && selectedWrr !== null) {
      selectedWrr.current -= total;
      return selected;
    }
    return invokers[0]!;
  }
}
