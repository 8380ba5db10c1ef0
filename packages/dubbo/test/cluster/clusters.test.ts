// Every cluster strategy over scripted providers (no sockets): what is called, how often, what the caller gets.
// Real-process failover is in failover.test.ts; here the providers are invokers that answer, fail or throw on cue.
import {
  type Cluster,
  clusters,
  DubboError,
  DubboStatusError,
  DubboUrl,
  type Invoker,
  loadBalances,
  ProviderInvoker,
  ResponseStatus,
  RpcInvocation,
  RpcResult,
} from '@dubbo-ts/dubbo';
import { StaticDirectory } from '@dubbo-ts/dubbo/extension';
import { JavaException } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import { failbackClusterWith } from '../../src/cluster/support/failback-cluster.js';
import { MockClusterInvoker, parseMock } from '../../src/cluster/support/mock-invoker.js';

type Script = 'ok' | 'rpc' | 'biz' | 'slow' | 'connect' | 'timeout';
interface Fake {
  readonly provider: ProviderInvoker;
  calls: number;
  script: Script;
}

function fake(name: string, script: Script, params = ''): Fake {
  const f: Fake = { provider: undefined as unknown as ProviderInvoker, calls: 0, script };
  const url = DubboUrl.valueOf(`dubbo://10.0.0.${name.charCodeAt(0) - 96}:20880/a.B?name=${name}${params}`);
  const target: Invoker = {
    url,
    isAvailable: () => true,
    invoke: (inv) => {
      f.calls++;
      switch (f.script) {
        case 'ok':
          return Promise.resolve(new RpcResult(inv.arguments[0] === 'list' ? [name] : name));
        case 'biz':
          return Promise.resolve(new RpcResult(null, new JavaException('java.lang.IllegalStateException', name)));
        case 'slow':
          return new Promise((r) => setTimeout(() => r(new RpcResult(name)), 50));
        case 'connect':
          return Promise.reject(new DubboError('DUBBO_ERR_CONNECT', `${name} refused`));
        case 'timeout':
          return Promise.reject(new DubboError('DUBBO_ERR_CLIENT_TIMEOUT', `${name} timed out`));
        default:
          return Promise.reject(new DubboStatusError(ResponseStatus.SERVER_THREADPOOL_EXHAUSTED_ERROR, `${name} busy`));
      }
    },
    destroy: () => {},
  };
  (f as { provider: ProviderInvoker }).provider = new ProviderInvoker(target);
  return f;
}

const consumer = DubboUrl.valueOf('consumer://127.0.0.1/a.B');
function join(cluster: Cluster | string, fakes: Fake[]): Invoker {
  const c = typeof cluster === 'string' ? clusters.get(cluster) : cluster;
  return c.join(
    new StaticDirectory(
      consumer,
      fakes.map((f) => f.provider),
    ),
    { loadBalances },
  );
}
const call = (arg = 'x') => new RpcInvocation('m', 'Ljava/lang/String;', [arg], {});
const counts = (fakes: Fake[]) => fakes.map((f) => f.calls);
// Balancer that takes the first offered provider, so attempts follow list order.
loadBalances.register('first', () => ({ select: (l) => l[0]! }));
const FIRST = '&loadbalance=first';

describe('failfast, failsafe, available', () => {
  it('failfast: one attempt, the error as it is', async () => {
    const f = [fake('a', 'rpc', FIRST), fake('b', 'ok', FIRST)];
    await expect(join('failfast', f).call!(call())).rejects.toMatchObject({
      code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    });
    expect(counts(f)).toEqual([1, 0]);
  });

  it('failsafe: an RPC failure resolves null; a service exception still reaches the caller', async () => {
    const f = [fake('a', 'rpc', FIRST), fake('b', 'ok', FIRST)];
    const inv = join('failsafe', f);
    expect(await inv.call!(call())).toBeNull();
    expect((await inv.invoke(call())).value).toBeNull();
    f[0]!.script = 'biz';
    await expect(inv.call!(call())).rejects.toBeInstanceOf(JavaException);
    expect(counts(f)).toEqual([3, 0]);
  });

  it('available: the first available provider, no balancer', async () => {
    const f = [fake('a', 'ok'), fake('b', 'ok')];
    const inv = join('available', f);
    for (let i = 0; i < 5; i++) expect(await inv.call!(call())).toBe('a');
    expect(counts(f)).toEqual([5, 0]);
  });
});

