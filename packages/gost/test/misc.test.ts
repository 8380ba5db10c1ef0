import {
  Backoff,
  freePort,
  GostError,
  getLogger,
  joinHostPort,
  type Logger,
  localIp,
  SlidingWindowCounter,
  setLogger,
  silentLogger,
  splitHostPort,
} from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';

describe('Backoff', () => {
  it('grows exponentially up to max, with jitter below the base', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0, random: () => 0.5 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
    const j = new Backoff({ initialMs: 100, jitter: 1, random: () => 0.75 });
    expect(j.next()).toBe(25);
    expect(() => new Backoff({ jitter: 2 })).toThrow(GostError);
  });
});

describe('SlidingWindowCounter', () => {
  it('forgets buckets older than the window', () => {
    let now = 0;
    const w = new SlidingWindowCounter({ windowMs: 100, buckets: 10, clock: () => now });
    w.add();
    now = 50;
    w.add(2);
    expect(w.sum()).toBe(3);
    now = 105;
    expect(w.sum()).toBe(2);
    now = 1000;
    expect(w.sum()).toBe(0);
  });

  it('keeps a running total equal to the sum of the live buckets (1,000 buckets, random steps)', () => {
    let now = 0;
    const w = new SlidingWindowCounter({ windowMs: 1000, buckets: 1000, clock: () => now });
    const events: number[] = [];
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 5000; i++) {
      now += Math.floor(rnd() * (i % 500 === 0 ? 3000 : 5));
      w.add();
      events.push(now);
      const live = events.filter((t) => t > now - 1000).length;
      expect(w.sum()).toBe(live);
    }
  });

  it('treats a clock going backwards as standing still', () => {
    let now = 500;
    const w = new SlidingWindowCounter({ windowMs: 100, buckets: 10, clock: () => now });
    w.add();
    now = 400;
    w.add();
    expect(w.sum()).toBe(2);
    now = 599;
    expect(w.sum()).toBe(2);
    now = 600;
    expect(w.sum()).toBe(0);
    w.reset();
    expect(w.sum()).toBe(0);
    expect(w.windowMs).toBe(100);
  });

  it('adds only within a maximum (check and count at one clock read), or at a time given', () => {
    let now = 0;
    const w = new SlidingWindowCounter({ windowMs: 100, buckets: 10, clock: () => now });
    expect([w.addIfWithin(2), w.addIfWithin(2), w.addIfWithin(2)]).toEqual([true, true, false]);
    expect(w.sum()).toBe(2);
    now = 100;
    expect(w.addIfWithin(2)).toBe(true);
    w.add(5, 1000);
    expect(w.sum(1000)).toBe(5);
    expect(w.sum(1100)).toBe(0);
  });
});

describe('net helpers and logger', () => {
  it('finds a free port and a local ip, and parses addresses', async () => {
    const p = await freePort();
    expect(p).toBeGreaterThan(0);
    expect(localIp()).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(splitHostPort('127.0.0.1:20880')).toEqual({ host: '127.0.0.1', port: 20880 });
    expect(splitHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(joinHostPort('::1', 80)).toBe('[::1]:80');
    expect(() => splitHostPort('nope')).toThrow(GostError);
  });

  it('is silent in tests and can be pointed at a user logger', () => {
    expect(getLogger()).toBe(silentLogger);
    const lines: string[] = [];
    const mine: Logger = { debug() {}, info: (m) => lines.push(m), warn() {}, error() {} };
    setLogger(mine);
    getLogger().info('hello');
    setLogger(silentLogger);
    expect(lines).toEqual(['hello']);
  });
});
