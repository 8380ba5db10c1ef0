// Failover through the invocation layers, over three real TS providers on loopback: one that refuses (an RPC
// failure), one that hangs past the call timeout, one that answers. What is retried, where, how often; a service
// exception is never retried; filters around the cluster run once per call, per-provider ones once per attempt.
import {
  DubboClient,
  DubboError,
  DubboServer,
  defineService,
  type Filter,
  loadBalances,
  type RpcInvocation,
} from '@dubbo-ts/dubbo';
import { JavaException } from '@dubbo-ts/hessian2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Probe {
  who(): string;
  boom(): string;
  timeoutSeen(): string;
}
const ProbeDescriptor = defineService<Probe>({
  interfaceName: 'org.apache.dubbo.tstest.FailoverProbe',
  methods: {
    who: { params: [], returns: 'java.lang.String' },
    boom: { params: [], returns: 'java.lang.String' },
    timeoutSeen: { params: [], returns: 'java.lang.String' },
  },
});

type Behaviour = 'ok' | 'refuse' | 'hang';
interface Provider {
  readonly name: string;
  readonly server: DubboServer;
  calls: number;
  url: string;
}

const providers = new Map<string, Provider>();
const hangs = new Set<() => void>();

async function startProvider(name: string, behaviour: Behaviour): Promise<Provider> {
  const p: Provider = { name, server: undefined as unknown as DubboServer, calls: 0, url: '' };
  const refuse: Filter = (next) => (inv) => {
    p.calls++;
    if (behaviour === 'refuse') {
      return Promise.reject(new DubboError('DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED', `${name} is busy`));
    }
    if (behaviour === 'hang') return new Promise((resolve) => hangs.add(() => resolve(next(inv))));
    return next(inv);
  };
  const server = new DubboServer({ host: '127.0.0.1', port: 0, filters: [refuse] });
  server.export(ProbeDescriptor, {
    who: () => name,
    boom: () => {
      throw new JavaException('java.lang.IllegalStateException', `boom from ${name}`);
    },
    timeoutSeen: (inv: RpcInvocation) => String(inv.getAttachment('timeout')),
  } as never);
  await server.listen();
  (p as { server: DubboServer }).server = server;
  p.url = `dubbo://127.0.0.1:${server.port}`;
  providers.set(name, p);
  return p;
}

beforeAll(async () => {
  await startProvider('ok', 'ok');
  await startProvider('refuse', 'refuse');
  await startProvider('hang', 'hang');
  // A balancer that always takes the first provider it is offered: the order of attempts is the URL order, with
  // failover's reselection (providers already tried in this call are left out) deciding every retry.
  loadBalances.register('test-first', () => ({ select: (invokers) => invokers[0]! }));
});

afterAll(async () => {
  for (const release of hangs) release();
  loadBalances.unregister('test-first');
  for (const p of providers.values()) await p.server.close(200);
});

const P = (name: string) => providers.get(name)!;
const resetCounts = () => {
  for (const p of providers.values()) p.calls = 0;
};

