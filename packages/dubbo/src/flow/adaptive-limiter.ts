import { getLogger } from '@dubbo-ts/gost';
import type { Clock } from '../cluster/provider-invoker.js';
import { DubboError } from '../errors.js';
import type { Filter, Invoke } from '../filter/filter.js';
import { DubboStatusError, ResponseStatus } from '../protocol/dubbo/status.js';
import { settingsNameOf } from '../rpc/method-name.js';
import type { RpcResult } from '../rpc/result.js';
import { LimitExceededError } from './limit-error.js';

/** The adaptive limiter's keys of a service's parameters. */
export const ADAPTIVE_KEYS = {
  /** `gradient` turns the adaptive concurrency limiter on for the service. */
  FLOWCONTROL: 'flowcontrol',
  /** The limit to start from. @defaultValue 20 */
  INITIAL: 'flowcontrol.initial.limit',
  /** The lowest limit. @defaultValue 1 */
  MIN: 'flowcontrol.min.limit',
  /** The highest limit. @defaultValue 1000 */
  MAX: 'flowcontrol.max.limit',
} as const;

/** Options of an {@link AdaptiveLimiter}. */
export interface AdaptiveLimiterOptions {
  /** @defaultValue 20 */
  initialLimit?: number;
  /** @defaultValue 1 */
  minLimit?: number;
  /** @defaultValue 1000 */
  maxLimit?: number;
  /** Weight of a new estimate (0..1], per call. @defaultValue 0.05 */
  smoothing?: number;
  /** How long the no-load latency (the least seen) is remembered, ms, in 10 buckets. @defaultValue 10000 */
  noLoadWindowMs?: number;
  /** The clock in ms. @defaultValue `performance.now` */
  clock?: Clock;
}

const BUCKETS = 10;

/**
 * An adaptive concurrency limit that needs no tuning, after Netflix concurrency-limits' `GradientLimit`: the limit
 * follows the gradient between the no-load latency (the least latency seen over the last `noLoadWindowMs`) and
 * each call's latency: `limit = limit * clamp(noLoad / rtt, 0.5, 1) + sqrt(limit)`, smoothed. While calls queue
 * (latency above no-load) the gradient is below 1 and the limit shrinks toward the concurrency the service
 * sustains; the `sqrt(limit)` term keeps probing upward. It does not grow while fewer than half the limit are in
 * flight (the load, not the service, is what limits). The no-load latency is a windowed minimum, so after a step
 * in the service's own latency the limit dips, then recovers once the window has forgotten the old minimum.
 */
export class AdaptiveLimiter {
  private estimate: number;
  /** Calls in flight. */
  inflight = 0;
  private readonly minLimit: number;
  private readonly maxLimit: number;
  private readonly smoothing: number;
  private readonly bucketMs: number;
  private readonly mins = new Float64Array(BUCKETS).fill(Number.POSITIVE_INFINITY);
  private head = Number.NEGATIVE_INFINITY;
  private noLoad = Number.POSITIVE_INFINITY;
  readonly clock: Clock;

  constructor(options: AdaptiveLimiterOptions = {}) {
    this.minLimit = options.minLimit ?? 1;
    this.maxLimit = options.maxLimit ?? 1000;
    this.estimate = Math.min(this.maxLimit, Math.max(this.minLimit, options.initialLimit ?? 20));
    this.smoothing = options.smoothing ?? 0.05;
    this.bucketMs = (options.noLoadWindowMs ?? 10_000) / BUCKETS;
    this.clock = options.clock ?? performance.now.bind(performance);
    if (!(this.minLimit >= 1 && this.maxLimit >= this.minLimit && this.smoothing > 0 && this.smoothing <= 1)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', 'adaptive limiter: 1 <= min <= max and 0 < smoothing <= 1');
    }
  }

  /** The concurrency allowed now. */
  get limit(): number {
    return Math.floor(this.estimate);
  }

  /** The no-load latency in use, ms (Infinity before the first sample). */
  get noLoadRtt(): number {
    return this.noLoad;
  }

  /** Takes a slot; `false` when the limit is reached. Pair each `true` with {@link release}. */
  tryAcquire(): boolean {
    if (this.inflight >= Math.floor(this.estimate)) return false;
    this.inflight++;
    return true;
  }

