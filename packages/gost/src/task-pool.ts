import { GostError } from './errors.js';

/** A task run by a {@link TaskPool}: called with the two arguments given to `submit`, so no closure is needed. */
export type PoolTask<A = any, B = any> = (a: A, b: B) => unknown;

/** What a {@link TaskPool} does when every queue is full. */
export type PoolFullPolicy = 'reject' | 'caller-runs';

/** Options of a {@link TaskPool}, in dubbo-go gost's shape (M queues, N workers, a queue length). */
export interface TaskPoolOptions {
  /**
   * M: number of queues. Tasks are spread round-robin; a full queue passes the task to the next one.
   * @defaultValue 2
   */
  queues?: number;
  /**
   * N: number of workers in all, N/M per queue (at least one each). A worker runs one task at a time and
   * awaits a task that returns a promise, so N bounds how many async tasks are in progress.
   * @defaultValue 16
   */
  workers?: number;
  /**
   * Maximum tasks waiting in one queue.
   * @defaultValue 1024
   */
  queueLength?: number;
  /**
   * When every queue is full: `'reject'` throws a {@link GostError} with code `GOST_ERR_POOL_FULL`;
   * `'caller-runs'` runs the task synchronously in the caller.
   * @defaultValue 'reject'
   */
  whenFull?: PoolFullPolicy;
  /**
   * `false` turns the pool off: `submit` runs every task inline in the caller.
   * @defaultValue true
   */
  enabled?: boolean;
  /**
   * Tasks a worker runs back to back before yielding to I/O with `setImmediate`.
   * @defaultValue 64
   */
  batch?: number;
  /** Receives errors thrown (or promises rejected) by tasks. @defaultValue ignore */
  onError?: (err: unknown) => void;
}

/** A fixed-size ring buffer queue of (fn, a, b) triples: no allocation per task. */
class TaskQueue {
  readonly fns: (PoolTask | undefined)[];
  readonly as: unknown[];
  readonly bs: unknown[];
  head = 0;
  size = 0;
  activeWorkers = 0;
  /** Active workers awaiting a task's promise (the others are scheduled or running tasks). */
  awaiting = 0;

  constructor(readonly capacity: number) {
    this.fns = new Array(capacity);
    this.as = new Array(capacity);
    this.bs = new Array(capacity);
  }

  push(fn: PoolTask, a: unknown, b: unknown): void {
    let i = this.head + this.size;
    if (i >= this.capacity) i -= this.capacity;
    this.fns[i] = fn;
    this.as[i] = a;
    this.bs[i] = b;
    this.size++;
  }
}

/**
 * A bounded task pool in dubbo-go's shape: M queues drained by N workers. Order is not promised. Use it to
 * take work (such as request dispatch) off an I/O callback while bounding how much waits and how much runs.
 */
