import { GostError } from './errors.js';

/** Options of a {@link ConcurrencyLimiter}. */
export interface ConcurrencyLimiterOptions {
  /** Most tasks running at once. */
  concurrency: number;
  /**
   * Most tasks waiting for a slot; beyond it `run` rejects with `GOST_ERR_POOL_FULL`.
   * @defaultValue Infinity
   */
  maxQueued?: number;
}

interface Waiter {
  fn: () => unknown;
  resolve: (v: any) => void;
  reject: (e: unknown) => void;
}

/** A plain async concurrency limiter: at most `concurrency` of the given async functions run at once, FIFO. */
export class ConcurrencyLimiter {
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private waitHead = 0;
  private closed = false;

  constructor(options: ConcurrencyLimiterOptions) {
    const c = options.concurrency;
    if (!(c >= 1 && Number.isInteger(c))) {
      throw new GostError('GOST_ERR_INVALID_ARG', `concurrency must be an integer >= 1, got ${c}`);
    }
    this.concurrency = c;
    this.maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
  }

  /** Tasks running now. */
  get active(): number {
    return this.running;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length - this.waitHead;
  }

  /** Runs `fn` when a slot is free; resolves or rejects with its result. */
  run<T>(fn: () => T | PromiseLike<T>): Promise<T> {
    if (this.closed) return Promise.reject(new GostError('GOST_ERR_POOL_CLOSED', 'the limiter is closed'));
    if (this.running < this.concurrency) return this.start(fn);
    if (this.queued >= this.maxQueued) {
      return Promise.reject(new GostError('GOST_ERR_POOL_FULL', `limiter queue full (${this.maxQueued})`));
    }
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ fn, resolve, reject });
    });
  }

  private start<T>(fn: () => T | PromiseLike<T>): Promise<T> {
    this.running++;
    let p: Promise<T>;
    try {
      p = Promise.resolve(fn());
    } catch (err) {
      p = Promise.reject(err);
    }
    return p.finally(() => this.release());
  }

  private release(): void {
    this.running--;
    if (this.waitHead < this.waiting.length) {
      const w = this.waiting[this.waitHead]!;
      this.waiting[this.waitHead++] = undefined as unknown as Waiter;
      if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitHead);
        this.waitHead = 0;
      }
      this.start(w.fn).then(w.resolve, w.reject);
    }
  }

  /** Refuses new tasks; waiting and running ones finish. */
  close(): void {
    this.closed = true;
  }
}
