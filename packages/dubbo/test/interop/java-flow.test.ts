// A real Java Dubbo 3.3.6 consumer calling a TS provider with TPS limits: Java sees exactly what Java's own
// TpsLimitFilter gives (an org.apache.dubbo.rpc.RpcException, code 0, Java's sentence), does not retry it, the
// accepted calls never exceed the limit per window, and the provider stays healthy.
import { DubboClient, DubboServer, type Filter, LimitExceededError } from '@dubbo-ts/dubbo';
import type { JavaException } from '@dubbo-ts/hessian2';
import { afterEach, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { runJavaFlowConsumer, startJavaProvider } from '../support/peers.js';

const IFACE = 'org.apache.dubbo.interop.service.InteropService';
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function limitedProvider(parameters: Record<string, string>, filters: Filter[] = []): Promise<DubboServer> {
  const server = new DubboServer({ host: '127.0.0.1', port: 0, filters });
  server.export(InteropServiceDescriptor, interopServiceImpl, { parameters });
  await server.listen();
  closers.push(() => server.close(1000));
  return server;
}

describe('Java consumer -> TS provider with a TPS limit', () => {
  it("gets Java's RpcException past N per interval, not retried, and the provider stays healthy", async () => {
    const server = await limitedProvider({ 'echoString.tps': '5', 'echoString.tps.interval': '60000' });
    const r = await runJavaFlowConsumer(`dubbo://127.0.0.1:${server.port}`, { calls: 12, retries: 2 });
    expect(r.calls, r.stderr).toHaveLength(12);
    expect(r.calls.filter((c) => c.ok)).toHaveLength(5);
    const refused = r.calls.filter((c) => !c.ok);
    expect(refused).toHaveLength(7);
    for (const c of refused) {
      expect(c.exceptionClass).toBe('org.apache.dubbo.rpc.RpcException');
      expect(c.code).toBe(0); // what Java's TpsLimitFilter gives (RpcException(String): UNKNOWN_EXCEPTION)
      expect(c.message).toContain(`Failed to invoke service ${IFACE}.echoString because exceed max service tps.`);
      expect(c.message).toContain('Limit: 5 per 60000 ms (fixedWindow)');
    }
    // Java's failover (retries 2) did not retry: a refusal is a result to Java, as with Java's own filter.
    const tps = server.exported[0]!.flow!.tps!;
    expect(tps.rejected).toBe(7);
    expect(tps.accepted).toBe(5);
    // Healthy: other methods answer, and a TS consumer gets the typed refusal.
    const client = new DubboClient();
    closers.push(() => client.close());
    const ts = client.reference(InteropServiceDescriptor, { url: server.address, cluster: 'failfast' });
    expect(await ts.echoInt(7)).toBe(7);
    await expect(ts.echoString('x')).rejects.toMatchObject({ code: 'DUBBO_ERR_LIMIT_EXCEEDED', kind: 'tps' });
  }, 150_000);

  it('never lets more than N through in any window (slidingWindow, 3 per 100 ms) under a Java caller', async () => {
    const accepted: number[] = [];
    const record: Filter = (next) => (inv) => {
      if (inv.methodName === 'echoString') accepted.push(performance.now());
      return next(inv);
    };
    const server = await limitedProvider(
      { 'tps.limit.rate': '3', 'tps.limit.interval': '100', 'tps.limit.strategy': 'slidingWindow' },
      [record],
    );
    const r = await runJavaFlowConsumer(`dubbo://127.0.0.1:${server.port}`, { calls: 300 });
    expect(r.calls, r.stderr).toHaveLength(300);
    const ok = r.calls.filter((c) => c.ok).length;
    expect(ok).toBe(accepted.length);
    expect(ok).toBeGreaterThanOrEqual(3);
    // Any 3 consecutive accepted calls after the first 3 are at least one interval (to the 1 ms bucket) apart.
    for (let i = 3; i < accepted.length; i++) expect(accepted[i]! - accepted[i - 3]!).toBeGreaterThanOrEqual(98);
    for (const c of r.calls.filter((x) => !x.ok)) expect(c.exceptionClass).toBe('org.apache.dubbo.rpc.RpcException');
  }, 150_000);
});

describe("TS consumer -> Java provider with Java's own limiters", () => {
  it("reads Java's TpsLimitFilter and ExecuteLimitFilter refusals as retryable LimitExceededErrors", async () => {
    const java = await startJavaProvider({ params: { 'echoString.tps': '2', 'sleep.executes': '1' } });
    closers.push(() => java.stop());
    const client = new DubboClient();
    closers.push(() => client.close());
    const svc = client.reference(InteropServiceDescriptor, { url: java.url, cluster: 'failfast', timeout: 10_000 });
    expect(await svc.echoString('a')).toBe('a');
    expect(await svc.echoString('b')).toBe('b');
    const tps = (await svc.echoString('c').catch((e: unknown) => e)) as LimitExceededError;
    expect(tps).toBeInstanceOf(LimitExceededError);
    expect(tps.kind).toBe('tps');
    expect(tps.retryable).toBe(true);
    expect(tps.message).toBe(`Failed to invoke service ${IFACE}.echoString because exceed max service tps.`);
    expect((tps.cause as JavaException).javaClass).toBe('org.apache.dubbo.rpc.RpcException');
    // executes: one sleep runs, a second at the same time is refused by Java's ExecuteLimitFilter.
    const slow = svc.sleep(4000); // sent first on the one connection; 1 s is ample for Java to start running it
    await new Promise((r) => setTimeout(r, 1000));
    const ex = (await svc.sleep(0).catch((e: unknown) => e)) as LimitExceededError;
    expect(ex, String(ex)).toBeInstanceOf(LimitExceededError);
    expect(ex.kind).toBe('executes');
    expect(ex.limit).toBe('1');
    expect((ex.cause as { status?: number }).status).toBe(70); // Java's server answers a thrown RpcException so
    expect(ex.message).toContain('The service using threads greater than <dubbo:service executes="1" /> limited.');
    expect(await slow).toBe(4000);
  }, 150_000);
});
