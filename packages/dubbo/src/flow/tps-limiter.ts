import type { Clock } from '../cluster/provider-invoker.js';
import { ExtensionRegistry } from '../common/extensions.js';
import type { DubboUrl } from '../common/url.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { settingsNameOf } from '../rpc/method-name.js';
import { type TpsLimitStrategy, tpsLimitStrategies } from './tps-strategy.js';

/**
 * What is limited (dubbo-go's `TpsLimiter`): decides per call whether it may go, keeping one
 * {@link TpsLimitStrategy} per key it chooses (a service, a method, a grade...). Chosen by name with `tps.limiter`
 * from `tpsLimiters`; one instance per exported service or reference.
 */
export interface TpsLimiter {
  /** Whether the call `inv` to the service at `url` may go now (counted when it may). */
  isAllowable(url: DubboUrl, inv: RpcInvocation): boolean;
  /** The limit that applies to `inv`, in words, for the refusal's message. @defaultValue `tps` */
  describe?(url: DubboUrl, inv: RpcInvocation): string;
}

/** Makes a {@link TpsLimiter} over `clock` (ms): what `tpsLimiters` holds. */
export type TpsLimiterFactory = (clock: Clock) => TpsLimiter;

/** The TPS keys, Java's and dubbo-go's spelling. */
export const TPS_KEYS = {
  /** Java's rate: calls per interval; `<= 0` means no limit. */
  TPS: 'tps',
  /** Java's interval in ms. */
  TPS_INTERVAL: 'tps.interval',
  /** dubbo-go's limiter name; the filter is on when it (or a rate) is set. */
  LIMITER: 'tps.limiter',
  /** dubbo-go's rate: `< 0` means no limit, 0 refuses every call. */
  RATE: 'tps.limit.rate',
  /** dubbo-go's interval in ms. */
  INTERVAL: 'tps.limit.interval',
  /** dubbo-go's strategy name. */
  STRATEGY: 'tps.limit.strategy',
  /** dubbo-go's rejected-execution handler name. */
  REJECTED_HANDLER: 'tps.limit.rejected.handler',
  /** Ours: the attachment whose value grades a call (e.g. `user.tier`). */
  GRADE: 'tps.grade',
  /** Ours: `tps.grade.<value>` is the rate of that grade; calls of other grades get the ordinary rate. */
  GRADE_PREFIX: 'tps.grade.',
} as const;

/** Java's and dubbo-go's default interval: one minute. */
export const DEFAULT_TPS_INTERVAL = 60_000;
/** The strategy when `tps.limit.strategy` is unset (Java's algorithm, dubbo-go's default). */
export const DEFAULT_TPS_STRATEGY = 'fixedWindow';

/** One limit as read from the URL for a method (or the service). */
interface LimitSpec {
  readonly rate: number;
  readonly interval: number;
  readonly strategy: string;
}

/** A resolved limit with its counter: the one the calls of a method share. */
interface Counter {
  readonly spec: LimitSpec;
  readonly strategy: TpsLimitStrategy;
  readonly label: string;
}

/** What a method's calls check: the ordinary counter, and per-grade ones when graded. */
interface MethodPlan {
  readonly base: Counter | null;
  readonly gradeKey: string | null;
  readonly grades: ReadonlyMap<string, Counter> | null;
}

/** Most methods whose plan a limiter keeps. */
const MAX_METHODS = 1024;

const UNLIMITED: MethodPlan = { base: null, gradeKey: null, grades: null };

/**
 * dubbo-go's `method-service` limiter (our `default`): a method's own limit (`<method>.tps`,
 * `<method>.tps.limit.rate`) gets its own counter; methods without one share the service's counter. Each key is
 * read method level first (method wins), dubbo-go's spelling before Java's at the same level. Graded: with
 * `tps.grade=<attachment>`, a call whose attachment value `v` has a rate `tps.grade.<v>` counts in that grade's
 * own counter; other calls count in the ordinary one. Counters survive a change of the URL unless their rate,
 * interval or strategy changed (Java rebuilds its counter on such a change too).
 */
export class MethodServiceTpsLimiter implements TpsLimiter {
  private url: DubboUrl | null = null;
  private plans = new Map<string, MethodPlan>();
  /** Counters by key (`''` the service's, `m` a method's, then `|grade`), kept across URL changes. */
  private counters = new Map<string, Counter>();

  constructor(private readonly clock: Clock) {}

  isAllowable(url: DubboUrl, inv: RpcInvocation): boolean {
    const plan = this.plan(url, settingsNameOf(inv));
    if (plan.grades !== null) {
      const g = inv.getAttachment(plan.gradeKey!);
      if (g !== undefined && g !== null) {
        const c = plan.grades.get(String(g));
        if (c !== undefined) return c.strategy.isAllowable();
      }
    }
    return plan.base === null || plan.base.strategy.isAllowable();
  }

