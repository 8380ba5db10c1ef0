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

/** Counts events over the last `windowMs` milliseconds in fixed buckets (for rates, error ratios, QPS limits). */
export class SlidingWindowCounter {
  private readonly bucketMs: number;
  private readonly counts: Float64Array;
  private readonly stamps: Float64Array;
  private readonly clock: () => number;

  constructor(options: SlidingWindowOptions = {}) {
    const windowMs = options.windowMs ?? 1000;
    const buckets = options.buckets ?? 10;
    if (!(windowMs > 0) || !(buckets >= 1 && Number.isInteger(buckets))) {
      throw new GostError('GOST_ERR_INVALID_ARG', 'windowMs must be > 0 and buckets an integer >= 1');
    }
    this.bucketMs = windowMs / buckets;
    this.counts = new Float64Array(buckets);
    this.stamps = new Float64Array(buckets).fill(-1);
    this.clock = options.clock ?? Date.now;
  }

  /** Adds `n` (default 1) to the current bucket. */
  add(n = 1): void {
    const b = Math.floor(this.clock() / this.bucketMs);
    const i = b % this.counts.length;
    if (this.stamps[i] !== b) {
      this.stamps[i] = b;
      this.counts[i] = 0;
    }
    this.counts[i]! += n;
  }

  /** Sum over the window ending now. */
  sum(): number {
    const b = Math.floor(this.clock() / this.bucketMs);
    const oldest = b - this.counts.length + 1;
    let s = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const st = this.stamps[i]!;
      if (st >= oldest && st <= b) s += this.counts[i]!;
    }
    return s;
  }

  /** Clears every bucket. */
  reset(): void {
    this.counts.fill(0);
    this.stamps.fill(-1);
  }
}
