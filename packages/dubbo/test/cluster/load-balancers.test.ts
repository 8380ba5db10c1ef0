// Every built-in balancer on injected randomness and clocks: round robin's smooth weighted sequence (Java's), least
// active and shortest response preferring the less loaded provider, consistent hashing stable under list changes
// (only the keys of a provider that goes move), p2c and adaptive taking the less loaded of two.
import {
  DubboUrl,
  type Invoker,
  type LoadBalance,
  loadBalances,
  ProviderInvoker,
  RpcInvocation,
  RpcResult,
} from '@dubbo-ts/dubbo';
import { java } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import { ConsistentHashLoadBalance } from '../../src/cluster/loadbalance/consistent-hash.js';
import { LeastActiveLoadBalance } from '../../src/cluster/loadbalance/least-active.js';
import { AdaptiveLoadBalance, P2cLoadBalance } from '../../src/cluster/loadbalance/p2c.js';
import { RoundRobinLoadBalance } from '../../src/cluster/loadbalance/round-robin.js';
import { ShortestResponseLoadBalance } from '../../src/cluster/loadbalance/shortest-response.js';

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
function provider(url: string): ProviderInvoker {
  const target: Invoker = {
    url: DubboUrl.valueOf(url),
    isAvailable: () => true,
    invoke: async () => new RpcResult(null),
    destroy: () => {},
  };
  return new ProviderInvoker(target);
}
const consumer = DubboUrl.valueOf('consumer://127.0.0.1/a.B');
const call = (...args: unknown[]) => new RpcInvocation('m', 'Ljava/lang/String;', args, {});
const names = (list: ProviderInvoker[], lb: LoadBalance, n: number) =>
  Array.from({ length: n }, () => 'ABCDEFGHIJ'[list.indexOf(lb.select(list, consumer, call('x')))]).join('');

describe('roundrobin', () => {
  it("gives Java's smooth weighted sequences for weights 1,2,3 and 5,1,1", () => {
    const w123 = [1, 2, 3].map((w, i) => provider(`dubbo://10.0.0.${i + 1}:20880/a.B?weight=${w}`));
    expect(names(w123, new RoundRobinLoadBalance(() => 0), 12)).toBe('CBACBCCBACBC');
    const w511 = [5, 1, 1].map((w, i) => provider(`dubbo://10.0.0.${i + 1}:20880/a.B?weight=${w}`));
    expect(names(w511, new RoundRobinLoadBalance(() => 0), 7)).toBe('AABACAA');
  });

  it("keeps each provider's state by identity across new lists, and restarts one whose weight changed", () => {
    const make = (weights: number[]) =>
      weights.map((w, i) => provider(`dubbo://10.0.0.${i + 1}:20880/a.B?weight=${w}`));
    const lb = new RoundRobinLoadBalance(() => 0);
    // Java's 1,2,3 sequence, its first four picks on one list and the next eight on a new list of new invokers of
    // the same providers (a registry notification): the state follows the providers, not the list (a lost state
    // would start again with CBAC).
    expect(names(make([1, 2, 3]), lb, 4) + names(make([1, 2, 3]), lb, 8)).toBe('CBACBCCBACBC');
    // Mid-cycle (after C B A: currents A -3, B 0, C 3) C's weight changes to 1: C starts again from 0 (Java's
    // WeightedRoundRobin), A and B keep theirs: B C B A (C would win first had it kept its 3).
    const changing = new RoundRobinLoadBalance(() => 0);
    expect(names(make([1, 2, 3]), changing, 3)).toBe('CBA');
    expect(names(make([1, 2, 1]), changing, 4)).toBe('BCBA');
  });

  it('never picks weight 0 while another is positive', () => {
    const list = [0, 1].map((w, i) => provider(`dubbo://10.0.0.${i + 1}:20880/a.B?weight=${w}`));
    expect(names(list, new RoundRobinLoadBalance(() => 0), 4)).toBe('BBBB');
  });
});

