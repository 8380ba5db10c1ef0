// Every cluster strategy over one service (InteropService) offered by the real Java Dubbo 3.3 InteropProvider, the
// real dubbo-go provider and a TS provider (DubboServer in this process), reached by direct URLs joined by ';'. The
// providers fail on purpose:
//   - down: an unused port in the URL list (connection refused), and, last, the Go process killed (SIGKILL) while a
//     call is in flight on it;
//   - hangs past the timeout: `sleep(2000)` on a provider whose timeout for `sleep` is the product default, 1000 ms.
//     A provider URL may carry its own timeouts (as a Java provider's registered URL does; the reference sets none,
//     so they apply, method level first): by default every provider here has `sleep.timeout=1000` and
//     `timeout=10000` (so every other call has time to be answered on a busy machine); a provider given
//     `timeout=10000` alone answers the same `sleep(2000)`, so one call can hang on one provider and succeed on
//     another;
//   - throws: `throwIllegalArgument` (a service exception, java.lang.IllegalArgumentException).
// Each provider counts the calls it receives (`hits()` / `resetHits()` of InteropService, in Java, Go and TS alike);
// attempts on the down port are counted by the consumer (`stats.total` of its invoker). A test balancer, `in-order`,
// picks the first provider of the list, so which provider a call reaches first is known; Java's selection rules
// (skip a provider that is unavailable or already tried in this call) apply on top of it as they do to any balancer.
// Each JVM / Go process is started once for the file; every call is bounded by its timeout.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  clusters,
  DubboClient,
  DubboError,
  DubboServer,
  loadBalances,
  type ProviderInvoker,
  type Reference,
  type ReferenceOptions,
  type ServiceProxy,
} from '@dubbo-ts/dubbo';
import { JavaException } from '@dubbo-ts/hessian2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FailbackClusterInvoker,
  type FailbackTimers,
  failbackClusterWith,
} from '../../src/cluster/support/failback-cluster.js';
import { until } from '../registry/registry-helpers.js';
import {
  type InteropService,
  InteropServiceDescriptor,
  newInteropServiceImpl,
  toNumber,
} from '../support/interop-service.js';
import { type PeerProvider, runJavaSource, startGoProvider, startJavaProvider } from '../support/peers.js';

type Peer = 'java' | 'go' | 'ts';
const PEERS: readonly Peer[] = ['java', 'go', 'ts'];
/** Longer than the default call timeout (1000 ms): hangs past it, or answers where the provider says 10000. */
const SLOW_MS = 2000;
/** Provider timeouts: every call has 10 s, `sleep` the default 1000 ms (so `sleep(SLOW_MS)` hangs past it). */
const HANGS = { timeout: '10000', 'sleep.timeout': '1000' };
/** The patient provider timeouts: a `sleep(SLOW_MS)` is answered well within them even on a busy machine. */
const PATIENT = { timeout: '10000' };

let java: PeerProvider | undefined;
let go: PeerProvider | undefined;
let server: DubboServer | undefined;
let downPort = 0;
const control = new DubboClient({ application: 'dubbo-ts-clusters-control' });
const counters = {} as Record<Peer, ServiceProxy<InteropService>>;
const ports = {} as Record<Peer, number>;

// Failback's background retries on timers the test fires itself (the product's own period is 5 s).
const due: (() => void)[] = [];
let scheduled = 0;
const manualTimers: FailbackTimers = {
  set: (fn) => {
    scheduled++;
    due.push(fn);
    return fn;
  },
  clear: (h) => {
    const i = due.indexOf(h as () => void);
    if (i >= 0) due.splice(i, 1);
  },
};

// The TS provider's echoString can be held (answered only when the test lets it go): a provider that is provably
// still working when the caller has its answer from another one.
let tsHold: Promise<void> | null = null;
let releaseTs: () => void = () => {};
function holdTs(): void {
  tsHold = new Promise<void>((resolve) => {
    releaseTs = () => {
      tsHold = null;
      resolve();
    };
  });
}
function tsImpl() {
  const impl = newInteropServiceImpl();
  return {
    ...impl,
    echoString: async (v: string | null) => {
      const r = impl.echoString(v); // counted as it starts
      if (tsHold !== null) await tsHold;
      return r;
    },
  };
}

