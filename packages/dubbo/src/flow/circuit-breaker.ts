import { getLogger, SlidingWindowCounter } from '@dubbo-ts/gost';
import type { Clock, InvokerStats, ProviderGuard, ProviderInvoker } from '../cluster/provider-invoker.js';
import type { Router } from '../cluster/router-chain.js';
import { DubboUrl } from '../common/url.js';
import { DubboError, type DubboErrorCode } from '../errors.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { unwrapResult } from '../rpc/invoker.js';
import { settingsNameOf } from '../rpc/method-name.js';
import type { RpcResult } from '../rpc/result.js';
import { LimitExceededError, type Rejection } from './limit-error.js';
import { type RejectedExecutionHandler, rejectedExecutionHandlers } from './rejected-handler.js';

/** The breaker keys of a reference's `parameters` (ours; hystrix's settings in dubbo-go's names where they exist). */
export const BREAKER_KEYS = {
  /** `provider` (one breaker per provider) or `method` (per provider and method); unset: no breaker. */
  BREAKER: 'breaker',
  /** Error percentage over the window that opens the breaker (hystrix `error_percent_threshold`). @defaultValue 50 */
  ERROR_PERCENT: 'breaker.error.percent',
  /** Calls in the window before the rate is judged (hystrix `request_volume_threshold`). @defaultValue 20 */
  REQUEST_VOLUME: 'breaker.request.volume',
  /** The window in ms the rate is measured over (10 buckets). @defaultValue 10000 */
  WINDOW: 'breaker.window',
  /** How long it stays open, ms, before half-open probes (hystrix `sleep_window`). @defaultValue 5000 */
  SLEEP_WINDOW: 'breaker.sleep.window',
  /** Probe calls let through at once when half-open; that many successes close it. @defaultValue 1 */
  PROBES: 'breaker.half.open.probes',
  /** Calls in flight per breaker; more are refused (hystrix `max_concurrent_requests`). @defaultValue 0 (none) */
  MAX_CONCURRENT: 'breaker.max.concurrent',
  /** Which errors count: `rpc` (RPC failures, not service exceptions), `all`, or a list of error codes. @defaultValue rpc */
  ERRORS: 'breaker.errors',
  /** A rejected-execution handler by name answering calls refused by an open breaker. @defaultValue refuse */
  FALLBACK: 'breaker.fallback',
} as const;

/** The settings of a breaker. */
export interface BreakerSettings {
  readonly errorPercent: number;
  readonly requestVolume: number;
  readonly windowMs: number;
  readonly sleepWindowMs: number;
  readonly probes: number;
  readonly maxConcurrent: number;
  /** Whether `err` (an RPC failure or a service exception) counts as an error. */
  readonly counts: (err: unknown) => boolean;
}

/** The state of a breaker. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker over one provider (or one method of it): closed, it measures the error rate over a sliding
 * window (gost's buckets) and opens when at least `requestVolume` calls saw `errorPercent` % errors; open, it
 * refuses calls for `sleepWindowMs`; then half-open, it lets `probes` calls through at once and closes after
 * `probes` successes, or opens again at the first error. `maxConcurrent` caps calls in flight in any state.
 */
export class CircuitBreaker {
  private stateNow: BreakerState = 'closed';
  private openedAt = 0;
  private calls: SlidingWindowCounter;
  private errors: SlidingWindowCounter;
  /** The settings in force. */
  settings: BreakerSettings;
  private probing = 0;
  private probesOk = 0;
  /** Calls in flight through this breaker. */
  active = 0;
  /** Times it opened. */
  opened = 0;

  constructor(
    settings: BreakerSettings,
    private readonly clock: Clock,
    /** Told on every change of state (for logs and metrics). */
    private readonly onChange: (from: BreakerState, to: BreakerState) => void = () => {},
  ) {
    this.settings = settings;
    this.calls = new SlidingWindowCounter({ windowMs: settings.windowMs, buckets: 10, clock });
    this.errors = new SlidingWindowCounter({ windowMs: settings.windowMs, buckets: 10, clock });
  }