export class TaskPool {
  private readonly queues: TaskQueue[];
  private readonly workersPerQueue: number;
  private readonly whenFull: PoolFullPolicy;
  private readonly enabled: boolean;
  private readonly batch: number;
  private readonly onError: (err: unknown) => void;
  private rr = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: TaskPoolOptions = {}) {
    const m = options.queues ?? 2;
    const n = options.workers ?? 16;
    const len = options.queueLength ?? 1024;
    if (!(m >= 1 && Number.isInteger(m))) throw new GostError('GOST_ERR_INVALID_ARG', `queues must be >= 1, got ${m}`);
    if (!(n >= 1 && Number.isInteger(n))) throw new GostError('GOST_ERR_INVALID_ARG', `workers must be >= 1, got ${n}`);
    if (!(len >= 1 && Number.isInteger(len))) {
      throw new GostError('GOST_ERR_INVALID_ARG', `queueLength must be >= 1, got ${len}`);
    }
    this.queues = [];
    for (let i = 0; i < m; i++) this.queues.push(new TaskQueue(len));
    this.workersPerQueue = Math.max(1, Math.floor(n / m));
    this.whenFull = options.whenFull ?? 'reject';
    this.enabled = options.enabled ?? true;
    this.batch = options.batch ?? 64;
    this.onError = options.onError ?? (() => {});
  }

  /** Tasks waiting in all queues (not counting running ones). */
  get queued(): number {
    let s = 0;
    for (const q of this.queues) s += q.size;
    return s;
  }

  /** Workers currently running or awaiting a task. */
  get activeWorkers(): number {
    let s = 0;
    for (const q of this.queues) s += q.activeWorkers;
    return s;
  }

  /**
   * Queues `fn(a, b)`. When every queue is full, throws `GOST_ERR_POOL_FULL` or runs the task in the caller
   * (per `whenFull`). Throws `GOST_ERR_POOL_CLOSED` after {@link TaskPool.close}.
   */
  submit<A, B>(fn: PoolTask<A, B>, a?: A, b?: B): void {
    if (this.closed) throw new GostError('GOST_ERR_POOL_CLOSED', 'the task pool is closed');
    if (!this.enabled) {
      this.runInline(fn, a, b);
      return;
    }
    const qs = this.queues;
    const m = qs.length;
    let idx = this.rr;
    this.rr = idx + 1 === m ? 0 : idx + 1;
    for (let tries = 0; tries < m; tries++) {
      const q = qs[idx]!;
      if (q.size < q.capacity) {
        q.push(fn as PoolTask, a, b);
        this.startWorkerIfNone(q);
        return;
      }
      idx = idx + 1 === m ? 0 : idx + 1;
    }
    if (this.whenFull === 'caller-runs') {
      this.runInline(fn, a, b);
      return;
    }
    throw new GostError('GOST_ERR_POOL_FULL', `task pool full: ${m} queues of ${qs[0]!.capacity} tasks`);
  }

  /** Like {@link TaskPool.submit} but returns `false` instead of throwing when the pool is full or closed. */
  trySubmit<A, B>(fn: PoolTask<A, B>, a?: A, b?: B): boolean {
    if (this.closed) return false;
    try {
      this.submit(fn, a, b);
      return true;
    } catch (err) {
      if (err instanceof GostError) return false;
      throw err;
    }
  }

  private runInline(fn: PoolTask, a: unknown, b: unknown): void {
    try {
      const r = fn(a, b);
      if (isThenable(r)) r.then(undefined, this.onError);
    } catch (err) {
      this.onError(err);
    }
  }

  /**
   * Starts a worker (one immediate) when none of the queue's active workers can take a task (none at all, or all
   * awaiting an async task) and the limit allows: a burst of synchronous tasks runs through one worker turn.
   */
  private startWorkerIfNone(q: TaskQueue): void {
    if (q.activeWorkers === q.awaiting && q.activeWorkers < this.workersPerQueue) {
      q.activeWorkers++;
      setImmediate(runWorker, this, q);
    }
  }

  /** @internal One worker turn: run up to `batch` tasks, awaiting async ones, then yield or retire. */
  async _work(q: TaskQueue): Promise<void> {
    let ran = 0;
    while (q.size > 0) {
      const i = q.head;
      const fn = q.fns[i]!;
      const a = q.as[i];
      const b = q.bs[i];
      q.fns[i] = undefined;
      q.as[i] = undefined;
      q.bs[i] = undefined;
      q.head = i + 1 === q.capacity ? 0 : i + 1;
      q.size--;
      try {
        const r = fn(a, b);
        if (isThenable(r)) {
          q.awaiting++;
          // This worker is blocked: let another take the tasks behind it.
          if (q.size > 0) this.startWorkerIfNone(q);
          try {
            await r;
          } finally {
            q.awaiting--;
          }
        }
      } catch (err) {
        this.onError(err);
      }
      if (++ran >= this.batch && q.size > 0) {
        setImmediate(runWorker, this, q);
        return;
      }
    }
    q.activeWorkers--;
    if (this.idleWaiters.length > 0 && this.activeWorkers === 0 && this.queued === 0) {
      const ws = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of ws) w();
    }
  }

  /** Resolves once every queued task has run and no worker is busy. */
  drain(): Promise<void> {
    if (this.activeWorkers === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new tasks; queued ones still run. Resolves when the pool is idle. */
  close(): Promise<void> {
    this.closed = true;
    return this.drain();
  }
}

function runWorker(pool: TaskPool, q: TaskQueue): void {
  void pool._work(q);
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';
}
