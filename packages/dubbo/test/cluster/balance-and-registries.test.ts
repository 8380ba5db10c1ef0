// The extension registries, weighted random on a seeded RNG, Java's warm-up weight, the router chain seam, and which
// errors are retryable. Pure units: no sockets, injected randomness and clocks.
import {
  clusters,
  DUBBO_ERROR_CODES,
  DubboError,
  DubboStatusError,
  DubboUrl,
  ExtensionRegistry,
  type Invoker,
  isRetryable,
  isRetryableCode,
  loadBalances,
  ProviderInvoker,
  protocols,
  ResponseStatus,
  type Router,
  RouterChain,
  RpcInvocation,
  RpcResult,
} from '@dubbo-ts/dubbo';
import { RandomLoadBalance, StaticDirectory, warmupWeight } from '@dubbo-ts/dubbo/extension';
import { JavaException } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

/** mulberry32: a small seeded uniform RNG in [0, 1). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fakeInvoker(url: string): Invoker {
  return {
    url: DubboUrl.valueOf(url),
    isAvailable: () => true,
    invoke: async () => new RpcResult(url),
    destroy: () => {},
  };
}
const provider = (url: string) => new ProviderInvoker(fakeInvoker(url));
const inv = () => new RpcInvocation('greet', 'Ljava/lang/String;', ['x'], {});
const consumer = DubboUrl.valueOf('consumer://127.0.0.1/a.B');

describe('extension registries', () => {
  it('hold the built-ins by name, take new ones, and refuse an unknown name with its code and the known names', () => {
    expect(clusters.has('failover')).toBe(true);
    expect(loadBalances.has('random')).toBe(true);
    expect(protocols.has('dubbo')).toBe(true);
    const r = new ExtensionRegistry<number>('widget', { one: 1 });
    r.register('two', 2);
    expect(r.get('two')).toBe(2);
    expect(r.names()).toEqual(['one', 'two']);
    expect(() => r.get('three')).toThrow(expect.objectContaining({ code: 'DUBBO_ERR_UNKNOWN_EXTENSION' }));
    expect(() => r.get('three')).toThrow("no widget named 'three' (registered: one, two)");
    expect(() => r.register('', 3)).toThrow(expect.objectContaining({ code: 'DUBBO_ERR_INVALID_ARG' }));
    expect(r.unregister('one')).toBe(true);
    expect(r.find('one')).toBeUndefined();
    expect(DUBBO_ERROR_CODES.DUBBO_ERR_UNKNOWN_EXTENSION).toMatch(/registered under the name/);
  });
});

describe('random load balance', () => {
  it('is uniform without weight or timestamp, within statistical bounds', () => {
    const list = [1, 2, 3].map((i) => provider(`dubbo://10.0.0.${i}:20880/a.B`));
    const lb = new RandomLoadBalance(seeded(7));
    const counts = new Map<ProviderInvoker, number>();
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const p = lb.select(list, consumer, inv());
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const p of list) expect(Math.abs((counts.get(p) ?? 0) / n - 1 / 3)).toBeLessThan(0.015);
  });

  it('weighs by `weight` (1, 2, 3: shares 1/6, 2/6, 3/6), method-level weight first', () => {
    const list = [1, 2, 3].map((w) => provider(`dubbo://10.0.0.${w}:20880/a.B?weight=${w}`));
    const lb = new RandomLoadBalance(seeded(11));
    const counts = [0, 0, 0];
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[list.indexOf(lb.select(list, consumer, inv()))]!++;
    expect(counts.map((c) => Math.round((c / n) * 60))).toEqual([10, 20, 30]);
    const byMethod = [
      provider('dubbo://10.0.0.1:20880/a.B?weight=100&greet.weight=1&methods=greet'),
      provider('dubbo://10.0.0.2:20880/a.B?weight=1&greet.weight=100&methods=greet'),
    ];
    let second = 0;
    for (let i = 0; i < 10_000; i++) if (lb.select(byMethod, consumer, inv()) === byMethod[1]) second++;
    expect(second / 10_000).toBeGreaterThan(0.97);
  });

  it('ramps a young provider up during warm-up, from the URL timestamp', () => {
    const now = 1_700_000_000_000;
    const young = provider(`dubbo://10.0.0.1:20880/a.B?timestamp=${now - 60_000}`); // 1 of 10 minutes up: weight 10
    const old = provider(`dubbo://10.0.0.2:20880/a.B?timestamp=${now - 3_600_000}`); // weight 100
    const lb = new RandomLoadBalance(seeded(3), () => now);
    let youngPicks = 0;
    const n = 55_000;
    for (let i = 0; i < n; i++) if (lb.select([young, old], consumer, inv()) === young) youngPicks++;
    expect(Math.round((youngPicks / n) * 110)).toBe(10);
  });
});

describe("Java's warm-up weight", () => {
  it('matches getWeight: full at uptime 0 and past warm-up, 1 in the future, the float ramp between', () => {
    const w = (uptime: number, weight = 100, warmup = 600_000) => warmupWeight(weight, 1000, warmup, 1000 + uptime);
    expect(w(0)).toBe(100); // Java checks uptime > 0
    expect(w(-5)).toBe(1);
    expect(w(1)).toBe(1); // clamped to 1
    expect(w(60_000)).toBe(10);
    expect(w(300_000)).toBe(50);
    expect(w(599_999)).toBe(99);
    expect(w(600_000)).toBe(100);
    expect(w(10, 0)).toBe(0);
    expect(warmupWeight(100, 0, 600_000, 5)).toBe(100); // no timestamp: no warm-up
    expect(w(5_000, 7, 10_000)).toBe(3); // (int)(5000 / (10000f / 7)) = (int) 3.5
  });
});

describe('router chain', () => {
  it('hands the list through untouched when empty, and applies routers in priority order', () => {
    const list = [1, 2, 3].map((i) => provider(`dubbo://10.0.0.${i}:20880/a.B`));
    const chain = new RouterChain();
    expect(chain.route(list, consumer, inv())).toBe(list);
    const order: string[] = [];
    const dropFirst: Router = {
      name: 'drop-first',
      priority: 2,
      route: (l) => {
        order.push('drop-first');
        return l.slice(1);
      },
    };
    const dropLast: Router = {
      name: 'drop-last',
      priority: 1,
      route: (l) => {
        order.push('drop-last');
        return l.slice(0, -1);
      },
    };
    chain.setRouters([dropFirst, dropLast]);
    expect(chain.route(list, consumer, inv())).toEqual([list[1]]);
    expect(order).toEqual(['drop-last', 'drop-first']);
    const dir = new StaticDirectory(consumer, list, chain);
    expect(dir.list(inv())).toEqual([list[1]]);
    expect(dir.providers).toBe(list);
  });
});

describe('retryable errors', () => {
  it('is a property of the error: RPC failures yes, service exceptions and local misuse no', () => {
    for (const code of [
      'DUBBO_ERR_CLIENT_TIMEOUT',
      'DUBBO_ERR_SERVER_TIMEOUT',
      'DUBBO_ERR_CHANNEL_INACTIVE',
      'DUBBO_ERR_CONNECT',
      'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    ] as const) {
      expect(isRetryableCode(code)).toBe(true);
      expect(new DubboError(code, 'x').retryable).toBe(true);
    }
    for (const code of ['DUBBO_ERR_INVALID_ARG', 'DUBBO_ERR_PAYLOAD_LIMIT', 'DUBBO_ERR_CLOSED'] as const) {
      expect(isRetryable(new DubboError(code, 'x'))).toBe(false);
    }
    expect(new DubboStatusError(ResponseStatus.CLIENT_TIMEOUT, 'late').retryable).toBe(true);
    expect(new DubboError('DUBBO_ERR_INVALID_ARG', 'x', { retryable: true }).retryable).toBe(true);
    expect(isRetryable(new JavaException('java.lang.RuntimeException', 'service'))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });
});
