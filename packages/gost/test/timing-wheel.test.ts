import { GostError, TimingWheel } from '@dubbo-ts/gost';
import { describe, expect, it, vi } from 'vitest';

/** A deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('TimingWheel', () => {
  it('fires 50,000 deadlines no earlier than due and within one tick, and cancel really cancels', () => {
    let now = 1_000_000;
    const tickMs = 10;
    const wheel = new TimingWheel({ tickMs, slots: 256, clock: () => now, autoStart: false });
    const rand = rng(42);
    const n = 50_000;
    const fired = new Float64Array(n).fill(-1);
    const deadlines = new Float64Array(n);
    const cancelled = new Uint8Array(n);
    const handles = [];
    const onFire = (i: number) => {
      expect(fired[i]).toBe(-1);
      fired[i] = wheel.tickTime();
    };
    for (let i = 0; i < n; i++) {
      // Spread over ~12 wheel rounds so multi-round slots are exercised; start times vary too.
      if (i % 1000 === 0) {
        now += Math.floor(rand() * 7);
        wheel.advance();
      }
      const delay = Math.floor(rand() * 30_000);
      deadlines[i] = now + delay;
      handles.push(wheel.schedule(delay, onFire, i));
    }
    let alreadyFired = 0;
    for (let i = 0; i < n; i++) if (handles[i]!.expired) alreadyFired++;
    let nCancelled = 0;
    for (let i = 0; i < n; i += 3) {
      if (handles[i]!.expired) continue; // fired while we were still scheduling
      expect(handles[i]!.cancel()).toBe(true);
      expect(handles[i]!.cancel()).toBe(false);
      cancelled[i] = 1;
      nCancelled++;
    }
    expect(nCancelled).toBeGreaterThan(n / 4);
    expect(wheel.pending).toBe(n - alreadyFired - nCancelled);
    // Advance the clock in uneven steps, sometimes less than a tick, sometimes many ticks.
    const end = now + 31_000;
    while (now < end) {
      now += 1 + Math.floor(rand() * 25);
      wheel.advance();
    }
    expect(wheel.pending).toBe(0);
    for (let i = 0; i < n; i++) {
      if (cancelled[i]) {
        expect(fired[i]).toBe(-1);
        expect(handles[i]!.cancelled).toBe(true);
        continue;
      }
      expect(handles[i]!.expired).toBe(true);
      expect(fired[i]).toBeGreaterThanOrEqual(deadlines[i]!);
      expect(fired[i]! - deadlines[i]!).toBeLessThan(tickMs);
    }
  });

  it('lets a callback cancel a task due in the same tick and schedule new ones', () => {
    let now = 0;
    const wheel = new TimingWheel({ tickMs: 5, clock: () => now, autoStart: false });
    const ran: string[] = [];
    const b = wheel.schedule(10, () => ran.push('b'));
    wheel.schedule(10, () => {
      ran.push('a');
      b.cancel();
      wheel.schedule(0, () => ran.push('c'));
    });
    now = 10;
    wheel.advance();
    // Order is not promised: b ran only if it came first, then a cannot cancel it.
    expect(ran.includes('a')).toBe(true);
    expect(ran.filter((x) => x === 'b').length + (b.cancelled ? 1 : 0)).toBe(1);
    expect(ran.includes('c')).toBe(false);
    now = 15;
    wheel.advance();
    expect(ran.includes('c')).toBe(true);
  });

  it('runs on its own unref-ed timer with the real clock', async () => {
    const wheel = new TimingWheel({ tickMs: 2 });
    const order: number[] = [];
    await new Promise<void>((resolve) => {
      wheel.schedule(20, () => order.push(2));
      wheel.schedule(1, () => order.push(1));
      const dead = wheel.schedule(5, () => order.push(99));
      dead.cancel();
      wheel.schedule(40, () => {
        order.push(3);
        resolve();
      });
    });
    expect(order).toEqual([1, 2, 3]);
    expect(wheel.pending).toBe(0);
    wheel.stop();
    expect(() => wheel.schedule(1, () => {})).toThrow(GostError);
  });

  it('reports callback errors and keeps going', () => {
    let now = 0;
    const errors: unknown[] = [];
    const wheel = new TimingWheel({ tickMs: 1, clock: () => now, autoStart: false, onError: (e) => errors.push(e) });
    let ok = false;
    wheel.schedule(1, () => {
      throw new Error('boom');
    });
    wheel.schedule(1, () => {
      ok = true;
    });
    now = 1;
    expect(wheel.advance()).toBe(2);
    expect(ok).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('rejects bad options', () => {
    expect(() => new TimingWheel({ tickMs: 0 })).toThrow(GostError);
    expect(() => new TimingWheel({ slots: 0 })).toThrow(GostError);
  });

  it('sleeps until the next occupied slot instead of waking every tick', () => {
    vi.useFakeTimers();
    try {
      const wheel = new TimingWheel({ tickMs: 10, slots: 64 });
      const wakeups = vi.spyOn(wheel, '_onTimer');
      const fired: number[] = [];
      wheel.schedule(2000, () => fired.push(Date.now())); // ~3 rounds of 640 ms away
      const start = Date.now();
      vi.advanceTimersByTime(1990);
      expect(fired).toEqual([]);
      // An earlier deadline re-arms the timer sooner.
      wheel.schedule(5, () => fired.push(Date.now()));
      vi.advanceTimersByTime(100);
      expect(fired).toHaveLength(2);
      expect(fired[0]! - start).toBeGreaterThanOrEqual(1995);
      expect(fired[1]! - start).toBeGreaterThanOrEqual(2000);
      // Once per round for the far task, plus the two deadlines: not 200 wakeups.
      expect(wakeups.mock.calls.length).toBeLessThanOrEqual(6);
      vi.advanceTimersByTime(10_000);
      expect(wakeups.mock.calls.length).toBeLessThanOrEqual(6);
    } finally {
      vi.useRealTimers();
    }
  });
});
