import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { warmupWeight } from './weight.js';

/** Java's `RECYCLE_PERIOD`: a provider not seen for this long is forgotten. */
const RECYCLE_MS = 60_000;

interface Wrr {
  weight: number;
  current: number;
  lastUpdate: number;
}

/** One service method's providers: their state by identity, and in the order of the last list seen. */
interface MethodState {
  readonly byId: Map<string, Wrr>;
  list: readonly ProviderInvoker[] | null;
  wrrs: Wrr[];
}

/**
 * Java's `roundrobin`: smooth weighted round robin per `serviceKey.method` (nginx's): each provider's current value
 * grows by its weight, the strict maximum wins (the first one on ties, in list order) and gives back the total;
 * weight 0 is never chosen while another is positive. A provider absent for 60 s is forgotten. The same weights
 * give the same sequence as Java's `RoundRobinLoadBalance`.
 */
export class RoundRobinLoadBalance implements LoadBalance {
  /** serviceKey -> method -> state (two levels, so no key string is built per call). */
  private readonly byService = new Map<string | undefined, Map<string, MethodState>>();
  /** The last service and method asked for and their state (the common case: the same, call after call). */
  private lastService: string | undefined | null = null;
  private lastMethod: string | null = null;
  private lastState: MethodState | null = null;

  /** @param clock - Wall-clock ms (warm-up, recycling). @defaultValue `Date.now` */
  constructor(private readonly clock: () => number = Date.now) {}

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    const serviceKey = invokers[0]!.url.serviceKey;
    const method = settingsNameOf(inv);
    const state = this.stateOf(serviceKey, method);
    const byId = state.byId;
    // The state of each listed provider, in list order: looked up by identity once per new list.
    if (state.list !== invokers) {
      const wrrs: Wrr[] = [];
      for (const invoker of invokers) {
        const id = invoker.url.toIdentityString();
        let w = byId.get(id);
        if (w === undefined) {
          w = { weight: -1, current: 0, lastUpdate: 0 };
          byId.set(id, w);
        }
        wrrs.push(w);
      }
      state.list = invokers;
      state.wrrs = wrrs;
    }
    const wrrs = state.wrrs;
    const now = this.clock();
    let total = 0;
    let max = Number.NEGATIVE_INFINITY;
    let selected = -1;
    for (let i = 0; i < invokers.length; i++) {
      const s = invokers[i]!.settings(method);
      const weight = warmupWeight(s.weight, s.timestamp, s.warmup, now);
      const w = wrrs[i]!;
      if (w.weight !== weight) {
        // New (weight -1), or its weight changed: starts again from 0, as Java's WeightedRoundRobin.
        w.weight = weight;
        w.current = 0;
      }
      w.current += weight;
      w.lastUpdate = now;
      if (w.current > max) {
        max = w.current;
        selected = i;
      }
      total += weight;
    }
    if (invokers.length !== byId.size) {
      for (const [id, w] of byId) if (now - w.lastUpdate > RECYCLE_MS) byId.delete(id);
    }
    if (selected >= 0) {
      wrrs[selected]!.current -= total;
      return invokers[selected]!;
    }
    return invokers[0]!;
  }

  private stateOf(serviceKey: string | undefined, method: string): MethodState {
    if (serviceKey === this.lastService && method === this.lastMethod) return this.lastState!;
    let byMethod = this.byService.get(serviceKey);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.byService.set(serviceKey, byMethod);
    }
    let state = byMethod.get(method);
    if (state === undefined) {
      state = { byId: new Map(), list: null, wrrs: [] };
      byMethod.set(method, state);
    }
    this.lastService = serviceKey;
    this.lastMethod = method;
    this.lastState = state;
    return state;
  }
}