/** A port nothing listens on (bound, then closed). */
async function unusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  // Java first (its JVM is the slowest to start), Go and the TS provider meanwhile.
  const javaReady = startJavaProvider();
  const goReady = startGoProvider();
  javaReady.catch(() => {});
  goReady.catch(() => {});
  server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(InteropServiceDescriptor, tsImpl());
  await server.listen();
  downPort = await unusedPort();
  go = await goReady;
  java = await javaReady;
  Object.assign(ports, { java: java.port, go: go.port, ts: server.port });
  for (const p of PEERS) {
    counters[p] = control.reference(InteropServiceDescriptor, {
      url: `dubbo://127.0.0.1:${ports[p]}`,
      cluster: 'failfast',
      timeout: 10_000,
    });
  }
  loadBalances.register('in-order', () => ({ select: (list) => list[0]! }));
  clusters.register('failback-manual', failbackClusterWith({ timers: manualTimers }));
}, 150_000);

afterAll(async () => {
  releaseTs();
  loadBalances.unregister('in-order');
  clusters.unregister('failback-manual');
  await control.close();
  await server?.close(1000).catch(() => {});
  await Promise.all([java?.stop(), go?.stop()]);
}, 60_000);

/** A provider's direct URL, with provider parameters. */
function url(p: Peer | 'down', params: Record<string, string> = HANGS): string {
  const port = p === 'down' ? downPort : ports[p];
  const q = new URLSearchParams(params).toString();
  return `dubbo://127.0.0.1:${port}${q ? `?${q}` : ''}`;
}

async function resetHits(): Promise<void> {
  await Promise.all(PEERS.map((p) => counters[p].resetHits()));
}

/** The calls `p` received since {@link resetHits}. */
async function hitsOf(p: Peer): Promise<number> {
  return toNumber(await counters[p].hits());
}

async function hits(): Promise<Record<Peer, number>> {
  const n = await Promise.all(PEERS.map(hitsOf));
  return { java: n[0]!, go: n[1]!, ts: n[2]! };
}

/**
 * The calls each provider received since {@link resetHits}: waits (bounded) until each has at least the expected
 * count (a request can still be on its way to a provider when the consumer's timeout fired), then compares exactly.
 */
async function expectHits(expected: Record<Peer, number>): Promise<void> {
  const deadline = Date.now() + 15_000;
  let got = await hits();
  while (PEERS.some((p) => got[p] < expected[p]) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    got = await hits();
  }
  expect(got).toEqual(expected);
}

interface Ref {
  client: DubboClient;
  ref: Reference<InteropService>;
  proxy: ServiceProxy<InteropService>;
  /** The consumer's invoker of the provider on `port`. */
  invoker(p: Peer | 'down'): ProviderInvoker;
}

/** A reference over `urls` (in that order) with cluster `cluster`, balancer `in-order` unless said otherwise. */
async function refer(cluster: string, urls: string[], options: Partial<ReferenceOptions> = {}): Promise<Ref> {
  const client = new DubboClient({ application: 'dubbo-ts-clusters-java-go' });
  const ref = client.refer(InteropServiceDescriptor, {
    url: urls.join(';'),
    cluster,
    loadbalance: 'in-order',
    ...options,
  } as ReferenceOptions);
  await ref.ready;
  const invoker = (p: Peer | 'down') => {
    const port = p === 'down' ? downPort : ports[p];
    return ref.directory.providers.find((i) => i.url.port === port)!;
  };
  // Every live provider connected (the down port never is).
  await until(() => ref.directory.providers.every((i) => i.url.port === downPort || i.isAvailable()), 30_000);
  return { client, ref, proxy: ref.proxy, invoker };
}

/** The rejection of `p` (fails the test when it resolves). */
async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => {
      throw new Error(`expected a failure, got ${String(v)}`);
    },
    (err: unknown) => err,
  );
}