describe('leastactive and shortestresponse', () => {
  it('prefer the provider with fewer calls in flight / the shorter response', () => {
    const [fast, slow] = [provider('dubbo://10.0.0.1:20880/a.B'), provider('dubbo://10.0.0.2:20880/a.B')];
    slow!.stats.active = 3;
    const la = new LeastActiveLoadBalance(seeded(1));
    for (let i = 0; i < 100; i++) expect(la.select([fast!, slow!], consumer, call('x'))).toBe(fast);
    slow!.stats.active = 0;
    // Ten successful calls each: 5 ms on average for fast, 50 ms for slow.
    for (let i = 0; i < 10; i++) {
      fast!.stats.active++;
      fast!.stats.end(5, true);
      slow!.stats.active++;
      slow!.stats.end(50, true);
    }
    let now = 0;
    const sr = new ShortestResponseLoadBalance(seeded(2), () => now);
    // The first look opens the window; the calls after it count.
    sr.select([fast!, slow!], consumer, call('x'));
    fast!.stats.active++;
    fast!.stats.end(5, true);
    slow!.stats.active++;
    slow!.stats.end(50, true);
    for (let i = 0; i < 100; i++) expect(sr.select([fast!, slow!], consumer, call('x'))).toBe(fast);
    // A new window: nothing measured yet, both estimate 0, chosen by (equal) weight.
    now = 31_000;
    sr.select([fast!, slow!], consumer, call('x'));
    const seen = new Set(Array.from({ length: 200 }, () => sr.select([fast!, slow!], consumer, call('x'))));
    expect(seen.size).toBe(2);
  });
});

describe('consistenthash', () => {
  const list = [1, 2, 3].map((i) => provider(`dubbo://10.0.0.${i}:20880/a.B`));
  it('sends the same argument to the same provider, and after one goes only its keys move', () => {
    const lb = new ConsistentHashLoadBalance();
    const before = new Map<string, ProviderInvoker>();
    for (let k = 0; k < 500; k++) before.set(`key-${k}`, lb.select(list, consumer, call(`key-${k}`)));
    for (let k = 0; k < 500; k++) expect(lb.select(list, consumer, call(`key-${k}`))).toBe(before.get(`key-${k}`));
    const used = new Set(before.values());
    expect(used.size).toBe(3);
    const gone = list[1]!;
    const rest = [list[0]!, list[2]!];
    let moved = 0;
    for (const [k, p] of before) {
      const now = lb.select(rest, consumer, call(k));
      if (p === gone) moved++;
      else expect(now).toBe(p);
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('hashes the arguments named by hash.arguments, ignoring indexes past the arguments', () => {
    const two = [1, 2, 3].map((i) => provider(`dubbo://10.0.0.${i}:20880/a.B?hash.arguments=1`));
    const lb = new ConsistentHashLoadBalance();
    const a = lb.select(two, consumer, call('x', 'same'));
    for (let i = 0; i < 20; i++) expect(lb.select(two, consumer, call(`other-${i}`, 'same'))).toBe(a);
    const past = [1, 2, 3].map((i) => provider(`dubbo://10.0.0.${i}:20880/a.B?hash.arguments=5`));
    const p = lb.select(past, consumer, call('a'));
    expect(lb.select(past, consumer, call('b'))).toBe(p); // every key hashes ''
  });

  it("keys a generic call by its target arguments printed for its declared types (a double 3 as Java's 3.0)", () => {
    const lb = new ConsistentHashLoadBalance();
    const generic = (type: string, v: unknown) =>
      new RpcInvocation('$invoke', '', ['m', java.array('string', [type]), java.array('object', [v])], {});
    let differ = 0;
    for (let n = 0; n < 30; n++) {
      const asDouble = lb.select(list, consumer, call(java.double(n)));
      expect(lb.select(list, consumer, generic('double', n))).toBe(asDouble);
      expect(lb.select(list, consumer, generic('int', n))).toBe(lb.select(list, consumer, call(n)));
      if (lb.select(list, consumer, call(n)) !== asDouble) differ++;
    }
    expect(differ).toBeGreaterThan(0); // `3` and `3.0` are different keys
  });
});

describe('p2c and adaptive', () => {
  it('take the less loaded of two providers', () => {
    const [idle, busy] = [provider('dubbo://10.0.0.1:20880/a.B'), provider('dubbo://10.0.0.2:20880/a.B')];
    busy!.stats.active = 10;
    for (const lb of [new P2cLoadBalance(seeded(5)), new AdaptiveLoadBalance(seeded(6))]) {
      for (let i = 0; i < 50; i++) expect(lb.select([idle!, busy!], consumer, call('x'))).toBe(idle);
    }
  });

  it('are registered under their Java / dubbo-go names', () => {
    for (const n of ['random', 'roundrobin', 'leastactive', 'shortestresponse', 'consistenthash', 'p2c', 'adaptive']) {
      expect(loadBalances.has(n)).toBe(true);
    }
    expect(loadBalances.get('consistenthashing')()).toBeInstanceOf(ConsistentHashLoadBalance);
  });
});
