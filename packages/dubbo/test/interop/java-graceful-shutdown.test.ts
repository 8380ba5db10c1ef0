// A Java 3.3 provider shut down with Java's own graceful shutdown (SIGTERM -> DubboShutdownHook) while a TS
// consumer calls it and a TS provider of the same service (#14): 0 failed calls, and our consumer read Java's
// read-only event (it logs leaving the provider out of selection) before the connection closed.
import { DubboClient, DubboServer } from '@dubbo-ts/dubbo';
import { consoleLogger, getLogger, setLogger } from '@dubbo-ts/gost';
import { afterAll, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { startJavaProvider } from '../support/peers.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

describe('Java provider graceful shutdown', () => {
  it('loses no call of a TS consumer while the Java provider shuts down gracefully', { timeout: 240_000 }, async () => {
    const java = await startJavaProvider();
    cleanup.push(() => java.stop());
    const ts = new DubboServer({ host: '127.0.0.1', port: 0 });
    ts.export(InteropServiceDescriptor, interopServiceImpl);
    await ts.listen();
    cleanup.push(() => ts.close(0));
    const logged: string[] = [];
    const previous = getLogger();
    setLogger({ ...consoleLogger, debug() {}, warn() {}, info: (m: string) => logged.push(m) });
    cleanup.push(async () => setLogger(previous));
    const client = new DubboClient({ timeout: 10_000 });
    cleanup.push(() => client.close());
    const svc = client.reference(InteropServiceDescriptor, {
      url: `${java.url};${ts.address}`,
      loadbalance: 'roundrobin',
    });
    await Promise.all([svc.echoString('a'), svc.echoString('b')]);
    let ok = 0;
    const failures: string[] = [];
    let stop = false;
    const loops = Array.from({ length: 20 }, async () => {
      while (!stop) {
        await svc.sleep(20).then(
          () => ok++,
          (e: Error & { code?: string }) => failures.push(`${e.code}: ${e.message}`),
        );
      }
    });
    while (ok < 200) await new Promise((r) => setTimeout(r, 10));
    await java.stop('SIGTERM', 60_000); // Java's shutdown hook: unregister, read-only event, wait, close
    const okAtExit = ok;
    while (ok < okAtExit + 200) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(loops);
    console.log(`java graceful shutdown: ${ok} calls ok, ${failures.length} failed`);
    expect(failures).toEqual([]);
    expect(logged.some((m) => m.includes(`:${java.port}: provider is closing (read-only event)`))).toBe(true);
  });
});