describe('failback', () => {
  it('resolves null at once and retries in the background, bounded by retries and failbacktasks', async () => {
    const timers: (() => void)[] = [];
    const cluster = failbackClusterWith({ periodMs: 5000, timers: { set: (fn) => timers.push(fn), clear: () => {} } });
    const f = [fake('a', 'rpc', `${FIRST}&failbacktasks=2`), fake('b', 'rpc', FIRST)];
    const inv = join(cluster, f) as Invoker & { pendingRetries: number };
    expect(await inv.call!(call())).toBeNull();
    expect(await inv.call!(call())).toBeNull();
    expect(await inv.call!(call())).toBeNull(); // the queue holds 2: this one is only logged
    expect(inv.pendingRetries).toBe(2);
    expect(counts(f)).toEqual([3, 0]);
    // First retry round: each task goes to the other provider (b), which fails too.
    for (const t of timers.splice(0)) t();
    await new Promise((r) => setTimeout(r, 0));
    expect(counts(f)).toEqual([3, 2]);
    // b recovers: the next round succeeds and the queue empties.
    f[1]!.script = 'ok';
    f[0]!.script = 'ok';
    for (const t of timers.splice(0)) t();
    await new Promise((r) => setTimeout(r, 0));
    expect(inv.pendingRetries).toBe(0);
    // Service exceptions are answers: not queued.
    f[0]!.script = 'biz';
    await expect(inv.call!(call())).rejects.toBeInstanceOf(JavaException);
    expect(inv.pendingRetries).toBe(0);
  });
});

describe('forking and broadcast', () => {
  it('forking: the first answer of `forks` providers wins; all failing gives the last error', async () => {
    const f = [fake('a', 'slow', '&forks=2'), fake('b', 'ok', '&forks=2'), fake('c', 'ok', '&forks=2')];
    const inv = join('forking', f);
    const got = await inv.call!(call());
    expect(['b', 'c', 'a']).toContain(got);
    expect(f.reduce((n, x) => n + x.calls, 0)).toBe(2);
    const bad = [fake('a', 'rpc'), fake('b', 'rpc')];
    await expect(join('forking', bad).call!(call())).rejects.toMatchObject({
      code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    });
    expect(counts(bad)).toEqual([1, 1]);
  });

  it('broadcast: calls every provider, throws the last failure; broadcast.fail.percent stops early', async () => {
    const f = [fake('a', 'ok'), fake('b', 'rpc'), fake('c', 'ok')];
    await expect(join('broadcast', f).call!(call())).rejects.toMatchObject({
      code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    });
    expect(counts(f)).toEqual([1, 1, 1]);
    const ok = [fake('a', 'ok'), fake('b', 'ok')];
    expect(await join('broadcast', ok).call!(call())).toBe('b');
    const early = [1, 2, 3, 4].map((i) => fake('abcd'[i - 1]!, 'rpc', '&broadcast.fail.percent=50'));
    await expect(join('broadcast', early).call!(call())).rejects.toBeInstanceOf(DubboError);
    expect(counts(early)).toEqual([1, 1, 0, 0]);
  });

  it('broadcast: a service exception is thrown wrapped in DUBBO_ERR_SERVICE_ERROR, as Java wraps it in an RpcException', async () => {
    const f = [fake('a', 'ok'), fake('b', 'biz'), fake('c', 'ok')];
    for (const path of ['call', 'invoke'] as const) {
      const err: unknown = await join('broadcast', f)[path]!(call()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DubboError);
      expect(err).toMatchObject({ code: 'DUBBO_ERR_SERVICE_ERROR', retryable: false, message: 'b' });
      expect((err as DubboError).cause).toBeInstanceOf(JavaException);
      expect(((err as DubboError).cause as JavaException).javaClass).toBe('java.lang.IllegalStateException');
    }
    expect(counts(f)).toEqual([2, 2, 2]);
  });
});

