import type { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import { buildInvokerChain, type Filter, type Invoke } from '../filter/filter.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { type CallObserver, type Invoker, unwrapResult } from '../rpc/invoker.js';
import type { RpcResult } from '../rpc/result.js';

/**
 * What the consumer measured of one provider (Java's `RpcStatus`), for balancers to read: calls in flight, and
 * counts and times of the finished ones. A service exception counts as a success (the provider answered), an RPC
 * failure as a failure. Kept across re-registrations of the same provider. Counts are always kept; times only once
 * {@link timed} is set, which a cluster does when its balancer reads them (`shortestresponse`, `p2c`,
 * `adaptive`), so a reference that does not need them reads no clock per call.
 */
export class InvokerStats implements CallObserver {
  /** Whether elapsed times are measured. @defaultValue false until a balancer that reads them is used */
  timed = false;
  /** Calls in flight now. */
  active = 0;
  /** Calls finished. */
  total = 0;
  /** Calls that ended with an RPC failure. */
  failed = 0;
  /** Sum of the elapsed times of the successful calls, ms. */
  succeededElapsedMs = 0;
  /** Exponentially weighted moving average of the successful calls' elapsed time, ms (0 before the first). */
  ewmaElapsedMs = 0;

  /** Mean elapsed time of the successful calls, ms (0 before the first). */
  get averageElapsedMs(): number {
    const ok = this.total - this.failed;
    return ok > 0 ? this.succeededElapsedMs / ok : 0;
  }

  /** @internal A call started. */
  begin(): void {
    this.active++;
  }

  /** @internal Records the end of a call started with {@link begin}. */
  end(elapsedMs: number, succeeded: boolean): void {
    this.active--;
    this.total++;
    if (!succeeded) {
      this.failed++;
      return;
    }
    this.succeededElapsedMs += elapsedMs;
    this.ewmaElapsedMs = this.ewmaElapsedMs === 0 ? elapsedMs : this.ewmaElapsedMs * 0.8 + elapsedMs * 0.2;
  }
}

/** The settings of one method on one provider, read from its URL once. */
export interface MethodSettings {
  /** `retries` (method, then service level). @defaultValue 2 */
  readonly retries: number;
  /** `loadbalance`. @defaultValue 'random' */
  readonly loadbalance: string;
  /** `weight`. @defaultValue 100 */
  readonly weight: number;
  /** `warmup` in ms, service level only (as Java, which ignores `m.warmup`). @defaultValue 600000 (10 minutes) */
  readonly warmup: number;
  /** The provider URL's `timestamp` (ms since the epoch; 0 when absent). */
  readonly timestamp: number;
  /** Whether the URL says anything weight-related (`weight` or `timestamp`), so random must weigh. */
  readonly weighted: boolean;
  /** `sticky` (method level first): calls stay on one provider while it is available. @defaultValue false */
  readonly sticky: boolean;
}

/**
 * A gate on one provider (a circuit breaker): says whether the provider can take calls (selection) and runs each
 * call through itself (refusing, or answering instead). Set on {@link ProviderInvoker.guard}; none by default.
 */
export interface ProviderGuard {
  /** Whether the provider can take calls now; `false` takes it out of selection while others can. */
  isAvailable(): boolean;
  /** Runs `call` (the provider's invoke, or its value path when `value`), or refuses it. */
  run(inv: RpcInvocation, value: boolean, call: () => Promise<unknown>): Promise<unknown>;
}

/** A monotonic clock in ms. */
export type Clock = () => number;

/**
 * One provider as the cluster sees it: the protocol's invoker with the reference's per-provider filters around
 * it, its {@link InvokerStats}, and its per-method settings. Directories hold these; routers and balancers choose
 * among them.
 */
export class ProviderInvoker implements Invoker {
  /** What was measured of this provider. */
  readonly stats: InvokerStats;
  /** A gate every call passes (a circuit breaker), or `null` (the default: no cost). */
  guard: ProviderGuard | null = null;
  private readonly settingsByMethod = new Map<string, MethodSettings>();
  private lastMethod: string | null = null;
  private lastSettings: MethodSettings | null = null;
  private readonly chain: Invoke | null;
  /** The protocol invoker counts into {@link stats} itself (no filters in between). */
  private readonly observed: boolean;

  /**
   * @param target - The protocol's invoker.
   * @param filters - Filters around each call to this provider (first = outermost). @defaultValue none
   * @param stats - Carried over from a previous invoker of the same provider. @defaultValue new
   * @param clock - @defaultValue `performance.now`
   */
  constructor(
    readonly target: Invoker,
    filters: readonly Filter[] = [],
    stats: InvokerStats = new InvokerStats(),
    private readonly clock: Clock = now,
  ) {
    this.stats = stats;
    this.chain = filters.length === 0 ? null : buildInvokerChain(filters, (inv) => target.invoke(inv));
    this.observed = this.chain === null && target.observes === true;
  }

  get url(): DubboUrl {
    return this.target.url;
  }

  isAvailable(): boolean {
    return this.target.isAvailable() && (this.guard === null || this.guard.isAvailable());
  }

  ready(): Promise<void> {
    return this.target.ready?.() ?? Promise.resolve();
  }

  /** The settings of `method` on this provider (cached; the last one asked for without a map lookup). */
  settings(method: string): MethodSettings {
    if (method === this.lastMethod) return this.lastSettings!;
    let s = this.settingsByMethod.get(method);
    if (s === undefined) {
      s = readSettings(this.url, method);
      this.settingsByMethod.set(method, s);
    }
    this.lastMethod = method;
    this.lastSettings = s;
    return s;
  }

  invoke(inv: RpcInvocation): Promise<RpcResult> {
    if (this.guard !== null) return this.guard.run(inv, false, () => this.invokeOpen(inv)) as Promise<RpcResult>;
    return this.invokeOpen(inv);
  }

  private invokeOpen(inv: RpcInvocation): Promise<RpcResult> {
    if (this.observed) return this.target.invoke(inv, this.stats);
    const st = this.stats;
    const t0 = st.timed ? this.clock() : 0;
    st.active++;
    const p = this.chain === null ? this.target.invoke(inv) : this.chain(inv);
    return p.then(
      (r) => {
        st.end(st.timed ? this.clock() - t0 : 0, true);
        return r;
      },
      (err: unknown) => {
        st.end(st.timed ? this.clock() - t0 : 0, !(err instanceof DubboError));
        throw err;
      },
    );
  }

  call(inv: RpcInvocation): Promise<unknown> {
    if (this.guard !== null) return this.guard.run(inv, true, () => this.callOpen(inv));
    return this.callOpen(inv);
  }

  private callOpen(inv: RpcInvocation): Promise<unknown> {
    if (this.observed) {
      const t = this.target;
      return t.call !== undefined ? t.call(inv, this.stats) : t.invoke(inv, this.stats).then(unwrapResult);
    }
    const st = this.stats;
    const t0 = st.timed ? this.clock() : 0;
    st.active++;
    const p =
      this.chain !== null
        ? this.chain(inv).then(unwrapResult)
        : this.target.call !== undefined
          ? this.target.call(inv)
          : this.target.invoke(inv).then(unwrapResult);
    return p.then(
      (v) => {
        st.end(st.timed ? this.clock() - t0 : 0, true);
        return v;
      },
      (err: unknown) => {
        st.end(st.timed ? this.clock() - t0 : 0, !(err instanceof DubboError));
        throw err;
      },
    );
  }

  destroy(): void | Promise<void> {
    return this.target.destroy();
  }
}

function now(): number {
  return performance.now();
}

function readSettings(url: DubboUrl, method: string): MethodSettings {
  const intOf = (raw: string | undefined, def: number): number => {
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    return Number.isFinite(n) ? Math.trunc(n) : def;
  };
  const int = (key: string, def: number): number => intOf(url.getMethodParameter(method, key), def);
  const ts = Number(url.getParameter('timestamp') ?? '');
  return {
    retries: int('retries', 2),
    loadbalance: url.getMethodParameter(method, 'loadbalance') || 'random',
    weight: int('weight', 100),
    // Java's getWeight reads `warmup` at service level only (`m.warmup` is ignored), `weight` method level first.
    warmup: intOf(url.getParameter('warmup'), 600_000),
    timestamp: Number.isFinite(ts) && ts > 0 ? ts : 0,
    weighted: !!url.getMethodParameter(method, 'weight') || !!url.getParameter('timestamp'),
    sticky: url.getMethodParameter(method, 'sticky') === 'true',
  };
}
