// TPS strategies and the method-service limiter on an injected clock: window edges, bursts, steady over-rate.
import { DubboUrl, RpcInvocation, type TpsLimitStrategy, tpsLimitStrategies } from '@dubbo-ts/dubbo';
import {
  FixedWindowStrategy,
  MethodServiceTpsLimiter,
  SlidingWindowStrategy,
  TokenBucketStrategy,
} from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';

/** Calls `isAllowable` `n` times; returns how many were allowed. */
const burst = (s: TpsLimitStrategy, n: number): number => {
  let ok = 0;
  for (let i = 0; i < n; i++) if (s.isAllowable()) ok++;
  return ok;
};

describe('fixedWindow (Java StatItem)', () => {
  it('gives rate tokens per window and refills only after more than interval ms', () => {
    let now = 1000;
    const s = new FixedWindowStrategy(3, 100, () => now);
    expect(burst(s, 5)).toBe(3);
    now = 1100; // exactly interval later: Java's check is now > start + interval
    expect(s.isAllowable()).toBe(false);
    now = 1101;
    expect(burst(s, 5)).toBe(3);
  });

  it('allows 2x rate across a window edge (the known flaw of fixed windows)', () => {
    let now = 0;
    const s = new FixedWindowStrategy(10, 1000, () => now);
    now = 999;
    expect(burst(s, 10)).toBe(10);
    now = 1001;
    expect(burst(s, 10)).toBe(10);
  });

  it('holds steady over-rate traffic to rate per window', () => {
    let now = 0;
    const s = new FixedWindowStrategy(5, 100, () => now);
    let ok = 0;
    for (let t = 0; t < 1010; t++) {
      now = t; // 1 call per ms, 20x the rate
      if (s.isAllowable()) ok++;
    }
    // windows open at 0, 101, 202, ... 909, 1010: 10 windows of 5 in [0, 1010)
    expect(ok).toBe(50);
  });
});

describe('slidingWindow', () => {
  it('never lets more than rate through in any interval-long span (ms buckets)', () => {
    let now = 0;
    const rate = 10;
    const s = new SlidingWindowStrategy(rate, 1000, () => now);
    const allowed: number[] = [];
    for (let t = 0; t < 5000; t += 7) {
      now = t;
      for (let k = 0; k < 3; k++) if (s.isAllowable()) allowed.push(t);
    }
    for (let i = rate; i < allowed.length; i++) expect(allowed[i]! - allowed[i - rate]!).toBeGreaterThanOrEqual(1000);
    expect(allowed.length).toBeGreaterThanOrEqual(45); // ~10 per second over 5 s
  });

  it('refuses the burst across the edge that fixedWindow allows', () => {
    let now = 999;
    const s = new SlidingWindowStrategy(10, 1000, () => now);
    expect(burst(s, 10)).toBe(10);
    now = 1001;
    expect(burst(s, 10)).toBe(0);
    now = 1999;
    expect(burst(s, 10)).toBe(10);
  });

  it('does not count refused calls', () => {
    let now = 0;
    const s = new SlidingWindowStrategy(2, 100, () => now);
    expect(burst(s, 100)).toBe(2);
    now = 100;
    expect(burst(s, 100)).toBe(2);
  });
});

describe('tokenBucket', () => {
  it('allows a burst of rate, then the refill rate', () => {
    let now = 0;
    const s = new TokenBucketStrategy(10, 1000, () => now);
    expect(burst(s, 20)).toBe(10);
    now = 100; // one token refilled
    expect(burst(s, 5)).toBe(1);
    now = 10_000; // idle: the bucket holds at most rate
    expect(burst(s, 20)).toBe(10);
  });

  it('holds steady over-rate traffic to exactly the rate', () => {
    let now = 0;
    const s = new TokenBucketStrategy(100, 1000, () => now);
    burst(s, 100); // drain the initial burst
    let ok = 0;
    for (let t = 1; t <= 10_000; t++) {
      now = t;
      if (s.isAllowable()) ok++;
      if (s.isAllowable()) ok++;
    }
    expect(ok).toBe(1000); // 100/s over 10 s
  });
});