function expectIllegalArgument(err: unknown, message: string): void {
  expect(err).toBeInstanceOf(JavaException);
  expect(err).not.toBeInstanceOf(DubboError);
  expect((err as JavaException).javaClass).toBe('java.lang.IllegalArgumentException');
  expect((err as JavaException).javaMessage).toBe(message);
}

function expectRpcFailure(err: unknown, code: string): DubboError {
  expect(err).toBeInstanceOf(DubboError);
  expect((err as DubboError).code).toBe(code);
  expect((err as DubboError).retryable).toBe(true);
  return err as DubboError;
}

/** A Java consumer's outcome line (`OK v` / `THROWN class rpc=CODE cause=class`) in the form {@link tsOutcome} gives. */
function javaOutcome(s: string): string {
  const m = /^THROWN (\S+) rpc=(\S+) cause=(\S+)$/.exec(s);
  if (m === null) return s;
  if (m[2] === '-') return `throws ${m[1]}`;
  if (m[2] === '2') return 'rpc timeout'; // RpcException.TIMEOUT_EXCEPTION
  return m[3] === '-' ? `rpc ${m[2]}` : `rpc caused by ${m[3]}`;
}

/** What the TS caller got, in the form {@link javaOutcome} gives. */
function tsOutcome(err: unknown): string {
  if (err instanceof JavaException) return `throws ${err.javaClass}`;
  if (!(err instanceof DubboError)) return `throws ${String(err)}`;
  if (err.code === 'DUBBO_ERR_CLIENT_TIMEOUT') return 'rpc timeout';
  return err.cause instanceof JavaException ? `rpc caused by ${err.cause.javaClass}` : `rpc ${err.code}`;
}

const TIMEOUT = 'DUBBO_ERR_CLIENT_TIMEOUT';
const CONNECT = 'DUBBO_ERR_CONNECT';

