// TPS limits over real TS providers and consumers: the refusal on the wire (Java's shape), rejection handlers,
// failover past a limited provider, graded limits, runtime changes, and nothing installed when nothing is set.

import {
  DubboClient,
  DubboError,
  DubboServer,
  defineService,
  type ExportOptions,
  fallbackHandler,
  LimitExceededError,
  RpcResult,
  rejectedExecutionHandlers,
} from '@dubbo-ts/dubbo';
import { setLogger, silentLogger } from '@dubbo-ts/gost';
import { JavaException } from '@dubbo-ts/hessian2';
import { afterEach, describe, expect, it } from 'vitest';

interface Greeter {
  greet(name: string): Promise<string>;
  other(name: string): Promise<string>;
}
const Greeter = defineService<Greeter>({
  interfaceName: 'org.example.Greeter',
  methods: {
    greet: { params: ['java.lang.String'], returns: 'java.lang.String' },
    other: { params: ['java.lang.String'], returns: 'java.lang.String' },
  },
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function provider(name: string, options: ExportOptions = {}): Promise<DubboServer> {
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(Greeter, { greet: (w) => `${name}:${w}`, other: (w) => `${name}:other:${w}` }, options);
  await server.listen();
  closers.push(() => server.close());
  return server;
}
function client(): DubboClient {
  const c = new DubboClient({ application: 'flow-test' });
  closers.push(() => c.close());
  return c;
}
/** Settles `n` calls one after another; returns the values and the errors. */
async function callN(f: () => Promise<string>, n: number): Promise<{ ok: string[]; errors: unknown[] }> {
  const ok: string[] = [];
  const errors: unknown[] = [];
  for (let i = 0; i < n; i++) {
    try {
      ok.push(await f());
    } catch (e) {
      errors.push(e);
    }
  }
  return { ok, errors };
}

describe('provider tps, fail fast', () => {
  it("refuses past the limit with Java's RpcException on the wire; the TS consumer gets a LimitExceededError", async () => {
    const server = await provider('a', { parameters: { tps: '3' } }); // Java's key, 60 s window
    const ref = client().refer(Greeter, { url: server.address, cluster: 'failfast' });
    const { ok, errors } = await callN(() => ref.proxy.greet('x'), 5);
    expect(ok).toEqual(['a:x', 'a:x', 'a:x']);
    expect(errors).toHaveLength(2);
    const err = errors[0] as LimitExceededError;
    expect(err).toBeInstanceOf(LimitExceededError);
    expect(err.code).toBe('DUBBO_ERR_LIMIT_EXCEEDED');
    expect(err.retryable).toBe(true);
    expect(err.kind).toBe('tps');
    expect(err.service).toBe('org.example.Greeter');
    expect(err.method).toBe('greet');
    expect(err.message).toBe(
      'Failed to invoke service org.example.Greeter.greet because exceed max service tps. Limit: 3 per 60000 ms (fixedWindow) (provider).',
    );
    // What came over the wire: the exception object Java's TpsLimitFilter returns (an OK response).
    const wire = err.cause as JavaException;
    expect(wire).toBeInstanceOf(JavaException);
    expect(wire.javaClass).toBe('org.apache.dubbo.rpc.RpcException');
    expect(wire.message).toContain(
      'Failed to invoke service org.example.Greeter.greet because exceed max service tps.',
    );
    const exported = server.exported[0]!;
    expect(exported.flow?.tps?.accepted).toBe(3);
    expect(exported.flow?.tps?.rejected).toBe(2);
    expect(server.urlOf(exported).getParameter('tps')).toBe('3');
  });

  it('limits per method when the method has its own limit (method wins), the rest per service', async () => {
    const server = await provider('a', { parameters: { 'tps.limit.rate': '5', 'greet.tps.limit.rate': '1' } });
    const ref = client().refer(Greeter, { url: server.address, cluster: 'failfast' });
    expect((await callN(() => ref.proxy.greet('x'), 3)).ok).toHaveLength(1);
    expect((await callN(() => ref.proxy.other('x'), 7)).ok).toHaveLength(5);
  });
});

describe('generic calls', () => {
  it("count against the target method's limit, as Java's RpcUtils.getMethodName", async () => {
    const server = await provider('a', { parameters: { 'greet.tps': '1' } });
    const g = client().genericReference('org.example.Greeter', { url: server.address, cluster: 'failfast' });
    expect(await g.$invoke('greet', ['java.lang.String'], ['x'])).toBe('a:x');
    const err = await g.$invoke('greet', ['java.lang.String'], ['y']).catch((e: unknown) => e);
    expect((err as LimitExceededError).method).toBe('greet');
    expect(await g.$invoke('other', ['java.lang.String'], ['z'])).toBe('a:other:z');
  });
});

describe('failover past a limited provider', () => {
  it('retries a refused call on the other provider: a provider-side tps refusal is retryable by design', async () => {
    const limited = await provider('limited', { parameters: { tps: '2' } });
    const free = await provider('free');
    const ref = client().refer(Greeter, {
      url: `${limited.address};${free.address}`,
      loadbalance: 'roundrobin',
      retries: 2,
    });
    const { ok, errors } = await callN(() => ref.proxy.greet('x'), 20);
    expect(errors).toEqual([]);
    expect(ok.filter((v) => v === 'limited:x')).toHaveLength(2);
    expect(ok.filter((v) => v === 'free:x')).toHaveLength(18);
    const limitedStats = ref.directory.providers.find((p) => p.url.port === limited.port)!.stats;
    expect(limitedStats.failed).toBeGreaterThanOrEqual(8); // its refusals count as failures (balancers see them)
    expect(limited.exported[0]!.flow!.tps!.rejected).toBe(limitedStats.failed);
  });
});

describe('rejection handlers', () => {
  it("log (dubbo-go's default handler): an empty result and no error", async () => {
    const server = await provider('a', {
      parameters: { 'tps.limiter': 'method-service', 'tps.limit.rate': '1', 'tps.limit.rejected.handler': 'log' },
    });
    const ref = client().refer(Greeter, { url: server.address });
    const { ok, errors } = await callN(() => ref.proxy.greet('x'), 3);
    expect(errors).toEqual([]);
    expect(ok).toEqual(['a:x', null, null]);
  });

  it('a fallback value, and a custom handler, registered by name', async () => {
    rejectedExecutionHandlers.register(
      'busy',
      fallbackHandler((inv) => `busy:${inv.methodName}`),
    );
    rejectedExecutionHandlers.register('teapot', {
      rejected: (_url, _inv, r) => new RpcResult(null, new JavaException('java.lang.IllegalStateException', r.limit)),
    });
    try {
      const s1 = await provider('a', { parameters: { tps: '1', 'tps.limit.rejected.handler': 'busy' } });
      const r1 = client().refer(Greeter, { url: s1.address });
      expect((await callN(() => r1.proxy.greet('x'), 2)).ok).toEqual(['a:x', 'busy:greet']);
      const s2 = await provider('b', { parameters: { tps: '1', 'tps.limit.rejected.handler': 'teapot' } });
      const r2 = client().refer(Greeter, { url: s2.address });
      const { errors } = await callN(() => r2.proxy.greet('x'), 2);
      expect(errors).toHaveLength(1);
      expect((errors[0] as JavaException).javaClass).toBe('java.lang.IllegalStateException'); // a service exception
      expect((errors[0] as JavaException).message).toBe('1 per 60000 ms (fixedWindow)');
    } finally {
      rejectedExecutionHandlers.unregister('busy');
      rejectedExecutionHandlers.unregister('teapot');
    }
  });
});

describe('consumer tps', () => {
  it('limits a reference before the cluster; the refusal is the typed error, no provider is called', async () => {
    const server = await provider('a');
    const ref = client().refer(Greeter, { url: server.address, parameters: { tps: '2', 'tps.interval': '60000' } });
    const { ok, errors } = await callN(() => ref.proxy.greet('x'), 4);
    expect(ok).toHaveLength(2);
    expect(errors).toHaveLength(2);
    expect((errors[0] as LimitExceededError).side).toBe('consumer');
    expect(ref.directory.providers[0]!.stats.total).toBe(2);
    expect(ref.flow?.tps?.rejected).toBe(2);
  });
});

describe('graded limits', () => {
  it('two tiers at different rates through one provider, others at the ordinary rate', async () => {
    const server = await provider('a', {
      parameters: { tps: '1', 'tps.grade': 'user.tier', 'tps.grade.gold': '4', 'tps.grade.silver': '2' },
    });
    const c = client();
    const gold = c.refer(Greeter, { url: server.address, cluster: 'failfast', attachments: { 'user.tier': 'gold' } });
    const silver = c.refer(Greeter, {
      url: server.address,
      cluster: 'failfast',
      attachments: { 'user.tier': 'silver' },
    });
    const plain = c.refer(Greeter, { url: server.address, cluster: 'failfast' });
    const rogue = c.refer(Greeter, { url: server.address, cluster: 'failfast', attachments: { 'user.tier': 'x' } });
    expect((await callN(() => gold.proxy.greet('g'), 6)).ok).toHaveLength(4);
    const s = await callN(() => silver.proxy.greet('s'), 6);
    expect(s.ok).toHaveLength(2);
    expect((s.errors[0] as LimitExceededError).message).toContain('Limit: 2 per 60000 ms');
    expect((await callN(() => plain.proxy.greet('p'), 3)).ok).toHaveLength(1);
    expect((await callN(() => rogue.proxy.greet('r'), 3)).ok).toHaveLength(0); // shares the ordinary (spent) rate
  });
});

describe('configuration', () => {
  it("takes the server's parameters as defaults under each service's own", async () => {
    const server = new DubboServer({ host: '127.0.0.1', port: 0, parameters: { tps: '2', executes: '10' } });
    closers.push(() => server.close());
    const impl = { greet: (w: string) => w, other: (w: string) => w };
    const a = server.export(Greeter, impl);
    const b = server.export(Greeter, impl, { group: 'b', parameters: { tps: '5' } });
    expect(a.flow?.tps?.parameters).toEqual({ tps: '2' });
    expect(b.flow?.tps?.parameters).toEqual({ tps: '5' });
    expect(b.flow?.executes).not.toBeNull();
    expect(server.urlOf(b).getParameter('tps')).toBe('5');
  });

  it('installs nothing when no key is set', async () => {
    const server = await provider('a', { parameters: { timeout: '3000' } });
    expect(server.exported[0]!.flow).toBeNull();
    const ref = client().refer(Greeter, { url: server.address, parameters: { 'tps.limit.interval': '1000' } });
    expect(ref.flow).toBeNull(); // an interval alone sets no limit
  });

  it('refuses a malformed key naming it, at export and at refer', async () => {
    const server = new DubboServer({ port: 0 });
    expect(() => server.export(Greeter, { greet: (w) => w, other: (w) => w }, { parameters: { tps: 'ten' } })).toThrow(
      /org\.example\.Greeter\.tps: an integer rate is expected, got 'ten'/,
    );
    expect(() =>
      server.export(
        Greeter,
        { greet: (w) => w, other: (w) => w },
        { parameters: { tps: '1', 'tps.limit.strategy': 'leaky' } },
      ),
    ).toThrow(/no tps limit strategy named 'leaky'/);
    expect(() =>
      client().refer(Greeter, { url: 'dubbo://127.0.0.1:1', parameters: { 'greet.tps.interval': '-5', tps: '1' } }),
    ).toThrow(DubboError);
  });

  it('changes limits at runtime; a bad change is refused and the old limit kept', async () => {
    const server = await provider('a', { parameters: { tps: '1' } });
    const ref = client().refer(Greeter, { url: server.address, cluster: 'failfast' });
    const tps = server.exported[0]!.flow!.tps!;
    expect((await callN(() => ref.proxy.greet('x'), 2)).ok).toHaveLength(1);
    const lines: string[] = [];
    setLogger({ debug() {}, info: (m) => lines.push(m), warn: (m) => lines.push(m), error() {} });
    try {
      tps.update({ tps: '3' });
    } finally {
      setLogger(silentLogger);
    }
    expect(lines).toEqual(['flow control: provider tps of org.example.Greeter changed from {tps=1} to {tps=3}']);
    expect((await callN(() => ref.proxy.greet('x'), 5)).ok).toHaveLength(3);
    expect(() => tps.update({ tps: 'x' })).toThrow(/an integer rate is expected/);
    expect(tps.parameters).toEqual({ tps: '3' });
    tps.update({ tps: '-1' }); // Java: no limit
    expect((await callN(() => ref.proxy.greet('x'), 5)).ok).toHaveLength(5);
  });

  it("changes a service's limits together or not at all, and reports its counts", async () => {
    const server = await provider('a', { parameters: { 'tps.limit.rate': '-1', executes: '0' } }); // on, unlimited
    const ref = client().refer(Greeter, { url: server.address, cluster: 'failfast' });
    const flow = server.exported[0]!.flow!;
    expect((await callN(() => ref.proxy.greet('x'), 3)).ok).toHaveLength(3);
    expect(() => flow.update({ tps: '1', executes: 'lots' })).toThrow(/executes: an integer is expected/);
    expect((await callN(() => ref.proxy.greet('x'), 3)).ok).toHaveLength(3); // the tps change was not applied
    flow.update({ tps: '1', executes: '5' });
    expect((await callN(() => ref.proxy.greet('x'), 3)).ok).toHaveLength(1);
    expect(flow.counters()).toEqual({
      tps: { accepted: 7, rejected: 2 },
      executes: { accepted: 7, rejected: 0 },
      adaptive: null,
    });
  });
});