describe('mergeable', () => {
  it('one group answers without merger; with merger=true every group is called and lists are merged', async () => {
    const f = [fake('a', 'ok', '&group=g1'), fake('b', 'ok', '&group=g2'), fake('c', 'rpc', '&group=g3')];
    expect(await join('mergeable', f).call!(call('list'))).toEqual(['a']);
    const merged = [
      fake('a', 'ok', '&group=g1&merger=list'),
      fake('b', 'ok', '&group=g2&merger=list'),
      fake('c', 'biz', '&group=g3&merger=list'),
    ];
    // A group that throws (a service exception) is left out, as Java's MergeableClusterInvoker does.
    expect(((await join('mergeable', merged).call!(call('list'))) as string[]).sort()).toEqual(['a', 'b']);
    // An RPC failure of one group fails the whole call (Java rethrows it).
    merged[2]!.script = 'rpc';
    await expect(join('mergeable', merged).call!(call('list'))).rejects.toMatchObject({
      code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    });
    // Every group threw: no answer, null.
    for (const f of merged) f.script = 'biz';
    expect(await join('mergeable', merged).call!(call('list'))).toBeNull();
  });

  it('without merger: failover inside the group of the first available provider, never another group', async () => {
    const f = [
      fake('a', 'rpc', `${FIRST}&group=g1`),
      fake('b', 'ok', `${FIRST}&group=g2`),
      fake('c', 'ok', `${FIRST}&group=g1`),
    ];
    expect(await join('mergeable', f).call!(call())).toBe('c');
    expect(f.map((x) => x.calls)).toEqual([1, 0, 1]);
    // Alone in its group: 1 + retries attempts, then the call fails; the other group is never called.
    const alone = [fake('a', 'rpc', `${FIRST}&group=g1`), fake('b', 'ok', `${FIRST}&group=g2`)];
    await expect(join('mergeable', alone).call!(call())).rejects.toMatchObject({
      code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    });
    expect(alone.map((x) => x.calls)).toEqual([3, 0]);
  });

  it('a refused connection is retried inside its group (retries), as Java fails over inside each group', async () => {
    const f = [
      fake('a', 'ok', '&group=g1&merger=list'),
      fake('b', 'connect', '&group=g2&merger=list'),
      fake('c', 'ok', '&group=g2&merger=list'),
    ];
    expect(((await join('mergeable', f).call!(call('list'))) as string[]).sort()).toEqual(['a', 'c']);
    expect(f[2]!.calls).toBe(1);
    expect(f[1]!.calls).toBeLessThanOrEqual(1);
    // Alone in its group: 1 + retries (2) attempts, then the whole call fails with the refused connection.
    const alone = [fake('a', 'ok', '&group=g1&merger=list'), fake('b', 'connect', '&group=g2&merger=list')];
    await expect(join('mergeable', alone).call!(call('list'))).rejects.toMatchObject({ code: 'DUBBO_ERR_CONNECT' });
    expect(alone[1]!.calls).toBe(3);
    // A timeout is not retried (Java's group call is asynchronous: only a failure at send is).
    const slow = [fake('a', 'ok', '&group=g1&merger=list'), fake('b', 'timeout', '&group=g2&merger=list')];
    await expect(join('mergeable', slow).call!(call('list'))).rejects.toMatchObject({
      code: 'DUBBO_ERR_CLIENT_TIMEOUT',
    });
    expect(slow[1]!.calls).toBe(1);
  });
});

