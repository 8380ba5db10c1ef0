import { GostError } from './errors.js';

/** A callback run by the {@link TimingWheel}; `arg` is what was given to `schedule`, so no closure is needed. */
export type WheelCallback<A = any> = (arg: A, timeout: WheelTimeout<A>) => void;

/** Options of a {@link TimingWheel}. */
export interface TimingWheelOptions {
  /**
   * Milliseconds per tick: the resolution. A deadline fires at the first tick boundary at or after it.
   * @defaultValue 10
   */
  tickMs?: number;
  /**
   * Number of slots, rounded up to a power of two. Deadlines further than `slots * tickMs` away wait for
   * extra rounds in their slot.
   * @defaultValue 512
   */
  slots?: number;
  /**
   * The clock, in milliseconds. Inject one to drive the wheel by hand in tests.
   * @defaultValue `Date.now`
   */
  clock?: () => number;
  /**
   * When `false` the wheel never starts a Node timer; call {@link TimingWheel.advance} to process due ticks.
   * @defaultValue true
   */
  autoStart?: boolean;
  /** Called when a callback throws. @defaultValue rethrown on the next macrotask */
  onError?: (err: unknown) => void;
}

const STATE_PENDING = 0;
const STATE_CANCELLED = 1;
const STATE_EXPIRED = 2;

/** A handle to one scheduled task. `cancel()` is O(1). */
export class WheelTimeout<A = any> {
  /** @internal */ _prev: WheelTimeout | null = null;
  /** @internal */ _next: WheelTimeout | null = null;
  /** @internal */ _state = STATE_PENDING;
  /** @internal */ _wheel: TimingWheel | null;
  /** @internal */ _tick: number;
  /** The deadline in the wheel's clock (milliseconds). */
  readonly deadline: number;
  /** @internal */ _fn: WheelCallback<A>;
  /** @internal */ _arg: A;

  /** @internal */
  constructor(wheel: TimingWheel, tick: number, deadline: number, fn: WheelCallback<A>, arg: A) {
    this._wheel = wheel;
    this._tick = tick;
    this.deadline = deadline;
    this._fn = fn;
    this._arg = arg;
  }

  /** Cancels the task. Returns `true` when it was still pending (so it will now never run). */
  cancel(): boolean {
    if (this._state !== STATE_PENDING) return false;
    this._state = STATE_CANCELLED;
    this._wheel?._remove(this);
    this._fn = noop;
    this._arg = undefined as A;
    return true;
  }

  /** Whether {@link WheelTimeout.cancel} took effect. */
  get cancelled(): boolean {
    return this._state === STATE_CANCELLED;
  }

  /** Whether the task ran (or is running). */
  get expired(): boolean {
    return this._state === STATE_EXPIRED;
  }
}

function noop(): void {}

/**
 * A hashed timing wheel: schedule and cancel are O(1), and one unref'd Node timer drives every pending
 * deadline, so tens of thousands of timeouts cost no more timers than one. The timer runs only while tasks
 * are pending and never keeps the process alive.
 *
 * Semantics: tick `t` covers the time `origin + t * tickMs`. A task with deadline `d` runs when the wheel
 * processes the first tick whose time is at or after `d`, so it never runs early and (given a prompt event
 * loop) runs within one tick after its deadline.
 */
export class TimingWheel {
  /** Milliseconds per tick. */
  readonly tickMs: number;
  private readonly mask: number;
  private readonly heads: (WheelTimeout | null)[];
  private readonly clock: () => number;
  private readonly autoStart: boolean;
  private readonly onError: (err: unknown) => void;
  private readonly origin: number;
  /** Next tick to process. */
  private nextTick = 0;
  private pendingCount = 0;
  private timer: NodeJS.Timeout | null = null;
  /** The tick the timer is set for. */
  private armedTick = -1;
  private stopped = false;
  private processing = -1;
  private readonly due: WheelTimeout[] = [];

  constructor(options: TimingWheelOptions = {}) {
    const tickMs = options.tickMs ?? 10;
    if (!(tickMs >= 1) || !Number.isFinite(tickMs)) {
      throw new GostError('GOST_ERR_INVALID_ARG', `tickMs must be a finite number >= 1, got ${tickMs}`);
    }
    let slots = options.slots ?? 512;
    if (!(slots >= 1) || slots > 1 << 24) {
      throw new GostError('GOST_ERR_INVALID_ARG', `slots must be in [1, 2^24], got ${slots}`);
    }
    let n = 1;
    while (n < slots) n <<= 1;
    slots = n;
    this.tickMs = tickMs;
    this.mask = slots - 1;
    this.heads = new Array(slots).fill(null);
    this.clock = options.clock ?? Date.now;
    this.autoStart = options.autoStart ?? true;
    this.onError =
      options.onError ??
      ((err) => {
        setImmediate(() => {
          throw err;
        });
      });
    this.origin = this.clock();
    this.nextTick = 1;
  }

  /** Number of tasks scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.pendingCount;
  }

  /** The wheel's clock now. */
  now(): number {
    return this.clock();
  }

  /**
   * The time of the tick being processed (inside a callback), else of the last processed tick. This is the
   * wheel's notion of "when a task fired".
   */
  tickTime(): number {
    const t = this.processing >= 0 ? this.processing : this.nextTick - 1;
    return this.origin + t * this.tickMs;
  }