describe('the registries', () => {
  it('has dubbo-go names and refuses unknown ones naming the registered', () => {
    expect(tpsLimitStrategies.names()).toEqual(
      expect.arrayContaining(['fixedWindow', 'threadSafeFixedWindow', 'slidingWindow', 'tokenBucket']),
    );
    expect(() => tpsLimitStrategies.get('leaky')).toThrow(/no tps limit strategy named 'leaky'.*fixedWindow/);
  });
});

const inv = (method: string, attachments: Record<string, unknown> = {}): RpcInvocation =>
  new RpcInvocation(method, '', [], attachments, 'org.example.Greeter');
const urlOf = (params: Record<string, string>): DubboUrl =>
  new DubboUrl({ protocol: 'dubbo', path: 'org.example.Greeter' }).addParameters(params);
const count = (l: MethodServiceTpsLimiter, url: DubboUrl, i: RpcInvocation, n: number): number => {
  let ok = 0;
  for (let k = 0; k < n; k++) if (l.isAllowable(url, i)) ok++;
  return ok;
};

describe('method-service limiter', () => {
  it('a method limit wins and has its own counter; other methods share the service counter', () => {
    const now = 0;
    const l = new MethodServiceTpsLimiter(() => now);
    const url = urlOf({ tps: '5', 'greet.tps': '2' });
    expect(count(l, url, inv('greet'), 10)).toBe(2);
    expect(count(l, url, inv('a'), 3)).toBe(3);
    expect(count(l, url, inv('b'), 3)).toBe(2); // a and b share 5
    expect(l.describe(url, inv('greet'))).toBe('2 per 60000 ms (fixedWindow)');
  });

  it("reads dubbo-go's keys before Java's; Java's tps <= 0 and dubbo-go's rate < 0 mean no limit, rate 0 refuses", () => {
    const l = new MethodServiceTpsLimiter(() => 0);
    expect(count(l, urlOf({ 'tps.limit.rate': '1', tps: '5' }), inv('m'), 10)).toBe(1);
    const l2 = new MethodServiceTpsLimiter(() => 0);
    expect(count(l2, urlOf({ tps: '0' }), inv('m'), 10)).toBe(10);
    expect(count(l2, urlOf({ 'tps.limit.rate': '-1' }), inv('m'), 10)).toBe(10);
    expect(count(l2, urlOf({ 'tps.limit.rate': '0' }), inv('m'), 10)).toBe(0);
  });

  it('reads interval and strategy method level first, Java interval 60000 ms by default', () => {
    let now = 0;
    const l = new MethodServiceTpsLimiter(() => now);
    const url = urlOf({
      'tps.limit.rate': '1',
      'tps.limit.interval': '1000',
      'greet.tps.limit.rate': '1',
      'greet.tps.interval': '50',
      'greet.tps.limit.strategy': 'slidingWindow',
    });
    expect(l.describe(url, inv('greet'))).toBe('1 per 50 ms (slidingWindow)');
    expect(l.describe(url, inv('other'))).toBe('1 per 1000 ms (fixedWindow)');
    expect(count(l, url, inv('greet'), 3)).toBe(1);
    now = 50;
    expect(count(l, url, inv('greet'), 3)).toBe(1);
  });

  it('keeps no more than 1,024 method plans when clients invent method names, and still limits them', () => {
    const l = new MethodServiceTpsLimiter(() => 0);
    const url = urlOf({ tps: '3000' });
    let ok = 0;
    for (let i = 0; i < 5000; i++) if (l.isAllowable(url, inv(`m${i}`))) ok++;
    expect(ok).toBe(3000); // one service counter for them all
    expect((l as unknown as { plans: Map<string, unknown> }).plans.size).toBe(1024);
  });

  it('keeps a counter across a URL change that leaves its limit alone, and rebuilds it when the rate changes', () => {
    const l = new MethodServiceTpsLimiter(() => 0);
    expect(count(l, urlOf({ tps: '3', timeout: '1' }), inv('m'), 2)).toBe(2);
    expect(count(l, urlOf({ tps: '3', timeout: '2' }), inv('m'), 5)).toBe(1);
    expect(count(l, urlOf({ tps: '4' }), inv('m'), 5)).toBe(4);
  });
});
