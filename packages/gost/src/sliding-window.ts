import { GostError } from './errors.js';

/** Options of a {@link SlidingWindowCounter}. */
export interface SlidingWindowOptions {
  /** Length of the window in ms. @defaultValue 1000 */
  windowMs?: number;
  /** Buckets the window is split into: the resolution. @defaultValue 10 */
  buckets?: number;
  /** The clock in ms. @defaultValue `Date.now` */
  clock?: () => number;
}

/**
 * Counts events over the last `windowMs` milliseconds in fixed buckets (for rates, error ratios, QPS limits).
 * {@link add} and {@link sum} are O(1) amortised whatever the bucket count: a running total is kept, and each
 * bucket is cleared once as the window slides past it (a jump over the whole window clears them all at once). A
 * clock that goes backwards is treated as standing still.
 */
export class SlidingWindowCounter {
  private readonly bucketMs: number;
  private readonly counts: Float64Array;
  /** The bucket number (time / bucketMs) the newest bucket holds; -Infinity before the first use. */
  private head = Number.NEGATIVE_INFINITY;
  private total = 0;
  private readonly clock: () => number;

  constructor(options: SlidingWindowOptions = {}) {
    const windowMs = options.windowMs ?? 1000;
    const buckets = options.buckets ?? 10;
    if (!(windowMs > 0) || !(buckets >= 1 && Number.isInteger(buckets))) {
      throw new GostError('GOST_ERR_INVALID_ARG', 'windowMs must be > 0 and buckets an integer >= 1');
    }
    this.bucketMs = windowMs / buckets;
    this.counts = new Float64Array(buckets);
    this.clock = options.clock ?? Date.now;
  }

  /** Length of the window in ms. */
  get windowMs(): number {
    return this.bucketMs * this.counts.length;
  }

  /**
   * Adds `n` (default 1) to the current bucket.
   * @param now - The time, when the caller has just read the clock. @defaultValue the clock's
   */
  add(n = 1, now: number = this.clock()): void {
    const i = this.advance(now);
    this.counts[i]! += n;
    this.total += n;
  }

  /**
   * Sum over the window ending now.
   * @param now - The time, when the caller has just read the clock. @defaultValue the clock's
   */
  sum(now: number = this.clock()): number {
    this.advance(now);
    return this.total;
  }

  /**
   * Adds `n` (default 1) if the sum stays at most `max`, reading the clock once; returns whether it added (a
   * rate limiter's check-and-count).
   */
  addIfWithin(max: number, n = 1): boolean {
    const i = this.advance(this.clock());
    if (this.total + n > max) return false;
    this.counts[i]! += n;
    this.total += n;
    return true;
  }

  /** Clears every bucket. */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.head = Number.NEGATIVE_INFINITY;
  }

  /** Slides the window to now, clearing the buckets it left; returns the current bucket's index. */
  private advance(now: number): number {
    const n = this.counts.length;
    const b = Math.floor(now / this.bucketMs);
    const head = this.head;
    if (b > head) {
      if (b - head >= n) {
        this.counts.fill(0);
        this.total = 0;
      } else {
        for (let k = head + 1; k <= b; k++) {
          const i = k % n;
          this.total -= this.counts[i]!;
          this.counts[i] = 0;
        }
        if (this.total < 0) this.total = 0; // float residue of fractional adds
      }
      this.head = b;
      return b % n;
    }
    return head % n;
  }
}
