// The consumer honours what a closing provider says (#14): Java's read-only event and dubbo-go's `closing=true`
// response attachment take that provider out of selection at once, before any registry notices.
import { DubboClient, DubboServer, type Filter } from '@dubbo-ts/dubbo';
import type { DubboProtocol } from '@dubbo-ts/dubbo/extension';
import { afterEach, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

/** A provider counting the calls it runs; `filters` run around each. */
async function provider(filters: Filter[] = []): Promise<{ server: DubboServer; calls: () => number }> {
  let n = 0;
  const counting: Filter = (next) => (inv) => {
    n++;
    return next(inv);
  };
  const server = new DubboServer({ port: 0, filters: [counting, ...filters] });
  server.export(InteropServiceDescriptor, interopServiceImpl);
  await server.listen();
  cleanup.push(() => server.close(0));
  return { server, calls: () => n };
}

function consumer(filters: Filter[] = []): DubboClient {
  const client = new DubboClient({ timeout: 10_000, filters });
  cleanup.push(() => client.close());
  return client;
}

/** What a dubbo-go provider does while it shuts down: `closing=true` on every response. */
const goClosing: Filter = (next) => async (inv) => {
  const r = await next(inv);
  inv.setResponseAttachment('closing', 'true');
  return r;
};

const passThrough: Filter = (next) => (inv) => next(inv);

describe('consumer honours a closing provider', () => {
  it('loses no call while one of two providers closes gracefully under load', async () => {
    const a = await provider();
    const b = await provider();
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, {
      url: `${a.server.address};${b.server.address}`,
      loadbalance: 'roundrobin',
    });
    await Promise.all([svc.echoString('x'), svc.echoString('y')]);
    const exchange = (client.protocol('dubbo') as unknown as DubboProtocol).exchangeOf('127.0.0.1', a.server.port)!;
    let failed = 0;
    let ok = 0;
    let stop = false;
    // 20 loops of 30 ms calls keep the consumer busy while provider a closes
    const loops = Array.from({ length: 20 }, async () => {
      while (!stop) {
        await svc.sleep(30).then(
          () => ok++,
          () => failed++,
        );
      }
    });
    while (a.calls() < 40) await new Promise((r) => setTimeout(r, 5));
    const report = await a.server.close(10_000);
    expect(exchange.isAvailable).toBe(false);
    const onAAfterClose = a.calls();
    const okAtClose = ok;
    while (ok < okAtClose + 100) await new Promise((r) => setTimeout(r, 5));
    stop = true;
    await Promise.all(loops);
    expect(failed).toBe(0);
    expect(a.calls()).toBe(onAAfterClose);
    expect(report.abandoned).toBe(0);
  });

  it("takes a provider out of selection on dubbo-go's closing attachment (proxy fast path)", async () => {
    const p = await provider([goClosing]);
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: p.server.address, retries: 0 });
    const exchange = (client.protocol('dubbo') as unknown as DubboProtocol).exchangeOf('127.0.0.1', p.server.port)!;
    await svc.echoString('closing');
    expect(exchange.isConnected).toBe(true);
    expect(exchange.isAvailable).toBe(false);
  });

  it("takes a provider out of selection on dubbo-go's closing attachment (through filters)", async () => {
    const p = await provider([goClosing]);
    const client = consumer([passThrough]);
    const svc = client.reference(InteropServiceDescriptor, { url: p.server.address, retries: 0 });
    const exchange = (client.protocol('dubbo') as unknown as DubboProtocol).exchangeOf('127.0.0.1', p.server.port)!;
    expect(await svc.returnNull()).toBeNull();
    expect(exchange.isAvailable).toBe(false);
  });

  it('keeps a provider whose values (not attachments) hold the closing bytes', async () => {
    const p = await provider();
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: p.server.address, retries: 0 });
    const exchange = (client.protocol('dubbo') as unknown as DubboProtocol).exchangeOf('127.0.0.1', p.server.port)!;
    expect(await svc.echoList(['closing', 'true'])).toEqual(['closing', 'true']);
    expect(await svc.echoMap(new Map([['closing', 'true']]))).toEqual(new Map([['closing', 'true']]));
    expect(exchange.isAvailable).toBe(true);
  });

  it('chooses a restarted provider again: a new connection is writable', async () => {
    const p = await provider();
    const client = consumer();
    const svc = client.reference(InteropServiceDescriptor, { url: p.server.address, retries: 0 });
    const exchange = (client.protocol('dubbo') as unknown as DubboProtocol).exchangeOf('127.0.0.1', p.server.port)!;
    await svc.echoString('x');
    await p.server.close(1000);
    const again = new DubboServer({ port: p.server.port });
    again.export(InteropServiceDescriptor, interopServiceImpl);
    await again.listen();
    cleanup.push(() => again.close(0));
    while (!exchange.isAvailable) await new Promise((r) => setTimeout(r, 20));
    expect(await svc.echoString('back')).toBe('back');
  });
});
