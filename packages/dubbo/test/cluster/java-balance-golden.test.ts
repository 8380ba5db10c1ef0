// Our balancers against Java Dubbo 3.3's own classes: one JVM run of `tools/interop/java/interop.sh balance-golden`
// prints what Java's RoundRobinLoadBalance, AbstractLoadBalance.getWeight / calculateWarmupWeight and
// ConsistentHashLoadBalance choose over invokers built from provider URLs (see BalanceGolden.java); every sequence,
// weight and pick here must be Java's.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DubboUrl, type Invoker, ProviderInvoker, RpcInvocation, RpcResult } from '@dubbo-ts/dubbo';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsistentHashLoadBalance } from '../../src/cluster/loadbalance/consistent-hash.js';
import { RoundRobinLoadBalance } from '../../src/cluster/loadbalance/round-robin.js';
import { getWeight, warmupWeight } from '../../src/cluster/loadbalance/weight.js';
import { MethodDescriptor } from '../../src/config/service-descriptor.js';

interface Golden {
  generator: string;
  roundRobin: { name: string; steps: { urls: string[]; picks: number[] }[] }[];
  /** [uptime, warmup, weight, Java's calculateWarmupWeight] */
  warmupRamp: [number, number, number, number][];
  /** `weight` is Java's getWeight, or the simple name of the exception it threw. */
  getWeight: { url: string; now: number; weight: number | string }[];
  consistentHash: {
    name: string;
    steps: { urls: string[]; calls: { args: [string, string | null][]; pick: number }[] }[];
  }[];
}

const script = fileURLToPath(new URL('../../../../tools/interop/java/interop.sh', import.meta.url));

/** One JVM run (bounded: a cold JVM, maybe a Maven build first, on a busy machine). */
function runGolden(): Promise<Golden> {
  return new Promise((resolve, reject) => {
    execFile('bash', [script, 'balance-golden'], { timeout: 240_000, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`interop.sh balance-golden failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as Golden);
      } catch (e) {
        reject(new Error(`interop.sh balance-golden printed no JSON: ${String(e)}\n${stdout.slice(0, 2000)}`));
      }
    });
  });
}

let golden: Golden;
beforeAll(async () => {
  golden = await runGolden();
}, 240_000);

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
const plainCall = () => new RpcInvocation('m', 'Ljava/lang/String;', ['x'], {});

/** A call of `m` with Java-typed arguments, as a consumer built from a service descriptor makes it. */
function typedCall(args: [string, string | null][]): RpcInvocation {
  const method = new MethodDescriptor('m', { params: args.map(([t]) => t) });
  const inv = new RpcInvocation('m', method.desc, args.map(toTs), {});
  inv.method = method;
  return inv;
}

/** The TS value a user passes for a Java argument printed by `String.valueOf`. */
function toTs([type, text]: [string, string | null]): unknown {
  if (text === null) return null;
  switch (type) {
    case 'java.lang.String':
      return text;
    case 'boolean':
    case 'java.lang.Boolean':
      return text === 'true';
    case 'long':
    case 'java.lang.Long': {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    default:
      return Number(text); // int, Integer, double, Double ("NaN", "Infinity", "-0.0" included)
  }
}

describe("Java's own balancers as the reference", () => {
  it('ran Dubbo 3.3', () => {
    expect(golden.generator).toMatch(/BalanceGolden \(Dubbo 3\.3\.\d+\)/);
    expect(golden.roundRobin.length).toBeGreaterThanOrEqual(10);
    expect(golden.warmupRamp.length).toBeGreaterThan(500);
    expect(golden.consistentHash.length).toBeGreaterThanOrEqual(8);
  });

  it("roundrobin: every selection sequence equals Java's RoundRobinLoadBalance (weights 1,2,3 and 5,1,1 too)", () => {
    const byName = new Map(golden.roundRobin.map((c) => [c.name, c]));
    // The two sequences, as Java printed them.
    expect(byName.get('weights 1,2,3')!.steps[0]!.picks.slice(0, 6)).toEqual([2, 1, 0, 2, 1, 2]);
    expect(byName.get('weights 5,1,1')!.steps[0]!.picks.slice(0, 7)).toEqual([0, 0, 1, 0, 2, 0, 0]);
    for (const c of golden.roundRobin) {
      const lb = new RoundRobinLoadBalance(() => 1_000_000);
      for (const [s, step] of c.steps.entries()) {
        const list = step.urls.map(provider);
        const picks = step.picks.map(() => list.indexOf(lb.select(list, consumer, plainCall())));
        expect(picks, `${c.name}, step ${s}`).toEqual(step.picks);
      }
    }
  });

  it("warm-up: the ramp equals Java's calculateWarmupWeight over the whole table (32-bit float arithmetic)", () => {
    const now = 1_700_000_000_000;
    const wrong = golden.warmupRamp.filter(
      ([uptime, warmup, weight, java]) => warmupWeight(weight, now - uptime, warmup, now) !== java,
    );
    expect(wrong).toEqual([]);
  });

  it("warm-up: getWeight from provider URLs equals Java's (future timestamp, warmup 0, weight 0, m.weight...)", () => {
    const checked: string[] = [];
    for (const row of golden.getWeight) {
      const ours = getWeight(provider(row.url), plainCall(), row.now);
      if (typeof row.weight === 'number') {
        expect(ours, row.url).toBe(row.weight);
        checked.push(row.url);
      } else {
        // Java fails the call with NumberFormatException; we take the default for a value that is not a number
        // (and the integer part of a decimal one), as docs/clusters-and-load-balancing.md says.
        expect(row.weight, row.url).toBe('NumberFormatException');
        const bad = /(weight|warmup|timestamp)=[^&]*/.exec(row.url)![0];
        const fallback: Record<string, number> = {
          'weight=1.5': 1,
          'weight=abc': 100,
          'timestamp=abc': 100, // no timestamp: no warm-up
          'warmup=abc': 1, // the default 10 minutes, 1 s up
        };
        expect([bad, ours], row.url).toEqual([bad, fallback[bad]]);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(25);
  });

  it("consistenthash: every pick equals Java's ConsistentHashLoadBalance (hash.arguments, hash.nodes, typed args)", () => {
    let calls = 0;
    for (const c of golden.consistentHash) {
      const lb = new ConsistentHashLoadBalance();
      for (const [s, step] of c.steps.entries()) {
        const list = step.urls.map(provider);
        const picks = step.calls.map((call) => list.indexOf(lb.select(list, consumer, typedCall(call.args))));
        const wrong = step.calls
          .map((call, i) => ({ args: call.args, java: call.pick, ours: picks[i] }))
          .filter((x) => x.java !== x.ours);
        expect(wrong, `${c.name}, step ${s}`).toEqual([]);
        calls += picks.length;
      }
    }
    expect(calls).toBeGreaterThan(2000);
  });

  it('consistenthash: when a provider goes, only the keys that were on it move (in Java, and so in ours)', () => {
    const c = golden.consistentHash[0]!;
    const [full, without] = c.steps as [(typeof c.steps)[0], (typeof c.steps)[0]];
    expect(without.urls).toEqual([full.urls[0], full.urls[2]]);
    let moved = 0;
    for (const [i, call] of full.calls.entries()) {
      const after = without.urls[without.calls[i]!.pick];
      if (full.calls[i]!.pick === 1) moved++;
      else expect(after, JSON.stringify(call.args)).toBe(full.urls[call.pick]);
    }
    expect(moved).toBeGreaterThan(50);
  });
});
