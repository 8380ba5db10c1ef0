// The adaptive (gradient) concurrency limiter on an injected clock, against a simulated provider: C workers, a
// fixed service time, a FIFO queue, offered 3x what it can serve. No sleeps: time is a counter.
import { DubboClient, DubboServer, defineService, LimitExceededError } from '@dubbo-ts/dubbo';
import { AdaptiveLimiter } from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';

interface Sim {
  /** Calls answered in [from, to). */
  goodput(from: number, to: number): number;
  /** The p99 latency of the calls answered in [from, to). */
  p99(from: number, to: number): number;
  /** The limit at time t. */
  limitAt(t: number): number;
}

/**
 * Runs `ms` ms of a provider with `workers` workers whose service time is `serviceMs(t)`, offered `perMs` calls a
 * ms, through `limiter` (or none). Returns what was measured.
 */
function simulate(
  limiter: AdaptiveLimiter | null,
  clock: { now: number },
  ms: number,
  workers: number,
  serviceMs: (t: number) => number,
  perMs: number,
): Sim {
  const queue: number[] = []; // start times of admitted calls waiting for a worker
  const running: { start: number; end: number }[] = [];
  const done: { at: number; rtt: number }[] = [];
  const limits: number[] = [];
  for (let t = 0; t < ms; t++) {
    clock.now = t;
    for (let i = running.length - 1; i >= 0; i--) {
      const r = running[i]!;
      if (r.end <= t) {
        running.splice(i, 1);
        done.push({ at: t, rtt: t - r.start });
        limiter?.release(t - r.start);
      }
    }
    for (let k = 0; k < perMs; k++) if (limiter === null || limiter.tryAcquire()) queue.push(t);
    while (running.length < workers && queue.length > 0) running.push({ start: queue.shift()!, end: t + serviceMs(t) });
    limits.push(limiter?.limit ?? Number.POSITIVE_INFINITY);
  }
  const within = (from: number, to: number) => done.filter((d) => d.at >= from && d.at < to);
  return {
    goodput: (from, to) => within(from, to).length,
    p99: (from, to) => {
      const r = within(from, to)
        .map((d) => d.rtt)
        .sort((a, b) => a - b);
      return r[Math.floor(r.length * 0.99)] ?? 0;
    },
    limitAt: (t) => limits[t]!,
  };
}

describe('AdaptiveLimiter (gradient)', () => {
  it('converges near the concurrency the provider sustains: full goodput, bounded latency under 3x overload', () => {
    const clock = { now: 0 };
    const limiter = new AdaptiveLimiter({ clock: () => clock.now, noLoadWindowMs: 2000 });
    const workers = 10;
    const service = 5; // ms: capacity 2 calls/ms
    const sim = simulate(limiter, clock, 10_000, workers, () => service, 6);
    const capacity = (workers / service) * 5000;
    expect(sim.goodput(5000, 10_000)).toBeGreaterThanOrEqual(0.9 * capacity);
    expect(sim.p99(5000, 10_000)).toBeLessThanOrEqual(3 * service);
    for (const t of [6000, 8000, 9999]) {
      expect(sim.limitAt(t)).toBeGreaterThanOrEqual(workers);
      expect(sim.limitAt(t)).toBeLessThanOrEqual(2 * workers);
    }
    // Without a limiter the queue grows without bound: latency explodes (the same model, for contrast).
    const none = simulate(null, { now: 0 }, 10_000, workers, () => service, 6);
    expect(none.p99(5000, 10_000)).toBeGreaterThan(100 * service);
  });

  it('after a step in the service time, dips, then converges again once the old no-load latency is forgotten', () => {
    const clock = { now: 0 };
    const limiter = new AdaptiveLimiter({ clock: () => clock.now, noLoadWindowMs: 2000 });
    const workers = 10;
    const step = 10_000;
    const sim = simulate(limiter, clock, 20_000, workers, (t) => (t < step ? 5 : 10), 6);
    expect(sim.limitAt(step - 1)).toBeGreaterThanOrEqual(workers);
    const dip = Math.min(...Array.from({ length: 2000 }, (_, i) => sim.limitAt(step + i)));
    expect(dip).toBeLessThan(workers); // the latency doubled against the remembered no-load latency
    const capacity = (workers / 10) * 5000;
    expect(sim.goodput(15_000, 20_000)).toBeGreaterThanOrEqual(0.9 * capacity);
    expect(sim.p99(15_000, 20_000)).toBeLessThanOrEqual(3 * 10);
    expect(sim.limitAt(19_999)).toBeGreaterThanOrEqual(workers);
    expect(sim.limitAt(19_999)).toBeLessThanOrEqual(2 * workers);
  });

  it('does not grow while the load, not the provider, is the limit', () => {
    const clock = { now: 0 };
    const limiter = new AdaptiveLimiter({ clock: () => clock.now, initialLimit: 20 });
    simulate(limiter, clock, 5000, 100, () => 5, 1); // ~5 in flight, well under half the limit
    expect(limiter.limit).toBe(20);
  });
});

describe('flowcontrol=gradient on a provider', () => {
  interface Echo {
    echo(s: string): Promise<string>;
  }
  const Echo = defineService<Echo>({
    interfaceName: 'org.example.Echo',
    methods: { echo: { params: ['java.lang.String'], returns: 'java.lang.String' } },
  });

  it('refuses past the limit with a status-70 RpcException a TS consumer reads as a retryable LimitExceededError', async () => {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    const release: (() => void)[] = [];
    server.export(
      Echo,
      { echo: (s) => new Promise<string>((r) => release.push(() => r(s))) },
      { parameters: { flowcontrol: 'gradient', 'flowcontrol.initial.limit': '2', 'flowcontrol.max.limit': '2' } },
    );
    await server.listen();
    const client = new DubboClient();
    try {
      const ref = client.refer(Echo, { url: server.address, cluster: 'failfast', timeout: 5000 });
      const a = ref.proxy.echo('a');
      const b = ref.proxy.echo('b');
      for (let i = 0; i < 500 && release.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const err = (await ref.proxy.echo('c').catch((e: unknown) => e)) as LimitExceededError;
      expect(err).toBeInstanceOf(LimitExceededError);
      expect(err.kind).toBe('adaptive');
      expect(err.limit).toBe('2');
      expect(err.retryable).toBe(true);
      for (const r of release) r();
      expect(await Promise.all([a, b])).toEqual(['a', 'b']);
      const adaptive = server.exported[0]!.flow!.adaptive!;
      expect(adaptive.rejected).toBe(1);
      expect(adaptive.limiter.inflight).toBe(0);
      expect(() =>
        server.export(Echo, { echo: (s) => s }, { group: 'g', parameters: { flowcontrol: 'magic' } }),
      ).toThrow(/flowcontrol: 'gradient' expected/);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
