import { GostError } from './errors.js';

/** Options of a {@link Backoff}. */
export interface BackoffOptions {
  /** First delay in ms. @defaultValue 100 */
  initialMs?: number;
  /** Largest delay in ms. @defaultValue 30000 */
  maxMs?: number;
  /** Growth per attempt. @defaultValue 2 */
  multiplier?: number;
  /**
   * Fraction of each delay that is randomized: the delay is drawn uniformly from
   * `[d * (1 - jitter), d]`. `1` is "full jitter", which spreads many clients that failed together.
   * @defaultValue 0.5
   */
  jitter?: number;
  /** Source of randomness in [0, 1). @defaultValue `Math.random` */
  random?: () => number;
}

/** Exponential backoff with jitter. Call {@link Backoff.next} per failed attempt and {@link Backoff.reset} on success. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly random: () => number;
  private attemptCount = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 30_000;
    this.multiplier = options.multiplier ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs >= 0) || !(this.maxMs >= this.initialMs) || !(this.multiplier >= 1)) {
      throw new GostError('GOST_ERR_INVALID_ARG', 'backoff needs 0 <= initialMs <= maxMs and multiplier >= 1');
    }
    if (!(this.jitter >= 0 && this.jitter <= 1)) {
      throw new GostError('GOST_ERR_INVALID_ARG', `jitter must be in [0, 1], got ${this.jitter}`);
    }
  }

  /** Attempts since the last reset. */
  get attempts(): number {
    return this.attemptCount;
  }

  /** The delay before the next attempt, in ms. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.multiplier ** this.attemptCount);
    if (base < this.maxMs) this.attemptCount++;
    return base * (1 - this.jitter * this.random());
  }

  /** Starts over from `initialMs`. */
  reset(): void {
    this.attemptCount = 0;
  }
}
