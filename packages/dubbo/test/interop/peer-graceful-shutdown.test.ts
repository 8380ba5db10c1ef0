// Graceful shutdown across peers (#14), 0 failed calls in each case:
// - a Java 3.3 provider shut down by its own hook (SIGTERM -> DubboShutdownHook) while a TS consumer calls it and a
//   TS provider: our consumer reads Java's read-only event before the connection closes;
// - a Java 3.3 consumer (failover over `url=a;b`) while one TS provider closes; and with the read-only event
//   dropped, so the closing provider refuses Java's requests and Java's failover must retry them;
// - a dubbo-go provider's graceful shutdown: our consumer reads its `closing=true` response attachment.
import { DubboClient, DubboServer, type Filter, type ServiceProxy } from '@dubbo-ts/dubbo';
import { consoleLogger, getLogger, setLogger } from '@dubbo-ts/gost';
import { afterAll, describe, expect, it } from 'vitest';
import { EventDroppingProxy } from '../support/event-dropping-proxy.js';
import { type InteropService, InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { type PeerProvider, runJavaBench, startGoProvider, startJavaProvider } from '../support/peers.js';
import { unique, zookeeperAddress } from '../support/services.js';
import { UserServiceDescriptor, userServiceImpl } from '../support/user-service.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A TS consumer (its info log captured) calling a peer provider and a TS provider round robin from 20 loops: after
 * 200 calls the peer is stopped with SIGTERM (its graceful shutdown), and the loops go on for 200 calls more.
 */
async function callThroughPeerShutdown(
  peer: PeerProvider,
  options: {
    group?: string;
    call: (svc: ServiceProxy<InteropService>) => Promise<unknown>;
    pauseMs?: number;
    label: string;
  },
): Promise<{ failures: string[]; logged: string[] }> {
  const group = options.group === undefined ? {} : { group: options.group };
  const ts = new DubboServer({ host: '127.0.0.1', port: 0 });
  ts.export(InteropServiceDescriptor, interopServiceImpl, group);
  await ts.listen();
  cleanup.push(() => ts.close(0));
  const logged: string[] = [];
  const previous = getLogger();
  setLogger({ ...consoleLogger, debug() {}, warn() {}, info: (m: string) => logged.push(m) });
  cleanup.push(async () => setLogger(previous));
  const client = new DubboClient({ timeout: 10_000 });
  cleanup.push(() => client.close());
  const svc = client.reference(InteropServiceDescriptor, {
    url: `${peer.url};${ts.address}`,
    ...group,
    loadbalance: 'roundrobin',
  });
  await Promise.all([svc.echoString('a'), svc.echoString('b')]);
  let ok = 0;
  const failures: string[] = [];
  let stop = false;
  const loops = Array.from({ length: 20 }, async () => {
    while (!stop) {
      await options.call(svc).then(
        () => ok++,
        (e: Error & { code?: string }) => failures.push(`${e.code}: ${e.message}`),
      );
      if (options.pauseMs !== undefined) await pause(options.pauseMs);
    }
  });
  while (ok < 200) await pause(10);
  await peer.stop('SIGTERM', 60_000);
  const okAtExit = ok;
  while (ok < okAtExit + 200) await pause(10);
  stop = true;
  await Promise.all(loops);
  console.log(`${options.label}: ${ok} calls ok, ${failures.length} failed`);
  return { failures, logged };
}

/** Two TS providers of InteropService and UserService; the first counts the calls it serves. */
async function twoTsProviders(): Promise<{ a: DubboServer; b: DubboServer; servedByA: () => number }> {
  const servers: DubboServer[] = [];
  let servedByA = 0;
  const countA: Filter = (next) => (inv) => {
    servedByA++;
    return next(inv);
  };
  for (let i = 0; i < 2; i++) {
    const s = new DubboServer({ host: '127.0.0.1', port: 0, filters: i === 0 ? [countA] : [] });
    s.export(InteropServiceDescriptor, interopServiceImpl);
    s.export(UserServiceDescriptor, userServiceImpl);
    await s.listen();
    servers.push(s);
    cleanup.push(() => s.close(0));
  }
  return { a: servers[0]!, b: servers[1]!, servedByA: () => servedByA };
}

/**
 * The Java BenchConsumer keeping 16 calls in flight over `url` (Java's `url=a;b`, retries 2) for 8 s; resolves
 * once provider a has served 1000 of them (or the bench ended), with the bench still running.
 */
async function javaBenchUntilAServed(url: string, servedByA: () => number) {
  const bench = runJavaBench(url, { seconds: 8, inflight: 16, calls: 'echo', retries: 2, timeoutMs: 180_000 });
  let ended = false;
  void bench.then(
    () => (ended = true),
    () => (ended = true),
  );
  while (servedByA() < 1000 && !ended) await pause(20);
  expect(servedByA()).toBeGreaterThanOrEqual(1000);
  return { bench };
}

describe('Java provider graceful shutdown', () => {
  it('loses no call of a TS consumer while the Java provider shuts down gracefully', { timeout: 240_000 }, async () => {
    const java = await startJavaProvider();
    cleanup.push(() => java.stop());
    // Java's shutdown hook: unregister, read-only event, wait, close.
    const { failures, logged } = await callThroughPeerShutdown(java, {
      call: (svc) => svc.sleep(20),
      label: 'java graceful shutdown',
    });
    expect(failures).toEqual([]);
    expect(logged.some((m) => m.includes(`:${java.port}: provider is closing (read-only event)`))).toBe(true);
  });
});

describe('Java consumer and a closing TS provider', () => {
  it('Java 3.3 failover loses no call while one of two TS providers closes gracefully', {
    timeout: 200_000,
  }, async () => {
    const { a, b, servedByA } = await twoTsProviders();
    // Java's calls go over both providers; provider a closes gracefully once Java's calls reach it.
    const { bench } = await javaBenchUntilAServed(`${a.address};${b.address}`, servedByA);
    const report = await a.close(5000);
    const result = await bench;
    console.log(
      `java consumer, TS provider closing: ${result.lines.map((l) => `${l.call} calls=${l.calls} errors=${l.errors}`).join(', ')}; close report ${JSON.stringify(report)}`,
    );
    expect(result.done).toBe(true);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]!.calls).toBeGreaterThan(0);
    expect(result.lines[0]!.errors).toBe(0);
  });

  it('Java 3.3 failover retries the requests a closing TS provider refuses (read-only event lost)', {
    timeout: 200_000,
  }, async () => {
    const { a, b, servedByA } = await twoTsProviders();
    // Java reaches provider a through a proxy that drops its read-only event, so Java keeps choosing a.
    const proxy = new EventDroppingProxy(a.port);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    // A slow TS call keeps a's close waiting (2 s) while Java's requests keep arriving: a refuses them unrun.
    const client = new DubboClient({ timeout: 10_000 });
    cleanup.push(() => client.close());
    const slow = client.reference(InteropServiceDescriptor, { url: a.address, retries: 0 });
    const { bench } = await javaBenchUntilAServed(`${proxy.address};${b.address}`, servedByA);
    const slowCall = slow.sleep(2000);
    while (a.callsInFlight < 1) await pause(5);
    const report = await a.close(10_000);
    expect(await slowCall).toBe(2000);
    const result = await bench;
    console.log(
      `java consumer, refused requests: ${result.lines.map((l) => `${l.call} calls=${l.calls} errors=${l.errors}`).join(', ')}; dropped events ${proxy.dropped}; close report ${JSON.stringify(report)}`,
    );
    expect(proxy.dropped).toBeGreaterThanOrEqual(1);
    expect(report.refused).toBeGreaterThan(0); // Java sent requests to the closing provider...
    expect(result.done).toBe(true);
    expect(result.lines[0]!.errors).toBe(0); // ...and its failover retried every one on b
  });
});

describe('dubbo-go provider graceful shutdown', () => {
  it('takes a closing dubbo-go provider out of selection on its closing attachment: 0 failed calls', {
    timeout: 240_000,
  }, async () => {
    const group = `go-${unique()}`;
    const go = await startGoProvider({ registry: `zookeeper://${zookeeperAddress()}`, group });
    cleanup.push(() => go.stop());
    // dubbo-go's graceful shutdown: closing=true on responses, then reject, close.
    const { failures, logged } = await callThroughPeerShutdown(go, {
      group,
      call: (svc) => svc.echoString('x'),
      pauseMs: 5,
      label: 'dubbo-go graceful shutdown',
    });
    expect(failures).toEqual([]);
    expect(logged.some((m) => m.includes(`:${go.port}: provider is closing (closing attachment)`))).toBe(true);
  });
});
