// The circuit breaker on an injected clock (closed -> open -> half-open -> closed/open), and over real providers:
// an open breaker takes its provider out of selection.

import {
  DubboClient,
  DubboError,
  DubboServer,
  defineService,
  type Filter,
  fallbackHandler,
  LimitExceededError,
  rejectedExecutionHandlers,
} from '@dubbo-ts/dubbo';
import { type BreakerSettings, breakerSettings, CircuitBreaker } from '@dubbo-ts/dubbo/extension';
import { JavaException } from '@dubbo-ts/hessian2';
import { afterEach, describe, expect, it } from 'vitest';

const rpcError = new DubboError('DUBBO_ERR_SERVER_ERROR', 'boom');
const settings = (p: Record<string, string> = {}): BreakerSettings =>
  breakerSettings({ 'breaker.request.volume': '4', 'breaker.sleep.window': '1000', 'breaker.window': '10000', ...p });
/** One call through the breaker: `undefined` when refused, else whether it was admitted. */
const call = (b: CircuitBreaker, err?: unknown): boolean => {
  if (!b.tryAcquire()) return false;
  b.onEnd(err);
  return true;
};

describe('CircuitBreaker', () => {
  it('opens at the error percentage once the request volume is reached, not before', () => {
    const now = 0;
    const changes: string[] = [];
    const b = new CircuitBreaker(
      settings(),
      () => now,
      (f, t) => changes.push(`${f}->${t}`),
    );
    call(b, rpcError);
    call(b, rpcError);
    call(b, rpcError); // 3 of 3 failed, volume is 4
    expect(b.state).toBe('closed');
    call(b); // 4 calls, 75% errors
    expect(b.state).toBe('open');
    expect(b.allows()).toBe(false);
    expect(call(b)).toBe(false);
    expect(changes).toEqual(['closed->open']);
    expect(b.opened).toBe(1);
  });

  it('forgets errors older than its window', () => {
    let now = 0;
    const b = new CircuitBreaker(settings(), () => now);
    call(b, rpcError);
    call(b, rpcError);
    now = 10_001;
    call(b, rpcError);
    call(b);
    expect(b.state).toBe('closed'); // 1 of 2 in the window, below the volume
  });

  it('does not count service exceptions unless told to', () => {
    const svcErr = new JavaException('java.lang.IllegalStateException', 'business');
    const b = new CircuitBreaker(settings(), () => 0);
    for (let i = 0; i < 10; i++) call(b, svcErr);
    expect(b.state).toBe('closed');
    const all = new CircuitBreaker(settings({ 'breaker.errors': 'all' }), () => 0);
    for (let i = 0; i < 4; i++) call(all, svcErr);
    expect(all.state).toBe('open');
    const codes = new CircuitBreaker(settings({ 'breaker.errors': 'DUBBO_ERR_CLIENT_TIMEOUT' }), () => 0);
    for (let i = 0; i < 10; i++) call(codes, rpcError);
    expect(codes.state).toBe('closed');
  });

  it('half-opens after the sleep window, lets probes through, closes after them', () => {
    let now = 0;
    const b = new CircuitBreaker(settings({ 'breaker.half.open.probes': '2' }), () => now);
    for (let i = 0; i < 4; i++) call(b, rpcError);
    expect(b.state).toBe('open');
    now = 999;
    expect(b.state).toBe('open');
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // 2 probes at once
    b.onEnd(undefined);
    expect(b.state).toBe('half-open');
    b.onEnd(undefined);
    expect(b.state).toBe('closed');
    expect(call(b, rpcError)).toBe(true); // a fresh window: one error does not reopen it
    expect(b.state).toBe('closed');
  });

  it('opens again at a failed probe, for another sleep window', () => {
    let now = 0;
    const b = new CircuitBreaker(settings(), () => now);
    for (let i = 0; i < 4; i++) call(b, rpcError);
    now = 1000;
    expect(call(b, rpcError)).toBe(true);
    expect(b.state).toBe('open');
    now = 1999;
    expect(b.allows()).toBe(false);
    now = 2000;
    expect(b.allows()).toBe(true);
    expect(b.opened).toBe(2);
  });

  it('ignores a call from before it opened that ends while it is half-open', () => {
    let now = 0;
    const b = new CircuitBreaker(settings(), () => now);
    expect(b.tryAcquire()).toBe(true); // a slow call, taken closed
    for (let i = 0; i < 4; i++) call(b, rpcError);
    expect(b.state).toBe('open');
    now = 1000;
    expect(b.state).toBe('half-open');
    b.onEnd(undefined, false); // the slow call succeeds: not a probe
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    b.onEnd(rpcError, true); // the probe fails
    expect(b.state).toBe('open');
  });

  it('caps calls in flight', () => {
    const b = new CircuitBreaker(settings({ 'breaker.max.concurrent': '2' }), () => 0);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.onEnd(undefined);
    expect(b.tryAcquire()).toBe(true);
  });

  it('refuses malformed settings naming the key', () => {
    expect(() => breakerSettings({ 'breaker.error.percent': '150' })).toThrow(/breaker\.error\.percent/);
    expect(() => breakerSettings({ 'breaker.sleep.window': 'soon' })).toThrow(/breaker\.sleep\.window: an integer/);
  });
});