  describe(url: DubboUrl, inv: RpcInvocation): string {
    const plan = this.plan(url, settingsNameOf(inv));
    if (plan.grades !== null) {
      const g = inv.getAttachment(plan.gradeKey!);
      const c = g === undefined || g === null ? undefined : plan.grades.get(String(g));
      if (c !== undefined) return `${c.label} for ${plan.gradeKey}=${String(g)}`;
    }
    return plan.base?.label ?? 'none';
  }

  private plan(url: DubboUrl, method: string): MethodPlan {
    if (url !== this.url) {
      this.url = url;
      this.plans = new Map();
    }
    let p = this.plans.get(method);
    if (p === undefined) {
      p = this.build(url, method);
      // Method names come off the wire: past MAX_METHODS (a client inventing names) plans are not kept.
      if (this.plans.size < MAX_METHODS) this.plans.set(method, p);
    }
    return p;
  }

  private build(url: DubboUrl, method: string): MethodPlan {
    const own = rateAt(url, method, true);
    const rate = own ?? rateAt(url, method, false);
    const key = own !== undefined ? method : '';
    const base = rate === undefined ? null : this.counter(key, spec(url, method, rate));
    const gradeKey = url.getMethodParameter(method, TPS_KEYS.GRADE) || null;
    if (gradeKey === null) return base === null ? UNLIMITED : { base, gradeKey: null, grades: null };
    const grades = new Map<string, Counter>();
    for (const name of gradeNames(url, method)) {
      const r = Number(url.getMethodParameter(method, TPS_KEYS.GRADE_PREFIX + name));
      const gradeOwn = url.getMethodParameterStrict(method, TPS_KEYS.GRADE_PREFIX + name) !== undefined;
      grades.set(name, this.counter(`${gradeOwn ? method : ''}|${name}`, spec(url, method, r)));
    }
    return { base, gradeKey, grades };
  }

  private counter(key: string, s: LimitSpec): Counter {
    const old = this.counters.get(key);
    if (old !== undefined && sameSpec(old.spec, s)) return old;
    const c: Counter = {
      spec: s,
      strategy: tpsLimitStrategies.get(s.strategy)(s.rate, s.interval, this.clock),
      label: `${s.rate} per ${s.interval} ms (${s.strategy})`,
    };
    this.counters.set(key, c);
    return c;
  }
}

function sameSpec(a: LimitSpec, b: LimitSpec): boolean {
  return a.rate === b.rate && a.interval === b.interval && a.strategy === b.strategy;
}

/**
 * The rate at one level (`method` true: `<method>.key` only; false: the service's), or `undefined` for no limit:
 * `tps.limit.rate` (< 0: none) before `tps` (<= 0: none, as Java).
 */
function rateAt(url: DubboUrl, method: string, own: boolean): number | undefined {
  const read = (key: string): string | undefined =>
    own ? url.getMethodParameterStrict(method, key) : url.getParameter(key);
  const goRate = read(TPS_KEYS.RATE);
  if (goRate !== undefined && goRate !== '') {
    const r = Number(goRate);
    return r < 0 ? undefined : r;
  }
  const javaRate = read(TPS_KEYS.TPS);
  if (javaRate !== undefined && javaRate !== '') {
    const r = Number(javaRate);
    return r > 0 ? r : undefined;
  }
  return undefined;
}

function spec(url: DubboUrl, method: string, rate: number): LimitSpec {
  const interval = methodFirst(url, method, TPS_KEYS.INTERVAL, TPS_KEYS.TPS_INTERVAL);
  return {
    rate,
    interval: interval ? Number(interval) : DEFAULT_TPS_INTERVAL,
    strategy: url.getMethodParameter(method, TPS_KEYS.STRATEGY) || DEFAULT_TPS_STRATEGY,
  };
}

/** The first of `keys` set at the method level, else the first set at the service level. */
function methodFirst(url: DubboUrl, method: string, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = url.getMethodParameterStrict(method, k);
    if (v) return v;
  }
  for (const k of keys) {
    const v = url.getParameter(k);
    if (v) return v;
  }
  return undefined;
}

/** The grade names with a rate for `method`: its own `<method>.tps.grade.<g>` and the service's `tps.grade.<g>`. */
function gradeNames(url: DubboUrl, method: string): Set<string> {
  const names = new Set<string>();
  const own = `${method}.${TPS_KEYS.GRADE_PREFIX}`;
  for (const k of url.parameters.keys()) {
    if (k.startsWith(TPS_KEYS.GRADE_PREFIX)) names.add(k.slice(TPS_KEYS.GRADE_PREFIX.length));
    else if (k.startsWith(own)) names.add(k.slice(own.length));
  }
  return names;
}

/**
 * The TPS limiters by name, `tps.limiter` (dubbo-go's names). Built in: `method-service` (and `default`), see
 * {@link MethodServiceTpsLimiter}. Add one with `tpsLimiters.register('name', (clock) => limiter)`.
 */
export const tpsLimiters = new ExtensionRegistry<TpsLimiterFactory>('tps limiter', {
  'method-service': (clock) => new MethodServiceTpsLimiter(clock),
  default: (clock) => new MethodServiceTpsLimiter(clock),
});