  /** Takes new settings; the counts start over when the window length changed. The state is kept. */
  reconfigure(settings: BreakerSettings): void {
    if (settings.windowMs !== this.settings.windowMs) {
      this.calls = new SlidingWindowCounter({ windowMs: settings.windowMs, buckets: 10, clock: this.clock });
      this.errors = new SlidingWindowCounter({ windowMs: settings.windowMs, buckets: 10, clock: this.clock });
    }
    this.settings = settings;
  }

  /** The state now (an open breaker past its sleep window reads half-open). */
  get state(): BreakerState {
    if (this.stateNow === 'open' && this.clock() - this.openedAt >= this.settings.sleepWindowMs) {
      this.move('half-open');
      this.probing = 0;
      this.probesOk = 0;
    }
    return this.stateNow;
  }

  /** Whether a call could start now (no side effect beyond the open -> half-open move). */
  allows(): boolean {
    const s = this.state;
    if (this.settings.maxConcurrent > 0 && this.active >= this.settings.maxConcurrent) return false;
    if (s === 'closed') return true;
    return s === 'half-open' && this.probing < this.settings.probes;
  }

  /** Takes a slot for a call; `false` when refused. Pair each `true` with {@link onEnd}. */
  tryAcquire(): boolean {
    if (!this.allows()) return false;
    this.active++;
    if (this.stateNow === 'half-open') this.probing++;
    return true;
  }

  /**
   * A call taken by {@link tryAcquire} ended: `err` is `undefined` for a success. `probe` says whether it was
   * taken half-open (read {@link state} right after `tryAcquire`); a call taken before the breaker opened that
   * ends while it is half-open is not a probe, and is ignored. @defaultValue whether it is half-open now
   */
  onEnd(err: unknown, probe: boolean = this.stateNow === 'half-open'): void {
    this.active--;
    const failed = err !== undefined && this.settings.counts(err);
    if (probe) {
      if (this.stateNow !== 'half-open') return; // another probe already decided
      this.probing = Math.max(0, this.probing - 1);
      if (failed) {
        this.open();
      } else if (++this.probesOk >= this.settings.probes) {
        this.calls.reset();
        this.errors.reset();
        this.move('closed');
      }
      return;
    }
    if (this.stateNow !== 'closed') return; // a call from before it opened
    const now = this.clock();
    this.calls.add(1, now);
    if (failed) this.errors.add(1, now);
    const total = this.calls.sum(now);
    if (total >= this.settings.requestVolume && this.errors.sum(now) * 100 >= this.settings.errorPercent * total) {
      this.open();
    }
  }

  private open(): void {
    this.openedAt = this.clock();
    this.opened++;
    this.move('open');
  }

  private move(to: BreakerState): void {
    const from = this.stateNow;
    if (from === to) return;
    this.stateNow = to;
    this.onChange(from, to);
  }
}

const RPC_ONLY = (err: unknown): boolean => err instanceof DubboError;
const ALL = (): boolean => true;

function int(parameters: Readonly<Record<string, string>>, key: string, def: number, min: number): number {
  const raw = parameters[key];
  if (raw === undefined || raw === '') return def;
  const v = String(raw).trim();
  if (!/^\d+$/.test(v) || Number(v) < min) {
    throw new DubboError('DUBBO_ERR_INVALID_ARG', `${key}: an integer >= ${min} is expected, got '${raw}'`);
  }
  return Number(v);
}

/**
 * Reads and checks the breaker keys of `parameters`.
 * @throws DubboError `DUBBO_ERR_INVALID_ARG` naming a malformed key.
 */
export function breakerSettings(parameters: Readonly<Record<string, string>>): BreakerSettings {
  const errorsSpec = (parameters[BREAKER_KEYS.ERRORS] ?? 'rpc').trim();
  let counts: (err: unknown) => boolean;
  if (errorsSpec === 'rpc') counts = RPC_ONLY;
  else if (errorsSpec === 'all') counts = ALL;
  else {
    const codes = new Set(errorsSpec.split(',').map((c) => c.trim()) as DubboErrorCode[]);
    counts = (err) => err instanceof DubboError && codes.has(err.code);
  }
  const percent = int(parameters, BREAKER_KEYS.ERROR_PERCENT, 50, 1);
  if (percent > 100) {
    throw new DubboError('DUBBO_ERR_INVALID_ARG', `${BREAKER_KEYS.ERROR_PERCENT}: at most 100, got ${percent}`);
  }
  return {
    errorPercent: percent,
    requestVolume: int(parameters, BREAKER_KEYS.REQUEST_VOLUME, 20, 1),
    windowMs: int(parameters, BREAKER_KEYS.WINDOW, 10_000, 10),
    sleepWindowMs: int(parameters, BREAKER_KEYS.SLEEP_WINDOW, 5000, 1),
    probes: int(parameters, BREAKER_KEYS.PROBES, 1, 1),
    maxConcurrent: int(parameters, BREAKER_KEYS.MAX_CONCURRENT, 0, 0),
    counts,
  };
}