describe('failover over three TS providers', () => {
  it('retries a refused call and a timed-out call on the providers not tried yet, then answers', async () => {
    resetCounts();
    const client = new DubboClient();
    try {
      const ref = client.refer(ProbeDescriptor, {
        url: [P('refuse').url, P('hang').url, P('ok').url].join(';'),
        loadbalance: 'test-first',
      });
      await waitAvailable(ref.directory.providers);
      // Attempt 1 goes to `refuse` (status 100, retryable), attempt 2 to `hang` (times out after the default 1000
      // ms, retryable), attempt 3 to `ok`.
      expect(await ref.proxy.who()).toBe('ok');
      expect([P('refuse').calls, P('hang').calls, P('ok').calls]).toEqual([1, 1, 1]);
      const stats = ref.directory.providers.map((p) => [p.stats.total, p.stats.failed]);
      expect(stats).toEqual([
        [1, 1],
        [1, 1],
        [1, 0],
      ]);
    } finally {
      await client.close();
    }
  });

  it('gives up after retries + 1 attempts with the last error, its code and every provider tried', async () => {
    resetCounts();
    const client = new DubboClient();
    try {
      const ref = client.refer(ProbeDescriptor, {
        url: [P('refuse').url, P('hang').url].join(';'),
        loadbalance: 'test-first',
        retries: 2,
      });
      await waitAvailable(ref.directory.providers);
      const svc = ref.proxy;
      const err = (await svc.who().catch((e: unknown) => e)) as DubboError;
      expect(err).toBeInstanceOf(DubboError);
      // refuse, hang, then refuse again (every provider has been tried: the tried ones are chosen among again).
      expect([P('refuse').calls, P('hang').calls]).toEqual([2, 1]);
      expect(err.code).toBe('DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED');
      expect(err.message).toContain('Tried 3 times of the providers');
      expect(err.message).toContain(`127.0.0.1:${P('refuse').server.port}`);
      expect(err.message).toContain(`127.0.0.1:${P('hang').server.port}`);
      expect((err.cause as DubboError).message).toContain('refuse is busy');
    } finally {
      await client.close();
    }
  });

  it('does not retry with retries 0, nor a service exception ever', async () => {
    resetCounts();
    const client = new DubboClient();
    try {
      const noneRef = client.refer(ProbeDescriptor, {
        url: [P('refuse').url, P('ok').url].join(';'),
        loadbalance: 'test-first',
        retries: 0,
      });
      await waitAvailable(noneRef.directory.providers);
      const none = noneRef.proxy;
      await expect(none.who()).rejects.toMatchObject({ code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED' });
      expect([P('refuse').calls, P('ok').calls]).toEqual([1, 0]);

      resetCounts();
      const svc = client.refer(ProbeDescriptor, {
        url: [P('ok').url, P('refuse').url].join(';'),
        loadbalance: 'test-first',
      });
      await waitAvailable(svc.directory.providers);
      const thrown = await svc.proxy.boom().catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(JavaException);
      expect((thrown as JavaException).message).toBe('boom from ok');
      // Through the RpcResult path too ($call resolves with the exception instead of throwing it).
      const r = await svc.proxy.$call('boom', []);
      expect(r.exception).toBeInstanceOf(JavaException);
      expect([P('ok').calls, P('refuse').calls]).toEqual([2, 0]);
      // The provider answered: a service exception counts as a success in its statistics.
      expect(svc.directory.providers[0]!.stats.failed).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('a number `retries` attachment overrides the reference', async () => {
    resetCounts();
    const client = new DubboClient();
    try {
      const ref = client.refer(ProbeDescriptor, {
        url: [P('refuse').url, P('ok').url].join(';'),
        loadbalance: 'test-first',
        retries: 0,
      });
      await waitAvailable(ref.directory.providers);
      const svc = ref.proxy;
      expect(await svc.$call('who', [], { attachments: { retries: 1 } })).toMatchObject({ value: 'ok' });
      expect([P('refuse').calls, P('ok').calls]).toEqual([1, 1]);
    } finally {
      await client.close();
    }
  });

  it('runs reference filters once per call and provider filters once per attempt', async () => {
    resetCounts();
    let around = 0;
    let perAttempt = 0;
    const client = new DubboClient({
      filters: [
        (next) => (inv) => {
          around++;
          return next(inv);
        },
      ],
      providerFilters: [
        (next) => (inv) => {
          perAttempt++;
          return next(inv);
        },
      ],
    });
    try {
      const ref = client.refer(ProbeDescriptor, {
        url: [P('refuse').url, P('ok').url].join(';'),
        loadbalance: 'test-first',
      });
      await waitAvailable(ref.directory.providers);
      expect(await ref.proxy.who()).toBe('ok');
      expect([around, perAttempt]).toEqual([1, 2]);
    } finally {
      await client.close();
    }
  });
});

describe('settings precedence: method > reference > client > provider URL', () => {
  it('sends the timeout each level sets, the most specific winning', async () => {
    const client = new DubboClient();
    const client2 = new DubboClient({ timeout: 2000 });
    const ok = P('ok').url;
    try {
      const seen = (svc: { timeoutSeen(): Promise<string> }) => svc.timeoutSeen();
      expect(await seen(client.reference(ProbeDescriptor, { url: ok }))).toBe('1000'); // Java's default
      expect(await seen(client.reference(ProbeDescriptor, { url: `${ok}?timeout=3000` }))).toBe('3000'); // provider URL
      expect(await seen(client2.reference(ProbeDescriptor, { url: `${ok}?timeout=3000` }))).toBe('2000'); // client
      const ref = client2.reference(ProbeDescriptor, { url: `${ok}?timeout=3000`, timeout: 1500 });
      expect(await seen(ref)).toBe('1500'); // reference
      const m = client2.reference(ProbeDescriptor, {
        url: `${ok}?timeout=3000&timeoutSeen.timeout=2500&methods=who,boom,timeoutSeen`,
        timeout: 1500,
        methods: { timeoutSeen: { timeout: 1200 } },
      });
      expect(await seen(m)).toBe('1200'); // method
      const r = await m.$call('timeoutSeen', [], { timeout: 900 });
      expect(r.value).toBe('900'); // the call's own
      const providerMethod = client.reference(ProbeDescriptor, {
        url: `${ok}?timeout=3000&timeoutSeen.timeout=2500&methods=who,boom,timeoutSeen`,
      });
      expect(await seen(providerMethod)).toBe('2500'); // the provider's method-level setting
    } finally {
      await client.close();
      await client2.close();
    }
  });

  it('refuses an unknown cluster or load balancer by name when the reference is made', () => {
    const client = new DubboClient();
    try {
      expect(() => client.reference(ProbeDescriptor, { url: P('ok').url, cluster: 'nope' })).toThrow(
        expect.objectContaining({ code: 'DUBBO_ERR_UNKNOWN_EXTENSION' }),
      );
      expect(() => client.reference(ProbeDescriptor, { url: P('ok').url, loadbalance: 'nope' })).toThrow(
        /no load balance named 'nope'/,
      );
      expect(() => client.reference(ProbeDescriptor, { url: P('ok').url, retries: -1 })).toThrow(
        expect.objectContaining({ code: 'DUBBO_ERR_INVALID_ARG' }),
      );
    } finally {
      void client.close();
    }
  });
});

/** Waits (bounded) until every provider's connection is up, so the balancer's choice is not reselected away. */
async function waitAvailable(list: readonly { isAvailable(): boolean }[]): Promise<void> {
  for (let i = 0; i < 400 && !list.every((p) => p.isAvailable()); i++) await new Promise((r) => setTimeout(r, 25));
  expect(list.every((p) => p.isAvailable())).toBe(true);
}