describe('cluster strategies over a Java 3.3, a dubbo-go and a TS provider of one service', () => {
  it('failfast: one call; the timeout or the service exception reaches the caller; a down provider is skipped', async () => {
    const r = await refer('failfast', [url('go'), url('java'), url('ts')]);
    try {
      await resetHits();
      expectRpcFailure(await failure(r.proxy.sleep(SLOW_MS)), TIMEOUT);
      await expectHits({ java: 0, go: 1, ts: 0 });

      await resetHits();
      expectIllegalArgument(await failure(r.proxy.throwIllegalArgument('failfast')), 'failfast');
      await expectHits({ java: 0, go: 1, ts: 0 });
    } finally {
      await r.client.close();
    }
    const d = await refer('failfast', [url('down'), url('java'), url('go')]);
    try {
      await resetHits();
      expect(await d.proxy.echoString('ff')).toBe('ff');
      await expectHits({ java: 1, go: 0, ts: 0 });
      expect(d.invoker('down').stats.total).toBe(0);
    } finally {
      await d.client.close();
    }
    const alone = await refer('failfast', [url('down')]);
    try {
      expectRpcFailure(await failure(alone.proxy.echoString('ff')), CONNECT);
      expect(alone.invoker('down').stats.total).toBe(1);
    } finally {
      await alone.client.close();
    }
  }, 60_000);

  it('failsafe: an RPC failure (timeout, down) resolves null after one call; a service exception is thrown', async () => {
    const r = await refer('failsafe', [url('java'), url('go'), url('ts')]);
    try {
      await resetHits();
      expect(await r.proxy.sleep(SLOW_MS)).toBeNull();
      await expectHits({ java: 1, go: 0, ts: 0 });
    } finally {
      await r.client.close();
    }
    const g = await refer('failsafe', [url('go'), url('java'), url('ts')]);
    try {
      await resetHits();
      expectIllegalArgument(await failure(g.proxy.throwIllegalArgument('failsafe')), 'failsafe');
      await expectHits({ java: 0, go: 1, ts: 0 });
    } finally {
      await g.client.close();
    }
    const alone = await refer('failsafe', [url('down')]);
    try {
      expect(await alone.proxy.echoString('fs')).toBeNull();
      expect(alone.invoker('down').stats.total).toBe(1);
    } finally {
      await alone.client.close();
    }
  }, 60_000);

  it('failback: resolves null at once, retries in the background on another provider, at most 3 times', async () => {
    /** Fires the next due retry and waits until it has run (rescheduled, or done). */
    const fire = async (inv: FailbackClusterInvoker): Promise<void> => {
      const fn = due.shift();
      expect(fn, 'a retry is due').toBeDefined();
      fn!();
      await until(() => due.length > 0 || inv.pendingRetries === 0, 30_000);
    };

    // Java hangs past its timeout; the retry goes to Go, whose URL gives it 10 s: answered, no more retries.
    const r = await refer('failback-manual', [url('java'), url('go', PATIENT), url('ts', PATIENT)]);
    try {
      const inv = r.ref.invoker as FailbackClusterInvoker;
      await resetHits();
      scheduled = 0;
      expect(await r.proxy.sleep(SLOW_MS)).toBeNull();
      expect(inv.pendingRetries).toBe(1);
      await expectHits({ java: 1, go: 0, ts: 0 });
      await fire(inv);
      expect(inv.pendingRetries).toBe(0);
      expect(scheduled).toBe(1);
      await expectHits({ java: 1, go: 1, ts: 0 });
    } finally {
      await r.client.close();
    }

    // Every provider hangs: the first call and 3 retries (Java's default for failback), each on another provider
    // than the last one (TS, Java, TS, Java with the in-order balancer), then it gives up.
    const all = await refer('failback-manual', [url('ts'), url('java'), url('go')]);
    try {
      const inv = all.ref.invoker as FailbackClusterInvoker;
      await resetHits();
      scheduled = 0;
      expect(await all.proxy.sleep(SLOW_MS)).toBeNull();
      for (let i = 0; i < 3; i++) await fire(inv);
      expect(inv.pendingRetries).toBe(0);
      expect(due).toEqual([]);
      expect(scheduled).toBe(3);
      await expectHits({ java: 2, go: 0, ts: 2 });
    } finally {
      await all.client.close();
    }

    // A service exception is the answer: thrown, never retried.
    const g = await refer('failback-manual', [url('go'), url('java'), url('ts')]);
    try {
      await resetHits();
      scheduled = 0;
      expectIllegalArgument(await failure(g.proxy.throwIllegalArgument('failback')), 'failback');
      expect(scheduled).toBe(0);
      await expectHits({ java: 0, go: 1, ts: 0 });
    } finally {
      await g.client.close();
    }
  }, 90_000);

  it('forking: every fork is called; the first success wins, over a faster failure and without waiting for a slower one; a service exception is an answer', async () => {
    // Java's fork times out after 1 s; Go and TS answer after 2 s: the answer is theirs, not the earlier failure.
    const r = await refer('forking', [url('go', PATIENT), url('java'), url('ts', PATIENT)], {
      parameters: { forks: '3' },
    });
    try {
      await resetHits();
      expect(toNumber(await r.proxy.sleep(SLOW_MS))).toBe(SLOW_MS);
      await expectHits({ java: 1, go: 1, ts: 1 });
      expect(r.invoker('java').stats.failed).toBe(1);
    } finally {
      await r.client.close();
    }
    // The first success wins without waiting for the others: TS holds its call, Java and Go answer.
    const held = await refer('forking', [url('ts', PATIENT), url('java', PATIENT), url('go', PATIENT)], {
      parameters: { forks: '3' },
    });
    try {
      await resetHits();
      holdTs();
      expect(await held.proxy.echoString('fast')).toBe('fast');
      expect(held.invoker('ts').stats.active).toBe(1); // still held: the answer came from Java or Go
      await expectHits({ java: 1, go: 1, ts: 1 });
      releaseTs();
      await until(() => held.invoker('ts').stats.active === 0, 10_000);
    } finally {
      releaseTs();
      await held.client.close();
    }
    // forks=2 of three: the first two the balancer gives (Java's select: an untried one each time).
    const two = await refer('forking', [url('java'), url('go'), url('ts')], { parameters: { forks: '2' } });
    try {
      await resetHits();
      expectIllegalArgument(await failure(two.proxy.throwIllegalArgument('forking')), 'forking');
      await expectHits({ java: 1, go: 1, ts: 0 });

      // Every fork hangs: the timeout reaches the caller.
      await resetHits();
      expectRpcFailure(await failure(two.proxy.sleep(SLOW_MS)), TIMEOUT);
      await expectHits({ java: 1, go: 1, ts: 0 });
    } finally {
      await two.client.close();
    }
    // A down provider among the forks fails at once; the live one answers.
    const down = await refer('forking', [url('down'), url('go')], { parameters: { forks: '2' } });
    try {
      await resetHits();
      expect(await down.proxy.echoString('fork')).toBe('fork');
      await expectHits({ java: 0, go: 1, ts: 0 });
      expect(down.invoker('down').stats.total).toBe(1);
    } finally {
      await down.client.close();
    }
  }, 90_000);

  it('broadcast: every provider once, in list order; the failure of one is reported, a service exception wrapped', async () => {
    const r = await refer('broadcast', [url('java', PATIENT), url('go'), url('ts', PATIENT)]);
    try {
      await resetHits();
      expect(await r.proxy.echoString('all')).toBe('all');
      await expectHits({ java: 1, go: 1, ts: 1 });

      // Go hangs past its timeout, Java and TS answer: every one is called, Go's timeout is the result.
      await resetHits();
      expectRpcFailure(await failure(r.proxy.sleep(SLOW_MS)), TIMEOUT);
      await expectHits({ java: 1, go: 1, ts: 1 });

      // Every provider throws: every one is still called; the last exception is thrown wrapped, as Java 3.3's
      // broadcast wraps it in an RpcException: an RPC failure whose cause is the service exception.
      await resetHits();
      const err = await failure(r.proxy.throwIllegalArgument('broadcast'));
      expect(err).toBeInstanceOf(DubboError);
      expect(err).toMatchObject({ code: 'DUBBO_ERR_SERVICE_ERROR', retryable: false, message: 'broadcast' });
      expectIllegalArgument((err as DubboError).cause, 'broadcast');
      await expectHits({ java: 1, go: 1, ts: 1 });
    } finally {
      await r.client.close();
    }
    // So a `fail:` mock answers it (Java's MockClusterInvoker mocks every non-business RpcException).
    const mocked = await refer('broadcast', [url('go'), url('ts'), url('java')], { mock: "fail:return 'mocked'" });
    try {
      await resetHits();
      expect(await mocked.proxy.throwIllegalArgument('broadcast')).toBe('mocked');
      await expectHits({ java: 1, go: 1, ts: 1 });
    } finally {
      await mocked.client.close();
    }
    // A down provider is called too (and fails); the others answer; the failure is reported.
    const d = await refer('broadcast', [url('java'), url('down'), url('go')]);
    try {
      await resetHits();
      expectRpcFailure(await failure(d.proxy.echoString('all')), CONNECT);
      await expectHits({ java: 1, go: 1, ts: 0 });
      expect(d.invoker('down').stats.total).toBe(1);
    } finally {
      await d.client.close();
    }
    // broadcast.fail.percent=50 of three providers: stops at the first failure (Java's threshold 3*50/100 = 1).
    const half = await refer('broadcast', [url('go'), url('java', PATIENT), url('ts', PATIENT)], {
      parameters: { 'broadcast.fail.percent': '50' },
    });
    try {
      await resetHits();
      expectRpcFailure(await failure(half.proxy.sleep(SLOW_MS)), TIMEOUT);
      await expectHits({ java: 0, go: 1, ts: 0 });
    } finally {
      await half.client.close();
    }
  }, 90_000);

  it('available: the first available provider only, no balancer, no retry', async () => {
    const r = await refer('available', [url('down'), url('go'), url('java'), url('ts')], { loadbalance: 'random' });
    try {
      await resetHits();
      for (let i = 0; i < 5; i++) expect(await r.proxy.echoString(`a${i}`)).toBe(`a${i}`);
      await expectHits({ java: 0, go: 5, ts: 0 });
      expect(r.invoker('down').stats.total).toBe(0);

      await resetHits();
      expectRpcFailure(await failure(r.proxy.sleep(SLOW_MS)), TIMEOUT);
      await expectHits({ java: 0, go: 1, ts: 0 });

      await resetHits();
      expectIllegalArgument(await failure(r.proxy.throwIllegalArgument('available')), 'available');
      await expectHits({ java: 0, go: 1, ts: 0 });
    } finally {
      await r.client.close();
    }
    const none = await refer('available', [url('down')]);
    try {
      expect((await failure(none.proxy.echoString('x'))) as DubboError).toMatchObject({
        code: 'DUBBO_ERR_NO_PROVIDER',
      });
      expect(none.invoker('down').stats.total).toBe(0);
    } finally {
      await none.client.close();
    }
  }, 60_000);

  it('failover: an RPC failure is retried on another provider (retries+1 calls at most), a service exception never', async () => {
    // Service exception: one call, thrown as it is.
    const r = await refer('failover', [url('java'), url('go'), url('ts')]);
    try {
      await resetHits();
      expectIllegalArgument(await failure(r.proxy.throwIllegalArgument('failover')), 'failover');
      await expectHits({ java: 1, go: 0, ts: 0 });

      // Every provider hangs: 3 calls (retries=2), one on each; the timeout reaches the caller, retryable.
      await resetHits();
      const err = expectRpcFailure(await failure(r.proxy.sleep(SLOW_MS)), TIMEOUT);
      expect(err.message).toContain('Tried 3 times');
      expect(err.cause).toBeInstanceOf(DubboError);
      await expectHits({ java: 1, go: 1, ts: 1 });
    } finally {
      await r.client.close();
    }
    // Java hangs past its timeout; the retry goes to Go, which answers.
    const once = await refer('failover', [url('java'), url('go', PATIENT), url('ts', PATIENT)]);
    try {
      await resetHits();
      expect(toNumber(await once.proxy.sleep(SLOW_MS))).toBe(SLOW_MS);
      await expectHits({ java: 1, go: 1, ts: 0 });
    } finally {
      await once.client.close();
    }
    // retries=1: two calls at most.
    const one = await refer('failover', [url('go'), url('ts'), url('java')], { retries: 1 });
    try {
      await resetHits();
      expectRpcFailure(await failure(one.proxy.sleep(SLOW_MS)), TIMEOUT);
      await expectHits({ java: 0, go: 1, ts: 1 });
    } finally {
      await one.client.close();
    }
    // A down provider is skipped while others are available; alone, it is tried retries+1 times.
    const d = await refer('failover', [url('down'), url('ts'), url('go')]);
    try {
      await resetHits();
      expect(await d.proxy.echoString('fo')).toBe('fo');
      await expectHits({ java: 0, go: 0, ts: 1 });
      expect(d.invoker('down').stats.total).toBe(0);
    } finally {
      await d.client.close();
    }
    const alone = await refer('failover', [url('down')]);
    try {
      const e = expectRpcFailure(await failure(alone.proxy.echoString('fo')), CONNECT);
      expect(e.message).toContain('Tried 3 times');
      expect(alone.invoker('down').stats.total).toBe(3);
    } finally {
      await alone.client.close();
    }
  }, 90_000);

  it('mock: force: answers without calling; fail: answers an RPC failure after the cluster gave up, never a service exception', async () => {
    const forced = await refer('failover', [url('java'), url('go'), url('ts')], {
      methods: { echoString: { mock: "force:return 'cached'" } },
    });
    try {
      await resetHits();
      for (let i = 0; i < 3; i++) expect(await forced.proxy.echoString('live')).toBe('cached');
      await expectHits({ java: 0, go: 0, ts: 0 });
    } finally {
      await forced.client.close();
    }
    // Over failover: all three hang, the three calls fail, then the mock answers.
    const fail = await refer('failover', [url('go'), url('java'), url('ts')], { mock: 'fail:return 7' });
    try {
      await resetHits();
      expect(toNumber(await fail.proxy.sleep(SLOW_MS))).toBe(7);
      await expectHits({ java: 1, go: 1, ts: 1 });

      await resetHits();
      expectIllegalArgument(await failure(fail.proxy.throwIllegalArgument('mock')), 'mock');
      await expectHits({ java: 0, go: 1, ts: 0 });

      await resetHits();
      expect(await fail.proxy.echoString('live')).toBe('live');
      await expectHits({ java: 0, go: 1, ts: 0 });
    } finally {
      await fail.client.close();
    }
    // Over failfast, a down provider alone: one attempt, then the mock.
    const down = await refer('failfast', [url('down')], { mock: "fail:return 'fallback'" });
    try {
      expect(await down.proxy.echoString('x')).toBe('fallback');
      expect(down.invoker('down').stats.total).toBe(1);
    } finally {
      await down.client.close();
    }
  }, 60_000);

  it('sticky: round robin keeps to one provider; after it fails, to the one failover moved to', async () => {
    const urls = [url('java'), url('go', PATIENT), url('ts', PATIENT)];
    const plain = await refer('failover', urls, { loadbalance: 'roundrobin' });
    try {
      await resetHits();
      for (let i = 0; i < 6; i++) expect(await plain.proxy.echoString(`r${i}`)).toBe(`r${i}`);
      await expectHits({ java: 2, go: 2, ts: 2 });
    } finally {
      await plain.client.close();
    }
    const sticky = await refer('failover', urls, { loadbalance: 'roundrobin', sticky: true });
    try {
      await resetHits();
      // Round robin over equal weights starts with the first provider (ties go to the first, as Java's).
      for (let i = 0; i < 4; i++) expect(await sticky.proxy.echoString(`s${i}`)).toBe(`s${i}`);
      await expectHits({ java: 4, go: 0, ts: 0 });

      // Java hangs past its timeout: failover moves to Go (round robin's next), and the calls stick there.
      await resetHits();
      expect(toNumber(await sticky.proxy.sleep(SLOW_MS))).toBe(SLOW_MS);
      for (let i = 0; i < 4; i++) expect(await sticky.proxy.echoString(`t${i}`)).toBe(`t${i}`);
      await expectHits({ java: 1, go: 5, ts: 0 });
    } finally {
      await sticky.client.close();
    }
  }, 60_000);

  it("Java 3.3's own consumer over the same providers: the same outcome and as many calls as ours, per cluster", async () => {
    // The cases of java/ClusterConsumer.java: a fresh reference per case (balancer random, Java's default), the
    // providers in this order with the default provider parameters (sleep hangs, the rest has 10 s).
    const cases = [
      ['failfast', 'throw'],
      ['failover', 'throw'],
      ['failover', 'sleep'],
      ['failsafe', 'throw'],
      ['failsafe', 'sleep'],
      ['forking', 'throw'],
      ['broadcast', 'throw'],
      ['available', 'throw'],
      ['failback', 'sleep'],
    ] as const;
    const javaUrls = PEERS.map((p) => url(p).replace('127.0.0.1', '[::ffff:127.0.0.1]')).join(';');
    const run = await runJavaSource(
      fileURLToPath(new URL('./java/ClusterConsumer.java', import.meta.url)),
      [javaUrls],
      {
        timeoutMs: 150_000,
      },
    );
    const javaSays = new Map<string, { hits: number; outcome: string }>();
    for (const line of run.lines) {
      const m = /^CASE (\S+) hits=(\d+) (.*)$/.exec(line);
      if (m !== null) javaSays.set(m[1]!, { hits: Number(m[2]), outcome: javaOutcome(m[3]!) });
    }
    expect(javaSays.size, `java printed:\n${run.lines.join('\n')}\n${run.stderr}`).toBe(cases.length);

    const report: string[] = [];
    for (const [cluster, call] of cases) {
      const r = await refer(
        cluster,
        PEERS.map((p) => url(p)),
        { loadbalance: 'random' },
      );
      try {
        await resetHits();
        const outcome = await (call === 'sleep' ? r.proxy.sleep(SLOW_MS) : r.proxy.throwIllegalArgument(cluster)).then(
          (v) => `OK ${v === null ? 'null' : toNumber(v)}`,
          tsOutcome,
        );
        let got = await hits();
        // forking answers with the first fork: the other one may still be on its way to its provider
        for (
          const end = Date.now() + 10_000;
          cluster === 'forking' && got.java + got.go + got.ts < 2 && Date.now() < end;
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          got = await hits();
        }
        // An empty result (failsafe, failback) is null here; Java's proxy turns null into the default of a primitive
        // return type (sleep returns long: 0).
        const ours = {
          hits: got.java + got.go + got.ts,
          outcome: call === 'sleep' && outcome === 'OK null' ? 'OK 0' : outcome,
        };
        const java = javaSays.get(`${cluster}-${call}`)!;
        report.push(
          `${cluster}-${call}: java ${java.hits} calls, ${java.outcome}; ts ${ours.hits} calls, ${ours.outcome}`,
        );
        expect(ours.outcome, `${cluster}-${call}`).toBe(java.outcome);
        if (cluster === 'forking') {
          // Java skips a fork whose task starts after the first answer came in (ForkingClusterInvoker): 1 or 2.
          expect(java.hits).toBeGreaterThanOrEqual(1);
          expect(ours.hits).toBe(2);
        } else {
          expect(ours.hits, `${cluster}-${call}`).toBe(java.hits);
        }
      } finally {
        await r.client.close();
      }
    }
    console.log(`CLUSTERS java vs ts:\n  ${report.join('\n  ')}`);
  }, 240_000);

  // Last: it kills the Go provider.
  it('a provider killed while connected: the call in flight on it fails over; later calls skip it', async () => {
    const r = await refer('failover', [url('go', PATIENT), url('java', PATIENT), url('ts', PATIENT)]);
    const ff = await refer('failfast', [url('go', {})]);
    try {
      await resetHits();
      const inFlight = r.proxy.sleep(SLOW_MS);
      await until(() => r.invoker('go').stats.active === 1, 10_000);
      for (const deadline = Date.now() + 10_000; (await hitsOf('go')) < 1 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await hitsOf('go')).toBe(1); // the call reached Go: it is sleeping in there
      await go!.stop('SIGKILL');
      // Go's connection closes under the call: CHANNEL_INACTIVE, retried on Java, which answers.
      expect(toNumber(await inFlight)).toBe(SLOW_MS);
      expect(r.invoker('go').stats.failed).toBe(1);
      expect(await hitsOf('java')).toBe(1);
      expect(await hitsOf('ts')).toBe(0);

      await until(() => !r.invoker('go').isAvailable(), 10_000);
      for (let i = 0; i < 3; i++) expect(await r.proxy.echoString(`k${i}`)).toBe(`k${i}`);
      expect(r.invoker('go').stats.total).toBe(1);
      expect(await hitsOf('java')).toBe(4);
      expect(await hitsOf('ts')).toBe(0);

      // Alone, the dead provider is still called (Java's select takes a lone provider as is): a retryable failure.
      // Ours waits for getty's reconnect within the call timeout (exchange-client.ts), so it is a timeout here; Java
      // (`send.reconnect`, default true) connects again at once on the send and fails at once (NETWORK_EXCEPTION).
      const err = await failure(ff.proxy.echoString('dead'));
      expect(err).toBeInstanceOf(DubboError);
      expect([TIMEOUT, CONNECT, 'DUBBO_ERR_CHANNEL_INACTIVE']).toContain((err as DubboError).code);
      expect((err as DubboError).retryable).toBe(true);
    } finally {
      await r.client.close();
      await ff.client.close();
    }
  }, 60_000);
});
