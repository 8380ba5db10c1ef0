import { SlidingWindowCounter } from '@dubbo-ts/gost';
import type { Clock } from '../cluster/provider-invoker.js';
import { ExtensionRegistry } from '../common/extensions.js';

/**
 * The algorithm of one TPS limit (dubbo-go's `TpsLimitStrategy`): at most `rate` calls per `interval` ms. One
 * instance counts one key (a service, a method, a grade); {@link isAllowable} is asked once per call and counts
 * the call when it allows it.
 */
export interface TpsLimitStrategy {
  /** Whether one more call may go now (and counts it if so). */
  isAllowable(): boolean;
}

/**
 * Makes a {@link TpsLimitStrategy} for `rate` calls per `intervalMs` ms on `clock` (ms, monotonic): what
 * `tpsLimitStrategies` holds, by the name `tps.limit.strategy` gives.
 */
export type TpsLimitStrategyFactory = (rate: number, intervalMs: number, clock: Clock) => TpsLimitStrategy;

/**
 * Java's `StatItem` (and dubbo-go's `fixedWindow`): `rate` tokens, all given back when more than `interval` ms
 * passed since the window opened; the window opens at the first call after the previous one ended. A burst of
 * `rate` at the end of one window and `rate` at the start of the next is allowed (2x over a short span).
 */
export class FixedWindowStrategy implements TpsLimitStrategy {
  private start: number;
  private left: number;

  constructor(
    private readonly rate: number,
    private readonly intervalMs: number,
    private readonly clock: Clock,
  ) {
    this.start = clock();
    this.left = rate;
  }

  isAllowable(): boolean {
    const now = this.clock();
    if (now > this.start + this.intervalMs) {
      this.start = now;
      this.left = this.rate;
    }
    if (this.left <= 0) return false;
    this.left--;
    return true;
  }
}

/** Most buckets of a sliding window: 1 ms each for an interval up to 1 s, `interval / 1000` ms beyond. */
const MAX_BUCKETS = 1000;

/**
 * dubbo-go's `slidingWindow`, in O(1): the calls allowed over the last `interval` ms, counted in buckets of 1 ms
 * (for intervals up to 1 s; `interval / 1000` ms beyond) with a running total (gost's `SlidingWindowCounter`), so
 * no span of `interval` ms (to the bucket) ever holds more than `rate` allowed calls. Refused calls are not
 * counted. dubbo-go keeps a queue of timestamps instead (O(rate) memory).
 */
export class SlidingWindowStrategy implements TpsLimitStrategy {
  private readonly window: SlidingWindowCounter;

  constructor(
    private readonly rate: number,
    intervalMs: number,
    clock: Clock,
  ) {
    const buckets = Math.max(1, Math.min(MAX_BUCKETS, Math.floor(intervalMs)));
    this.window = new SlidingWindowCounter({ windowMs: intervalMs, buckets, clock });
  }

  isAllowable(): boolean {
    return this.window.addIfWithin(this.rate);
  }
}

/**
 * A token bucket: holds up to `rate` tokens (the burst), refilled continuously at `rate` per `interval` ms; a call
 * takes one. Over-rate traffic settles at exactly the rate with no window edges; idle time buys a burst of at most
 * `rate`.
 */
export class TokenBucketStrategy implements TpsLimitStrategy {
  /** Credit in rate-ms units: each ms adds `rate`, a call costs `interval` (exact for integer clocks). */
  private credit: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly rate: number,
    private readonly intervalMs: number,
    private readonly clock: Clock,
  ) {
    this.capacity = rate * intervalMs;
    this.credit = this.capacity;
    this.last = clock();
  }

  isAllowable(): boolean {
    const now = this.clock();
    if (now > this.last) {
      this.credit = Math.min(this.capacity, this.credit + (now - this.last) * this.rate);
      this.last = now;
    }
    if (this.credit < this.intervalMs) return false;
    this.credit -= this.intervalMs;
    return true;
  }
}

/**
 * The TPS strategies by name, `tps.limit.strategy` (dubbo-go's names). Built in: `fixedWindow` (the default;
 * Java's algorithm; also `threadSafeFixedWindow`, dubbo-go's locked variant, the same thing on one JS thread and
 * `default`), `slidingWindow`, `tokenBucket`. Add one with `tpsLimitStrategies.register('name', factory)`.
 */
export const tpsLimitStrategies = new ExtensionRegistry<TpsLimitStrategyFactory>('tps limit strategy', {
  fixedWindow: (rate, interval, clock) => new FixedWindowStrategy(rate, interval, clock),
  threadSafeFixedWindow: (rate, interval, clock) => new FixedWindowStrategy(rate, interval, clock),
  default: (rate, interval, clock) => new FixedWindowStrategy(rate, interval, clock),
  slidingWindow: (rate, interval, clock) => new SlidingWindowStrategy(rate, interval, clock),
  tokenBucket: (rate, interval, clock) => new TokenBucketStrategy(rate, interval, clock),
});
