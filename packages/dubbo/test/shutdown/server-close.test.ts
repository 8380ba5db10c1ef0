// DubboServer.close(timeout) on its own: read-only event to connected consumers, calls it accepted complete,
// a request arriving while it closes gets an error failover retries elsewhere, then the server closes (#14).
import { DubboClient, DubboError, DubboServer } from '@dubbo-ts/dubbo';
import type { DubboProtocol } from '@dubbo-ts/dubbo/extension';
import { afterEach, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

/** Held `sleep` calls end when the test opens the gate (no race with a clock on a busy machine). */
let openGate: () => void = () => {};

async function provider(gated = false): Promise<DubboServer> {
  const server = new DubboServer({ port: 0 });
  const gate = new Promise<void>((r) => (openGate = r));
  const impl = gated
    ? {
        ...interopServiceImpl,
        sleep: async (ms: unknown) => {
          await gate;
          return ms as number;
        },
      }
    : interopServiceImpl;
  server.export(InteropServiceDescriptor, impl);
  await server.listen();
  cleanup.push(async () => void (await server.close(0)));
  return server;
}

function consumer(): DubboClient {
  const client = new DubboClient({ timeout: 10_000 });
  cleanup.push(() => client.close());
  return client;
}

describe('DubboServer.close(timeout)', () => {
  it('lets 50 calls of 300 ms in flight complete before it closes', async () => {
    const server = await provider();
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: server.address, retries: 0 });
    await svc.echoString('warm');
    const calls = Array.from({ length: 50 }, () => svc.sleep(300));
    // every request has reached the provider before close starts
    while (server.callsInFlight < 50) await new Promise((r) => setTimeout(r, 5));
    await server.close(10_000);
    const settled = await Promise.allSettled(calls);
    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed.map((f) => (f as PromiseRejectedResult).reason?.code)).toEqual([]);
    expect(settled.map((s) => (s as PromiseFulfilledResult<number>).value)).toEqual(Array(50).fill(300));
  });

  it('gives up on calls still running at its timeout and closes', async () => {
    const server = await provider();
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: server.address, retries: 0 });
    const call = svc.sleep(5000).then(
      () => null,
      (e: unknown) => e,
    );
    while (server.callsInFlight < 1) await new Promise((r) => setTimeout(r, 5));
    const report = await server.close(100);
    expect(report).toEqual({ waitedFor: 1, abandoned: 1, connections: 1, refused: 0 });
    expect(await call).toMatchObject({ code: 'DUBBO_ERR_CHANNEL_INACTIVE' });
  });

  it('tells connected consumers it is read-only, so they stop choosing it at once', async () => {
    const server = await provider(true);
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: server.address, retries: 0 });
    await svc.echoString('warm');
    const protocol = client.protocol('dubbo') as DubboProtocol;
    const exchange = protocol.exchangeOf('127.0.0.1', server.port)!;
    expect(exchange.isAvailable).toBe(true);
    const slow = svc.sleep(300);
    while (server.callsInFlight < 1) await new Promise((r) => setTimeout(r, 5));
    const closing = server.close(10_000);
    while (exchange.isAvailable) await new Promise((r) => setTimeout(r, 5));
    expect(exchange.isConnected).toBe(true); // still connected: the held call is answered on it
    openGate();
    expect(await slow).toBe(300);
    await closing;
  });

  it('answers a request arriving while it closes with an error failover retries', async () => {
    const server = await provider(true);
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: server.address, retries: 0 });
    const slow = svc.sleep(500);
    while (server.callsInFlight < 1) await new Promise((r) => setTimeout(r, 5));
    const closing = server.close(10_000);
    // a consumer that has not seen the read-only event yet still sends; the provider refuses the call unrun
    const err = await svc.echoString('late').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DubboError);
    expect((err as DubboError).retryable).toBe(true);
    expect((err as DubboError).message).toMatch(/closing/);
    openGate();
    expect(await slow).toBe(500);
    expect((await closing).refused).toBe(1);
  });
});