  /** A call ended after `rttMs`; `sample` false for a call whose latency says nothing (a failure): not measured. */
  release(rttMs: number, sample = true): void {
    const inflight = this.inflight;
    this.inflight--;
    if (!sample || !(rttMs >= 0)) return;
    const rtt = Math.max(rttMs, 1e-3);
    const noLoad = this.observe(rtt);
    if (inflight < this.estimate / 2) return; // app-limited: the latency says nothing about the limit
    const gradient = Math.max(0.5, Math.min(1, noLoad / rtt));
    const next = this.estimate * gradient + Math.sqrt(this.estimate);
    const smoothed = this.estimate * (1 - this.smoothing) + next * this.smoothing;
    this.estimate = Math.min(this.maxLimit, Math.max(this.minLimit, smoothed));
  }

  /** Records `rtt` in the windowed minimum; returns the minimum over the window. */
  private observe(rtt: number): number {
    const b = Math.floor(this.clock() / this.bucketMs);
    if (b > this.head) {
      const gap = Math.min(BUCKETS, b - this.head);
      for (let k = 0; k < gap; k++) this.mins[mod(b - k)] = Number.POSITIVE_INFINITY;
      this.head = b;
      let m = Number.POSITIVE_INFINITY;
      for (let i = 0; i < BUCKETS; i++) if (this.mins[i]! < m) m = this.mins[i]!;
      this.noLoad = m;
    }
    const i = mod(this.head); // a clock going backwards counts in the newest bucket
    if (rtt < this.mins[i]!) this.mins[i] = rtt;
    if (rtt < this.noLoad) this.noLoad = rtt;
    return this.noLoad;
  }
}

function mod(b: number): number {
  return ((b % BUCKETS) + BUCKETS) % BUCKETS;
}

/** Whether `parameters` turn the adaptive limiter on (`flowcontrol` set). */
export function hasAdaptiveLimit(parameters: Readonly<Record<string, string>>): boolean {
  return parameters[ADAPTIVE_KEYS.FLOWCONTROL] !== undefined;
}

/**
 * The adaptive concurrency limit of one exported service (`flowcontrol=gradient`): an {@link AdaptiveLimiter}
 * over all its calls and the filter applying it. A refused call is answered at once as an `executes` refusal is
 * (status 70, `org.apache.dubbo.rpc.RpcException: ... adaptive concurrency limit N ...`): a TS consumer reads it
 * as a retryable {@link LimitExceededError} (`kind: 'adaptive'`); Java's consumer retries it as well.
 */
export class AdaptiveControl {
  /** Calls let through. */
  accepted = 0;
  /** Calls refused. */
  rejected = 0;
  /** The limiter (its `limit` and `inflight` now). */
  readonly limiter: AdaptiveLimiter;
  /** The filter (built once). */
  readonly filter: Filter;

  constructor(
    parameters: Readonly<Record<string, string>>,
    readonly service: string,
    clock?: Clock,
  ) {
    const mode = parameters[ADAPTIVE_KEYS.FLOWCONTROL]!.trim();
    if (mode !== 'gradient') {
      throw new DubboError(
        'DUBBO_ERR_INVALID_ARG',
        `${service}.${ADAPTIVE_KEYS.FLOWCONTROL}: 'gradient' expected, got '${mode}'`,
      );
    }
    const int = (key: string): number | undefined => {
      const raw = parameters[key];
      if (raw === undefined) return undefined;
      if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) {
        throw new DubboError('DUBBO_ERR_INVALID_ARG', `${service}.${key}: an integer >= 1 is expected, got '${raw}'`);
      }
      return Number(raw);
    };
    this.limiter = new AdaptiveLimiter({
      initialLimit: int(ADAPTIVE_KEYS.INITIAL),
      minLimit: int(ADAPTIVE_KEYS.MIN),
      maxLimit: int(ADAPTIVE_KEYS.MAX),
      clock,
    });
    getLogger().debug(`flow control: adaptive limit on ${service}, starting at ${this.limiter.limit}`);
    this.filter = (next) => this.wrap(next);
  }

  private wrap(next: Invoke): Invoke {
    const l = this.limiter;
    return (inv) => {
      if (!l.tryAcquire()) {
        this.rejected++;
        const err = new LimitExceededError({
          kind: 'adaptive',
          service: this.service,
          method: settingsNameOf(inv),
          limit: String(l.limit),
          side: 'provider',
        });
        return Promise.reject(
          new DubboStatusError(ResponseStatus.SERVICE_ERROR, `org.apache.dubbo.rpc.RpcException: ${err.message}`, {
            cause: err,
          }),
        );
      }
      this.accepted++;
      const t0 = l.clock();
      let p: Promise<RpcResult>;
      try {
        p = next(inv);
      } catch (e) {
        l.release(0, false);
        return Promise.reject(e);
      }
      return p.then(
        (r) => {
          l.release(l.clock() - t0);
          return r;
        },
        (e: unknown) => {
          l.release(0, false);
          throw e;
        },
      );
    };
  }
}