/**
 * Checks the `breaker.*` keys of `parameters` (settings and the fallback's name).
 * @throws DubboError naming a malformed key, `DUBBO_ERR_UNKNOWN_EXTENSION` for an unknown fallback.
 */
export function validateBreakerParameters(parameters: Readonly<Record<string, string>>): void {
  breakerSettings(parameters);
  fallbackOf(parameters);
}

function fallbackOf(parameters: Readonly<Record<string, string>>): RejectedExecutionHandler | null {
  const fb = parameters[BREAKER_KEYS.FALLBACK];
  return fb ? rejectedExecutionHandlers.get(fb.trim()) : null;
}

function breakerKeys(parameters: Readonly<Record<string, string>>): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(parameters)) if (k === 'breaker' || k.startsWith('breaker.')) own[k] = v;
  return own;
}

/** Whether `parameters` turn breakers on (`breaker` set). */
export function hasBreaker(parameters: Readonly<Record<string, string>>): boolean {
  return parameters[BREAKER_KEYS.BREAKER] !== undefined;
}

/**
 * The circuit breakers of one reference: one per provider (or per provider and method), kept across the
 * provider's re-registrations. Its {@link router} takes providers whose breaker refuses out of the list before the
 * balancer chooses (all of them refusing: the list as is) and attaches each provider's guard, which refuses a call
 * an open breaker gets anyway (a lone provider, or all open) with a retryable {@link LimitExceededError}
 * (`kind: 'circuit'`), or answers it with the `breaker.fallback` handler.
 */
export class BreakerControl {
  private settings: BreakerSettings;
  private readonly perMethod: boolean;
  private fallback: RejectedExecutionHandler | null;
  private parameters: Readonly<Record<string, string>>;
  private readonly guards = new WeakMap<InvokerStats, BreakerGuard>();
  private readonly all = new Set<CircuitBreaker>();
  private readonly url: DubboUrl;
  /** Calls refused by a breaker. */
  rejected = 0;
  /** The router to put first in the reference's chain. */
  readonly router: Router;

  constructor(
    parameters: Readonly<Record<string, string>>,
    readonly service: string,
    private readonly clock: Clock = performance.now.bind(performance),
  ) {
    const mode = parameters[BREAKER_KEYS.BREAKER]!.trim();
    if (mode !== 'provider' && mode !== 'method') {
      throw new DubboError(
        'DUBBO_ERR_INVALID_ARG',
        `${BREAKER_KEYS.BREAKER}: 'provider' or 'method' expected, got '${mode}'`,
      );
    }
    this.perMethod = mode === 'method';
    this.url = new DubboUrl({ protocol: 'consumer', path: service });
    this.settings = breakerSettings(parameters);
    this.fallback = fallbackOf(parameters);
    this.parameters = breakerKeys(parameters);
    this.router = {
      name: 'circuit-breaker',
      priority: Number.MAX_SAFE_INTEGER, // last: judges the providers the other routers left
      route: (invokers, _url, inv) => this.route(invokers as readonly ProviderInvoker[], inv),
    };
  }

  /**
   * Changes the settings of every breaker of the reference (the `breaker.*` keys of `parameters`; `breaker`
   * itself, provider or method, stays), logging the change; states are kept.
   * @throws DubboError for a malformed key; nothing changes.
   */
  update(parameters: Readonly<Record<string, string>>): void {
    const settings = breakerSettings(parameters);
    const fallback = fallbackOf(parameters);
    const before = this.parameters;
    this.settings = settings;
    this.fallback = fallback;
    this.parameters = breakerKeys(parameters);
    for (const b of this.all) b.reconfigure(settings);
    getLogger().info(
      `flow control: breakers of ${this.service} changed from ${JSON.stringify(before)} to ${JSON.stringify(this.parameters)}`,
    );
  }