describe('zone-aware', () => {
  it('prefers the preferred registry, then the call zone; registry_zone_force refuses other zones', async () => {
    const f = [
      fake('a', 'ok', `${FIRST}&registry.zone=east`),
      fake('b', 'ok', `${FIRST}&registry.zone=west`),
      fake('c', 'ok', `${FIRST}&registry.zone=west&registry.preferred=true`),
    ];
    const inv = join('zone-aware', f);
    expect(await inv.call!(call())).toBe('c');
    const noPref = join('zone-aware', f.slice(0, 2));
    const west = call();
    west.attachments.registry_zone = 'west';
    expect(await noPref.call!(west)).toBe('b');
    const north = call();
    north.attachments.registry_zone = 'north';
    north.attachments.registry_zone_force = 'true';
    await expect(noPref.call!(north)).rejects.toMatchObject({ code: 'DUBBO_ERR_NO_PROVIDER' });
  });

  it("failover stays inside the registry or zone chosen first, as Java's per-registry cluster", async () => {
    // The preferred registry's lone provider fails: Java's failover of that registry tries it 1 + retries times.
    const f = [fake('a', 'ok', `${FIRST}&registry.zone=east`), fake('p', 'rpc', `${FIRST}&registry.preferred=true`)];
    await expect(join('zone-aware', f).call!(call())).rejects.toMatchObject({
      code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
    });
    expect(f[1]!.calls).toBe(3);
    expect(f[0]!.calls).toBe(0);
    // In zone west: b fails, the retry goes to c (west), never to a (east).
    const z = [
      fake('a', 'ok', `${FIRST}&registry.zone=east`),
      fake('b', 'rpc', `${FIRST}&registry.zone=west`),
      fake('c', 'ok', `${FIRST}&registry.zone=west`),
    ];
    const west = call();
    west.attachments.registry_zone = 'west';
    expect(await join('zone-aware', z).call!(west)).toBe('c');
    expect(z.map((x) => x.calls)).toEqual([0, 1, 1]);
    // No preferred registry and no zone: failover among all.
    const all = [fake('b', 'rpc', `${FIRST}&registry.zone=west`), fake('a', 'ok', `${FIRST}&registry.zone=east`)];
    expect(await join('zone-aware', all).call!(call())).toBe('a');
  });
});

describe('mock', () => {
  it('parses return, throw, force: and fail:', () => {
    expect(parseMock('false')).toBeUndefined();
    expect(parseMock('return')!.answer(call())).toBeNull();
    expect(parseMock('return 42')!.answer(call())).toBe(42);
    expect(parseMock("return 'hi'")!.answer(call())).toBe('hi');
    expect(parseMock('return {"a":1}')!.answer(call())).toEqual({ a: 1 });
    expect(parseMock('force:return true')!.force).toBe(true);
    expect(parseMock('fail:return x')!.force).toBe(false);
    expect(() => parseMock('throw com.x.Boom')!.answer(call())).toThrow(JavaException);
    expect(() => parseMock('throw')!.answer(call())).toThrow(DubboError);
    expect(() => parseMock('true')).toThrow(expect.objectContaining({ code: 'DUBBO_ERR_INVALID_ARG' }));
  });

  it('force: never calls the provider; fail: answers only an RPC failure, never a service exception', async () => {
    const f = [fake('a', 'rpc')];
    const withUrl = (mock: string) => {
      const dir = new StaticDirectory(consumer.addParameter('mock', mock), [f[0]!.provider]);
      return new MockClusterInvoker(clusters.get('failfast').join(dir, { loadBalances }));
    };
    expect(await withUrl('force:return "cached"').call!(call())).toBe('cached');
    expect(f[0]!.calls).toBe(0);
    expect(await withUrl('fail:return "fallback"').call!(call())).toBe('fallback');
    expect(f[0]!.calls).toBe(1);
    f[0]!.script = 'biz';
    await expect(withUrl('return "fallback"').call!(call())).rejects.toBeInstanceOf(JavaException);
  });
});

describe('sticky', () => {
  it('keeps calling the same provider while it is available', async () => {
    const f = [1, 2, 3].map((i) => fake('abc'[i - 1]!, 'ok', '&sticky=true'));
    const inv = join('failover', f);
    const first = await inv.call!(call());
    for (let i = 0; i < 20; i++) expect(await inv.call!(call())).toBe(first);
  });
});