  /**
   * Runs `fn(arg, timeout)` once, `delayMs` from now (rounded up to the next tick boundary).
   * Pass the state in `arg` to avoid allocating a closure per call.
   */
  schedule<A>(delayMs: number, fn: WheelCallback<A>, arg?: A): WheelTimeout<A> {
    if (this.stopped) throw new GostError('GOST_ERR_WHEEL_STOPPED', 'the timing wheel is stopped');
    const deadline = this.clock() + Math.max(delayMs, 0);
    return this.scheduleAt(deadline, fn, arg);
  }

  /** Like {@link TimingWheel.schedule} with an absolute deadline in the wheel's clock. */
  scheduleAt<A>(deadline: number, fn: WheelCallback<A>, arg?: A): WheelTimeout<A> {
    if (this.stopped) throw new GostError('GOST_ERR_WHEEL_STOPPED', 'the timing wheel is stopped');
    let tick = Math.ceil((deadline - this.origin) / this.tickMs);
    // A tick already processed (or being processed) cannot take new tasks: use the next one.
    const minTick = this.processing >= 0 ? this.processing + 1 : this.nextTick;
    if (tick < minTick) tick = minTick;
    const t = new WheelTimeout<A>(this, tick, deadline, fn, arg as A);
    const slot = tick & this.mask;
    const head = this.heads[slot]!;
    if (head !== null) {
      t._next = head;
      head._prev = t;
    }
    this.heads[slot] = t;
    this.pendingCount++;
    // Wake up for this task if the timer sleeps past it (or is not running). Inside a callback, the timer
    // is re-armed after the tick anyway.
    if (this.autoStart && this.processing < 0 && (this.timer === null || tick < this.armedTick)) this.armAt(tick);
    return t;
  }

  /** @internal */
  _remove(t: WheelTimeout): void {
    const slot = t._tick & this.mask;
    if (t._prev !== null) t._prev._next = t._next;
    else if (this.heads[slot] === t) this.heads[slot] = t._next;
    if (t._next !== null) t._next._prev = t._prev;
    t._prev = t._next = null;
    t._wheel = null;
    // The timer is left to fire once even when nothing is pending: clearing and re-arming it on every
    // schedule/cancel pair (one call in flight) would cost more than the idle wake-up.
    this.pendingCount--;
  }

  /**
   * Processes every tick whose time is at or before the clock's now. Runs automatically from the Node
   * timer; call it directly when `autoStart` is `false`.
   * @returns the number of tasks run
   */
  advance(): number {
    const now = this.clock();
    let ran = 0;
    while (this.origin + this.nextTick * this.tickMs <= now) {
      const tick = this.nextTick++;
      if (this.pendingCount === 0) {
        // Jump: nothing pending, skip straight to now.
        const last = Math.floor((now - this.origin) / this.tickMs);
        if (last >= this.nextTick) this.nextTick = last + 1;
        continue;
      }
      ran += this.runTick(tick);
    }
    return ran;
  }

  private runTick(tick: number): number {
    const slot = tick & this.mask;
    const due = this.due;
    // Unlink every due task first, so callbacks may freely schedule or cancel while we run the batch.
    let t: WheelTimeout | null = this.heads[slot]!;
    while (t !== null) {
      const next: WheelTimeout | null = t._next;
      if (t._tick <= tick) {
        this._remove(t);
        due.push(t);
      }
      t = next;
    }
    let ran = 0;
    this.processing = tick;
    try {
      for (let i = 0; i < due.length; i++) {
        const d = due[i]!;
        due[i] = undefined as unknown as WheelTimeout;
        if (d._state !== STATE_PENDING) continue;
        d._state = STATE_EXPIRED;
        const fn = d._fn;
        const arg = d._arg;
        d._fn = noop;
        d._arg = undefined;
        ran++;
        try {
          fn(arg, d);
        } catch (err) {
          this.onError(err);
        }
      }
    } finally {
      due.length = 0;
      this.processing = -1;
    }
    return ran;
  }

  /** Arms the timer for the next occupied slot, so an idle wheel with far deadlines does not wake every tick. */
  private arm(): void {
    if (this.stopped || this.pendingCount === 0) return;
    const heads = this.heads;
    const mask = this.mask;
    let tick = this.nextTick + mask;
    for (let i = 0; i <= mask; i++) {
      if (heads[(this.nextTick + i) & mask] !== null) {
        tick = this.nextTick + i;
        break;
      }
    }
    this.armAt(tick);
  }

  private armAt(tick: number): void {
    if (this.stopped) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.armedTick = tick;
    const due = this.origin + tick * this.tickMs - this.clock();
    this.timer = setTimeout(onTimer, Math.max(due, 1), this);
    this.timer.unref();
  }

  /** @internal */
  _onTimer(): void {
    this.timer = null;
    this.advance();
    if (this.pendingCount > 0 && this.autoStart) this.arm();
  }

  /** Cancels every pending task and refuses new ones. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (let i = 0; i < this.heads.length; i++) {
      let t: WheelTimeout | null = this.heads[i]!;
      while (t !== null) {
        const next: WheelTimeout | null = t._next;
        t.cancel();
        t = next;
      }
    }
  }
}

function onTimer(wheel: TimingWheel): void {
  wheel._onTimer();
}

let defaultWheel: TimingWheel | null = null;

/** A process-wide wheel with the default options (10 ms ticks), created on first use. */
export function defaultTimingWheel(): TimingWheel {
  if (defaultWheel === null) defaultWheel = new TimingWheel();
  return defaultWheel;
}