interface Echo {
  echo(s: string): Promise<string>;
}
const Echo = defineService<Echo>({
  interfaceName: 'org.example.Echo',
  methods: { echo: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});
async function provider(name: string, failing = false): Promise<DubboServer> {
  // A failing provider answers every call with an RPC failure (status 80), as a broken provider would.
  const fail: Filter = () => () => Promise.reject(new DubboError('DUBBO_ERR_SERVER_ERROR', `${name} is broken`));
  const server = new DubboServer({ host: '127.0.0.1', port: 0, filters: failing ? [fail] : [] });
  server.export(Echo, { echo: (s) => `${name}:${s}` });
  await server.listen();
  closers.push(() => server.close());
  return server;
}

describe('breakers over real providers', () => {
  it('an open breaker takes its provider out of selection; the other takes the calls', async () => {
    const bad = await provider('bad', true);
    const good = await provider('good');
    const client = new DubboClient();
    closers.push(() => client.close());
    const ref = client.refer(Echo, {
      url: `${bad.address};${good.address}`,
      loadbalance: 'roundrobin',
      parameters: { breaker: 'provider', 'breaker.request.volume': '3', 'breaker.sleep.window': '600000' },
    });
    for (let i = 0; i < 30; i++) expect(await ref.proxy.echo('x')).toBe('good:x'); // failover hides bad's failures
    const badInvoker = ref.directory.providers.find((p) => p.url.port === bad.port)!;
    expect(badInvoker.stats.total).toBe(3); // it opened after 3 failures and was not called again
    expect(badInvoker.isAvailable()).toBe(false);
    expect(ref.flow?.breaker?.openBreakers).toBe(1);
    expect(ref.flow?.breaker?.breakerOf(badInvoker).state).toBe('open');
    // Runtime change: a malformed one is refused whole; a good one reaches every breaker, states kept.
    expect(() => ref.flow!.update({ 'breaker.error.percent': '101' })).toThrow(/breaker\.error\.percent/);
    expect(() => ref.flow!.update({ 'breaker.fallback': 'nope' })).toThrow(
      /no rejected execution handler named 'nope'/,
    );
    ref.flow!.update({ 'breaker.request.volume': '50', 'breaker.sleep.window': '600000' });
    const b = ref.flow!.breaker!.breakerOf(badInvoker);
    expect(b.settings.requestVolume).toBe(50);
    expect(b.state).toBe('open');
  });

  it('a lone provider with an open breaker: refused with a retryable LimitExceededError, or a fallback', async () => {
    const bad = await provider('bad', true);
    const client = new DubboClient();
    closers.push(() => client.close());
    const params = { breaker: 'method', 'breaker.request.volume': '2', 'breaker.sleep.window': '600000' };
    const ref = client.refer(Echo, { url: bad.address, cluster: 'failfast', parameters: params });
    for (let i = 0; i < 2; i++) await expect(ref.proxy.echo('x')).rejects.toThrow(/bad is broken/);
    const err = (await ref.proxy.echo('x').catch((e: unknown) => e)) as LimitExceededError;
    expect(err).toBeInstanceOf(LimitExceededError);
    expect(err.kind).toBe('circuit');
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('org.example.Echo.echo');
    expect(err.message).toContain('circuit open');
    rejectedExecutionHandlers.register('echo-fallback', fallbackHandler('fallback'));
    try {
      const withFallback = client.refer(Echo, {
        url: bad.address,
        cluster: 'failfast',
        parameters: { ...params, 'breaker.fallback': 'echo-fallback' },
      });
      for (let i = 0; i < 2; i++) await expect(withFallback.proxy.echo('x')).rejects.toThrow(/bad is broken/);
      expect(await withFallback.proxy.echo('x')).toBe('fallback');
    } finally {
      rejectedExecutionHandlers.unregister('echo-fallback');
    }
  });
});
