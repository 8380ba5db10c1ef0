// One service, three languages, one ZooKeeper: InteropService served by a TS provider (DubboServer in this process),
// the Java Dubbo 3.3 InteropProvider and the dubbo-go provider, all registered at interface level under one group.
// A TS consumer (`client.refer(descriptor, { registry })`, default failover cluster and weighted random) waits until
// it lists all three with their connections up, then makes 10,000 echoString calls, 100 in flight; once 2,000 have
// been answered the Java provider's whole process group is killed (SIGKILL: no unregistration, its ZooKeeper node
// stays until its session expires). Every call must still be answered, correctly: the calls in flight on Java fail
// with a lost connection, which failover retries on another provider, and later calls skip the unavailable one.
import {
  createRegistry,
  DubboClient,
  DubboServer,
  type ProviderInvoker,
  type Registry,
  registerBuiltinRegistries,
  registerServer,
  type ServerRegistration,
} from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../registry/registry-helpers.js';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { type PeerProvider, startGoProvider, startJavaProvider } from '../support/peers.js';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();

const TOTAL = 10_000;
const IN_FLIGHT = 100;
const KILL_AFTER = 2_000;
/** Bound of the load: no new call starts after this (then the counts below fail the test). */
const LOAD_DEADLINE_MS = 120_000;

describe('failover across a TS, a Java 3.3 and a dubbo-go provider of one service in ZooKeeper', () => {
  // A group of this run only: the three providers, and nothing else in the shared ZooKeeper, match it.
  const group = `failover${unique().replace(/-/g, '')}`;
  const zk = `zookeeper://${zookeeperAddress()}`;
  let java: PeerProvider | undefined;
  let go: PeerProvider | undefined;
  let server: DubboServer | undefined;
  let registration: ServerRegistration | undefined;
  const registries: Registry[] = [];

  beforeAll(async () => {
    // Java first (its JVM is the slowest to start), Go meanwhile; both register themselves.
    const javaReady = startJavaProvider({ registry: zk, group });
    const goReady = startGoProvider({ registry: zk, group });
    javaReady.catch(() => {});
    goReady.catch(() => {});
    go = await goReady;
    java = await javaReady;
    server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(InteropServiceDescriptor, interopServiceImpl, { group });
    await server.listen();
    const providerRegistry = createRegistry(`${zk}?migration=FORCE_INTERFACE`);
    registries.push(providerRegistry);
    registration = await registerServer(server, { registry: providerRegistry, registerMode: 'interface' });
  }, 150_000);

  afterAll(async () => {
    await registration?.unregister().catch(() => {});
    await server?.close(1000).catch(() => {});
    await Promise.all([java?.stop(), go?.stop()]);
    await Promise.all(registries.map((r) => r.destroy().catch(() => {})));
  }, 60_000);

  it('answers all 10,000 calls (100 in flight) while the Java provider is killed after 2,000', async () => {
    const registry = createRegistry(`${zk}?migration=FORCE_INTERFACE`);
    registries.push(registry);
    const client = new DubboClient({ application: 'dubbo-ts-failover-test' });
    try {
      // warmup 0 (Java's reference parameter, laid over the providers' URLs): with the default 10-minute warm-up the
      // just-started Java and TS providers weigh 1 (of 100) while dubbo-go, whose registered `timestamp` is in
      // seconds (Java and dubbo-ts read milliseconds), looks 56 years old and weighs 100: it would take 98% of calls.
      const ref = client.refer(InteropServiceDescriptor, {
        registry,
        group,
        waitMs: 15_000,
        parameters: { warmup: '0' },
      });
      await ref.ready;
      const ports = [server!.port, java!.port, go!.port];
      await until(
        () =>
          ref.directory.providers.length === 3 &&
          ports.every((port) => ref.directory.providers.some((p) => p.url.port === port && p.isAvailable())),
        60_000,
      );
      const byPort = (port: number): ProviderInvoker => ref.directory.providers.find((p) => p.url.port === port)!;
      const ts = byPort(server!.port);
      const javaInvoker = byPort(java!.port);
      const goInvoker = byPort(go!.port);
      // Java registered the IPv4-mapped literal (interop.sh's DUBBO_IP_TO_REGISTRY), Go and TS 127.0.0.1.
      expect(javaInvoker.url.host).toBe('[::ffff:127.0.0.1]');
      expect(goInvoker.url.host).toBe('127.0.0.1');
      expect(ts.url.host).toBe('127.0.0.1');
      const served = (p: ProviderInvoker): number => p.stats.total - p.stats.failed;

      let started = 0;
      let settled = 0;
      let answered = 0;
      const wrong: string[] = [];
      const failures: string[] = [];
      let javaServedBeforeKill = -1;
      let javaInFlightAtKill = -1;
      let killed: Promise<void> | undefined;
      const deadline = Date.now() + LOAD_DEADLINE_MS;
      const worker = async (): Promise<void> => {
        while (started < TOTAL && Date.now() < deadline) {
          const arg = `call ${started++}`;
          try {
            const got = await ref.proxy.echoString(arg);
            if (got === arg) answered++;
            else if (wrong.length < 10) wrong.push(`${arg} -> ${String(got)}`);
          } catch (err) {
            failures.push(`${arg}: ${(err as Error).message}`);
          }
          settled++;
          if (settled === KILL_AFTER) {
            javaServedBeforeKill = served(javaInvoker);
            javaInFlightAtKill = javaInvoker.stats.active;
            killed = java!.stop('SIGKILL'); // the script and its JVM, the whole process group
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
      await killed;

      const line = [
        `FAILOVER ts+java+go: ${answered}/${TOTAL} answered, ${failures.length} failed`,
        `java served ${javaServedBeforeKill} before the kill, ${javaInFlightAtKill} in flight then, ${javaInvoker.stats.failed} attempts failed (retried)`,
        `go ${served(goInvoker)}, ts ${served(ts)}`,
      ].join('; ');
      console.log(line);
      expect(failures.slice(0, 5), line).toEqual([]);
      expect(wrong, line).toEqual([]);
      expect(started).toBe(TOTAL);
      expect(answered).toBe(TOTAL);
      expect(killed, 'the Java provider was not killed').toBeDefined();
      expect(java!.running).toBe(false);
      expect(javaServedBeforeKill).toBeGreaterThan(0);
      // The kill hit calls on their way (Java's attempts that failed), and failover answered them elsewhere.
      expect(javaInvoker.stats.failed).toBeGreaterThan(0);
      expect(served(goInvoker)).toBeGreaterThan(0);
      expect(served(ts)).toBeGreaterThan(0);
      // Every answer came from one of the three.
      expect(served(ts) + served(goInvoker) + served(javaInvoker)).toBe(TOTAL);
      expect(javaInvoker.isAvailable()).toBe(false);
    } finally {
      await client.close();
    }
  }, 240_000);
});