  /** Breakers open now. */
  get openBreakers(): number {
    let n = 0;
    for (const b of this.all) if (b.state === 'open') n++;
    return n;
  }

  /** The breaker of a provider (and method, per method), made on first use. */
  breakerOf(invoker: ProviderInvoker, method = ''): CircuitBreaker {
    return this.guardOf(invoker).breaker(this.perMethod ? method : '');
  }

  private guardOf(invoker: ProviderInvoker): BreakerGuard {
    let g = this.guards.get(invoker.stats);
    if (g === undefined) {
      g = new BreakerGuard(this, invoker.url.address ?? String(invoker.url));
      this.guards.set(invoker.stats, g);
    }
    if (invoker.guard !== g) invoker.guard = g;
    return g;
  }

  private route(invokers: readonly ProviderInvoker[], inv: RpcInvocation): readonly ProviderInvoker[] {
    const method = this.perMethod ? settingsNameOf(inv) : '';
    let out: ProviderInvoker[] | null = null;
    for (let i = 0; i < invokers.length; i++) {
      const p = invokers[i]!;
      const ok = this.guardOf(p).breaker(method).allows();
      if (!ok && out === null) out = invokers.slice(0, i);
      else if (ok && out !== null) out.push(p);
    }
    return out === null || out.length === 0 ? invokers : out;
  }

  /** @internal */
  newBreaker(address: string, method: string): CircuitBreaker {
    const what = `${this.service}${method ? `.${method}` : ''} at ${address}`;
    const b = new CircuitBreaker(this.settings, this.clock, (from, to) =>
      getLogger().warn(`flow control: circuit breaker of ${what}: ${from} -> ${to}`),
    );
    this.all.add(b);
    return b;
  }

  /** @internal A call refused by `breaker`. */
  refuse(inv: RpcInvocation, b: CircuitBreaker, address: string): Promise<RpcResult> {
    this.rejected++;
    const limit =
      b.settings.maxConcurrent > 0 && b.active >= b.settings.maxConcurrent
        ? `max concurrent ${b.settings.maxConcurrent} at ${address}`
        : `circuit ${b.state} at ${address}`;
    const r: Rejection = {
      kind: 'circuit',
      service: this.service,
      method: settingsNameOf(inv),
      limit,
      side: 'consumer',
    };
    if (this.fallback === null) return Promise.reject(new LimitExceededError(r));
    try {
      return Promise.resolve(this.fallback.rejected(this.url, inv, r));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** @internal */
  get breakerPerMethod(): boolean {
    return this.perMethod;
  }
}

/** The guard on one provider: its breaker(s). */
class BreakerGuard implements ProviderGuard {
  private readonly byMethod = new Map<string, CircuitBreaker>();

  constructor(
    private readonly control: BreakerControl,
    private readonly address: string,
  ) {}

  breaker(method: string): CircuitBreaker {
    let b = this.byMethod.get(method);
    if (b === undefined) {
      b = this.control.newBreaker(this.address, method);
      this.byMethod.set(method, b);
    }
    return b;
  }

  isAvailable(): boolean {
    if (this.control.breakerPerMethod) return true; // judged per call by the router
    return this.breaker('').allows();
  }

  run(inv: RpcInvocation, value: boolean, call: () => Promise<unknown>): Promise<unknown> {
    const b = this.breaker(this.control.breakerPerMethod ? settingsNameOf(inv) : '');
    if (!b.tryAcquire()) {
      const r = this.control.refuse(inv, b, this.address);
      return value ? r.then(unwrapResult) : r;
    }
    const probe = b.state === 'half-open';
    let p: Promise<unknown>;
    try {
      p = call();
    } catch (err) {
      b.onEnd(err, probe);
      return Promise.reject(err);
    }
    return p.then(
      (v) => {
        // A service exception on the RpcResult path counts (or not) as the settings say.
        const ex = !value && (v as RpcResult).exception !== null ? (v as RpcResult).exception : undefined;
        b.onEnd(ex, probe);
        return v;
      },
      (err: unknown) => {
        b.onEnd(err, probe);
        throw err;
      },
    );
  }
}
