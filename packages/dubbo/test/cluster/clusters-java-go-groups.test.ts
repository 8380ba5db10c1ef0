// The two cluster strategies that need a registry, over the real Java Dubbo 3.3 InteropProvider, real dubbo-go
// providers and a TS provider (DubboServer in this process), all registered at interface level in one ZooKeeper
// (the real server of tools/services/zookeeper.sh) under roots of this run only (a registry URL's `group`):
//   - mergeable: root EAST holds InteropService in three service groups: `a` (Java), `b` (Go) and `c` (TS). A
//     consumer of group `*` or `a,b` with `merger` calls every group once and merges the answers; the TS provider
//     of group `c` fails on purpose (its echoList hangs past the timeout, throws, or its process is gone while it
//     is still registered). What the caller gets is what Java 3.3's MergeableClusterInvoker gives: a group that
//     throws is logged and left out; an RPC failure of any group (timeout, connection) fails the whole call. Java's
//     own consumer (java/MergeConsumer.java) makes the same calls in the same registry and the outcomes are compared.
//     (A group whose providers Java sees as unavailable fails Java's call with a NullPointerException: it means to
//     skip the group with a warning, but the warning reads the cause of an exception that has none. Ours fails the
//     call with the group's connection error.)
//   - zone-aware: the consumer has two registries, EAST (`zone=east`, where Java serves group `a`) and WEST
//     (`zone=west`, where a second Go provider serves group `a`), plus in one case an empty preferred registry.
//     The `preferred=true` registry is called first while it has an available provider, else the registry whose
//     zone is the call's `registry_zone` attachment (`registry_zone_force=true`: only that one), else all. No
//     cluster is set: several registries make a reference zone-aware by themselves, as in Java. Java's own consumer
//     (java/ZoneConsumer.java) makes the same calls through the same two registries and the choices are compared.
// Each provider counts the calls it receives (`hits()` / `resetHits()` of InteropService, in Java, Go and TS alike).
// One JVM and two Go processes for the file; every call is bounded by its timeout.
import { fileURLToPath } from 'node:url';
import {
  createRegistry,
  DubboClient,
  DubboError,
  DubboServer,
  type Reference,
  type ReferenceOptions,
  type Registry,
  RpcContext,
  registerBuiltinRegistries,
  registerServer,
  type ServerRegistration,
  type ServiceProxy,
} from '@dubbo-ts/dubbo';
import { JavaException } from '@dubbo-ts/hessian2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../registry/registry-helpers.js';
import {
  type InteropService,
  InteropServiceDescriptor,
  newInteropServiceImpl,
  toNumber,
} from '../support/interop-service.js';
import { type PeerProvider, runJavaSource, startGoProvider, startJavaProvider } from '../support/peers.js';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();

const run = unique().replace(/-/g, '');
const EAST = `east${run}`;
const WEST = `west${run}`;
const EMPTY = `empty${run}`;
const zk = `zookeeper://${zookeeperAddress()}`;
/** A registry URL of root `root` with extra parameters (`zone`, `preferred`). */
const registryUrl = (root: string, extra = ''): string => `${zk}?group=${root}${extra}`;

type Peer = 'java' | 'go' | 'ts' | 'goWest';

let java: PeerProvider | undefined;
let go: PeerProvider | undefined;
let goWest: PeerProvider | undefined;
let server: DubboServer | undefined;
let registration: ServerRegistration | undefined;
const registries: Registry[] = [];
const control = new DubboClient({ application: 'dubbo-ts-clusters-groups-control' });
const counters = {} as Record<Peer, ServiceProxy<InteropService>>;

// The TS provider's echoList fails on purpose for the arguments 'hang' (answers only when the test lets it go, long
// after the caller's timeout) and 'throw' (java.lang.IllegalArgumentException); it echoes anything else.
const held: (() => void)[] = [];
const releaseTs = (): void => {
  for (const release of held.splice(0)) release();
};
function tsImpl() {
  const impl = newInteropServiceImpl();
  return {
    ...impl,
    echoList: async (v: unknown) => {
      const r = impl.echoList(v); // counted as it starts
      const first = Array.isArray(v) ? v[0] : undefined;
      if (first === 'hang') await new Promise<void>((resolve) => held.push(resolve));
      if (first === 'throw') throw new JavaException('java.lang.IllegalArgumentException', 'ts throws');
      return r;
    },
  };
}

beforeAll(async () => {
  // Java first (its JVM is the slowest to start), the Go providers and the TS provider meanwhile.
  const javaReady = startJavaProvider({ registry: registryUrl(EAST), group: 'a' });
  // Hosts as a Java consumer can reach them (it rewrites a 127.x host into the machine's address): Java and both Go
  // providers register [::ffff:127.0.0.1], so does the TS provider.
  const goReady = startGoProvider({
    registry: registryUrl(EAST),
    group: 'b',
    env: { DUBBO_IP_TO_REGISTRY: '::ffff:127.0.0.1' },
  });
  const goWestReady = startGoProvider({
    registry: registryUrl(WEST),
    group: 'a',
    env: { DUBBO_IP_TO_REGISTRY: '::ffff:127.0.0.1' },
  });
  for (const p of [javaReady, goReady, goWestReady]) p.catch(() => {});
  server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(InteropServiceDescriptor, tsImpl(), { group: 'c' });
  await server.listen();
  const providerRegistry = createRegistry(`${registryUrl(EAST)}&migration=FORCE_INTERFACE`);
  registries.push(providerRegistry);
  registration = await registerServer(server, {
    registry: providerRegistry,
    registerMode: 'interface',
    host: '[::ffff:127.0.0.1]',
  });
  go = await goReady;
  goWest = await goWestReady;
  java = await javaReady;
  const at: Record<Peer, [number, string]> = {
    java: [java.port, 'a'],
    go: [go.port, 'b'],
    ts: [server.port, 'c'],
    goWest: [goWest.port, 'a'],
  };
  for (const [p, [port, group]] of Object.entries(at)) {
    counters[p as Peer] = control.reference(InteropServiceDescriptor, {
      url: `dubbo://127.0.0.1:${port}`,
      group,
      cluster: 'failfast',
      timeout: 10_000,
    });
  }
}, 150_000);

afterAll(async () => {
  releaseTs();
  await control.close();
  await registration?.unregister().catch(() => {});
  await server?.close(1000).catch(() => {});
  await Promise.all([java?.stop(), go?.stop(), goWest?.stop()]);
  await Promise.all(registries.map((r) => r.destroy().catch(() => {})));
}, 60_000);

async function resetHits(peers: readonly Peer[]): Promise<void> {
  await Promise.all(peers.map((p) => counters[p].resetHits()));
}

/**
 * The calls each provider of `expected` received since {@link resetHits}: waits (bounded) until each has at least
 * the expected count (a request can still be on its way when the caller has its answer), then compares exactly.
 */
async function expectHits(expected: Partial<Record<Peer, number>>): Promise<void> {
  const peers = Object.keys(expected) as Peer[];
  const read = async () => {
    const n = await Promise.all(peers.map(async (p) => toNumber(await counters[p].hits())));
    return Object.fromEntries(peers.map((p, i) => [p, n[i]!]));
  };
  const deadline = Date.now() + 15_000;
  let got = await read();
  while (peers.some((p) => got[p]! < expected[p]!) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    got = await read();
  }
  expect(got).toEqual(expected);
}

interface Ref {
  client: DubboClient;
  ref: Reference<InteropService>;
  proxy: ServiceProxy<InteropService>;
}

/** A reference through `registry` (interface level) that has listed `count` providers with their connections up. */
async function refer(
  registry: string | string[],
  count: number,
  options: Partial<ReferenceOptions> = {},
): Promise<Ref> {
  const regs = (Array.isArray(registry) ? registry : [registry]).map((u) =>
    createRegistry(`${u}&migration=FORCE_INTERFACE`),
  );
  registries.push(...regs);
  const client = new DubboClient({ application: 'dubbo-ts-clusters-groups' });
  const ref = client.refer(InteropServiceDescriptor, {
    registry: regs.length === 1 ? regs[0]! : regs,
    waitMs: 15_000,
    ...options,
  } as ReferenceOptions);
  await ref.ready;
  await until(
    () => ref.directory.providers.length === count && ref.directory.providers.every((i) => i.isAvailable()),
    30_000,
  );
  return { client, ref, proxy: ref.proxy };
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

const ALL: readonly Peer[] = ['java', 'go', 'ts'];

describe('mergeable: group * / a,b over a Java (a), a dubbo-go (b) and a TS (c) provider in ZooKeeper', () => {
  it('merger=list: every group called once, the lists concatenated; without merger one group answers', async () => {
    const r = await refer(registryUrl(EAST), 3, {
      group: '*',
      timeout: 10_000,
      merger: 'list',
      methods: { echoStringArray: { merger: 'true' } },
    });
    try {
      await resetHits(ALL);
      expect(await r.proxy.echoList(['m', 1])).toEqual(['m', 1, 'm', 1, 'm', 1]);
      await expectHits({ java: 1, go: 1, ts: 1 });
      // Per method: merger=true merges by the return type (String[]: an array concatenation).
      await resetHits(ALL);
      expect(await r.proxy.echoStringArray(['s'])).toEqual(['s', 's', 's']);
      await expectHits({ java: 1, go: 1, ts: 1 });
    } finally {
      await r.client.close();
    }
    const ab = await refer(registryUrl(EAST), 2, {
      group: 'a,b',
      timeout: 10_000,
      methods: { echoList: { merger: 'true' } },
    });
    try {
      await resetHits(ALL);
      expect(await ab.proxy.echoList(['ab'])).toEqual(['ab', 'ab']);
      await expectHits({ java: 1, go: 1, ts: 0 });
      // A method without merger: one group answers, as Java's (the first available one).
      await resetHits(ALL);
      expect(await ab.proxy.echoString('one')).toBe('one');
      const n = await Promise.all(ALL.map(async (p) => toNumber(await counters[p].hits())));
      expect(n.reduce((a, b) => a + b, 0)).toBe(1);
    } finally {
      await ab.client.close();
    }
  }, 90_000);

  it('a group that throws is left out of the merge; every group throwing answers null', async () => {
    const r = await refer(registryUrl(EAST), 3, { group: '*', timeout: 10_000, merger: 'list' });
    try {
      await resetHits(ALL);
      expect(await r.proxy.echoList(['throw'])).toEqual(['throw', 'throw']);
      await expectHits({ java: 1, go: 1, ts: 1 });
      // Every group throws (a String method with merger): no answer is left, the caller gets null (Java: the
      // default value of the return type), without an exception.
      await resetHits(ALL);
      expect(await r.proxy.throwIllegalArgument('all')).toBeNull();
      await expectHits({ java: 1, go: 1, ts: 1 });
    } finally {
      await r.client.close();
    }
  }, 90_000);

  it("a group that hangs past the timeout fails the whole call with that group's timeout", async () => {
    // The default timeout (1000 ms) for echoList: Java and Go answer, TS hangs; the caller gets TS's timeout.
    const r = await refer(registryUrl(EAST), 3, { group: '*', merger: 'list' });
    try {
      await resetHits(ALL);
      const err = await failure(r.proxy.echoList(['hang']));
      releaseTs();
      expect(err).toBeInstanceOf(DubboError);
      expect(err).toMatchObject({ code: 'DUBBO_ERR_CLIENT_TIMEOUT', retryable: true });
      await expectHits({ java: 1, go: 1, ts: 1 });
    } finally {
      releaseTs();
      await r.client.close();
    }
  }, 90_000);

  it("Java 3.3's own consumer of group * in the same registry: the same merged answers, failures and calls per group", async () => {
    // The cases of java/MergeConsumer.java, made again here by a TS reference of the same settings.
    const patient = await refer(registryUrl(EAST), 3, {
      group: '*',
      timeout: 10_000,
      merger: 'list',
      methods: { echoStringArray: { merger: 'true' } },
    });
    const plain = await refer(registryUrl(EAST), 3, { group: '*', timeout: 10_000 });
    const hasty = await refer(registryUrl(EAST), 3, { group: '*', merger: 'list' });
    const cases: [string, () => Promise<unknown>][] = [
      ['list', () => patient.proxy.echoList(['m', 1])],
      ['array', () => patient.proxy.echoStringArray(['s'])],
      ['throw', () => patient.proxy.echoList(['throw'])],
      ['allthrow', () => patient.proxy.throwIllegalArgument('all')],
      ['nomerger', () => plain.proxy.echoString('one')],
      ['hang', () => hasty.proxy.echoList(['hang'])],
    ];
    const direct = (port: number, group: string) => `dubbo://[::ffff:127.0.0.1]:${port}?group=${group}`;
    try {
      const javaRun = await runJavaSource(
        fileURLToPath(new URL('./java/MergeConsumer.java', import.meta.url)),
        [registryUrl(EAST), direct(java!.port, 'a'), direct(go!.port, 'b'), direct(server!.port, 'c')],
        { timeoutMs: 150_000 },
      );
      releaseTs();
      const javaSays = new Map<string, { hits: string; outcome: string }>();
      for (const line of javaRun.lines) {
        const m = /^CASE (\S+) hits=(\S+) (.*)$/.exec(line);
        if (m !== null) javaSays.set(m[1]!, { hits: m[2]!, outcome: m[3]! });
      }
      expect(javaSays.size, `java printed:\n${javaRun.lines.join('\n')}\n${javaRun.stderr}`).toBe(cases.length);
      const report: string[] = [];
      for (const [name, call] of cases) {
        await resetHits(ALL);
        const outcome = await call().then(
          (v) => `OK ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`,
          (err: unknown) => `THROWN ${err instanceof DubboError ? err.code : String(err)}`,
        );
        releaseTs();
        const j = javaSays.get(name)!;
        const expected = j.hits.split(',').map(Number);
        const ours = { java: expected[0]!, go: expected[1]!, ts: expected[2]! };
        report.push(`${name}: java hits=${j.hits} ${j.outcome}; ts ${outcome}`);
        if (name === 'nomerger') {
          // one group answers; which one is the first available in each one's list
          const n = await Promise.all(ALL.map(async (p) => toNumber(await counters[p].hits())));
          expect(n.reduce((a, b) => a + b, 0)).toBe(expected.reduce((a, b) => a + b, 0));
        } else {
          await expectHits(ours);
        }
        if (j.outcome.startsWith('OK')) {
          expect(outcome, name).toBe(j.outcome);
        } else {
          // Java: an RpcException (a timeout is wrapped as 'Failed to invoke service ...'); ours: the DubboError.
          expect(j.outcome, name).toMatch(/^THROWN org\.apache\.dubbo\.rpc\.RpcException /);
          expect(outcome, name).toBe('THROWN DUBBO_ERR_CLIENT_TIMEOUT');
        }
      }
      console.log(`MERGEABLE java vs ts:\n  ${report.join('\n  ')}`);
    } finally {
      releaseTs();
      await Promise.all([patient.client.close(), plain.client.close(), hasty.client.close()]);
    }
  }, 240_000);

  // Last in this block: it closes the TS provider.
  it('a group whose provider is down fails the whole call; once it is gone from the registry the others merge', async () => {
    const r = await refer(registryUrl(EAST), 3, { group: '*', timeout: 10_000, merger: 'list' });
    try {
      // The TS provider stops serving but stays registered (its ZooKeeper node is the registry session's).
      await server!.close(1000);
      const ts = r.ref.directory.providers.find((i) => i.url.port === server!.port)!;
      await until(() => !ts.isAvailable(), 15_000);
      await resetHits(['java', 'go']);
      const err = await failure(r.proxy.echoList(['down']));
      expect(err).toBeInstanceOf(DubboError);
      expect((err as DubboError).retryable).toBe(true);
      expect(['DUBBO_ERR_CONNECT', 'DUBBO_ERR_CHANNEL_INACTIVE', 'DUBBO_ERR_CLIENT_TIMEOUT']).toContain(
        (err as DubboError).code,
      );
      await expectHits({ java: 1, go: 1 });

      // Unregistered: group c is no longer listed; a and b answer and merge.
      await registration!.unregister();
      registration = undefined;
      await until(() => r.ref.directory.providers.length === 2, 30_000);
      await resetHits(['java', 'go']);
      expect(await r.proxy.echoList(['gone'])).toEqual(['gone', 'gone']);
      await expectHits({ java: 1, go: 1 });
    } finally {
      await r.client.close();
    }
  }, 90_000);
});

describe('zone-aware: a registry per zone, Java in zone east, dubbo-go in zone west', () => {
  const east = registryUrl(EAST, '&zone=east');
  const west = registryUrl(WEST, '&zone=west');
  const ZONED: readonly Peer[] = ['java', 'goWest'];

  /** `n` echoString calls with the attachments `att` set on each (RpcContext, as Java's client attachments). */
  async function calls(r: Ref, n: number, att: Record<string, string> = {}): Promise<void> {
    for (let i = 0; i < n; i++) {
      RpcContext.setAttachments(att);
      expect(await r.proxy.echoString(`z${i}`)).toBe(`z${i}`);
    }
  }

  it("the call's registry_zone picks the registry of that zone; an unknown zone falls back to all; force refuses", async () => {
    // No cluster given: several registries make the reference zone-aware, as Java's ReferenceConfig does.
    const r = await refer([east, west], 2, { group: 'a', timeout: 10_000 });
    try {
      await resetHits(ZONED);
      await calls(r, 4, { registry_zone: 'west' });
      await expectHits({ java: 0, goWest: 4 });
      await resetHits(ZONED);
      await calls(r, 4, { registry_zone: 'east' });
      await expectHits({ java: 4, goWest: 0 });
      // No provider in zone north: the balancer among all (here `roundrobin`, so both are called; `warmup=0`: the
      // just-started Java provider weighs as much as dubbo-go, whose registered `timestamp` in seconds looks old).
      await resetHits(ZONED);
      const rr = await refer([east, west], 2, {
        group: 'a',
        timeout: 10_000,
        loadbalance: 'roundrobin',
        parameters: { warmup: '0' },
      });
      try {
        await calls(rr, 4, { registry_zone: 'north' });
      } finally {
        await rr.client.close();
      }
      await expectHits({ java: 2, goWest: 2 });
      // registry_zone_force: no call at all.
      await resetHits(ZONED);
      RpcContext.setAttachments({ registry_zone: 'north', registry_zone_force: 'true' });
      expect(await failure(r.proxy.echoString('x'))).toMatchObject({ code: 'DUBBO_ERR_NO_PROVIDER' });
      await expectHits({ java: 0, goWest: 0 });
    } finally {
      await r.client.close();
    }
  }, 90_000);

  it('a preferred registry comes first, over the zone; an empty preferred registry is passed over', async () => {
    const pref = await refer([east, registryUrl(WEST, '&zone=west&preferred=true')], 2, {
      group: 'a',
      timeout: 10_000,
    });
    try {
      await resetHits(ZONED);
      await calls(pref, 4, { registry_zone: 'east' });
      await expectHits({ java: 0, goWest: 4 });
    } finally {
      await pref.client.close();
    }
    const empty = await refer([east, west, registryUrl(EMPTY, '&zone=east&preferred=true')], 2, {
      group: 'a',
      timeout: 10_000,
    });
    try {
      await resetHits(ZONED);
      await calls(empty, 4, { registry_zone: 'west' });
      await expectHits({ java: 0, goWest: 4 });
    } finally {
      await empty.client.close();
    }
  }, 90_000);

  it("Java 3.3's own consumer of the same two registries: the same registry chosen per case", async () => {
    // The cases of java/ZoneConsumer.java (4 calls each), made again here by TS references of the same settings.
    const direct = (port: number) => `dubbo://[::ffff:127.0.0.1]:${port}?group=a`;
    const javaRun = await runJavaSource(
      fileURLToPath(new URL('./java/ZoneConsumer.java', import.meta.url)),
      [zookeeperAddress(), EAST, WEST, direct(java!.port), direct(goWest!.port)],
      { timeoutMs: 150_000 },
    );
    const javaSays = new Map<string, { hits: number[]; outcome: string }>();
    for (const line of javaRun.lines) {
      const m = /^CASE (\S+) hits=(\d+),(\d+) (.*)$/.exec(line);
      if (m !== null) javaSays.set(m[1]!, { hits: [Number(m[2]), Number(m[3])], outcome: m[4]! });
    }
    expect(javaSays.size, `java printed:\n${javaRun.lines.join('\n')}\n${javaRun.stderr}`).toBe(4);
    const zoned = await refer([east, west], 2, { group: 'a', timeout: 10_000 });
    const pref = await refer([east, registryUrl(WEST, '&zone=west&preferred=true')], 2, {
      group: 'a',
      timeout: 10_000,
    });
    const cases: [string, Ref, Record<string, string>][] = [
      ['west', zoned, { registry_zone: 'west' }],
      ['east', zoned, { registry_zone: 'east' }],
      ['force-north', zoned, { registry_zone: 'north', registry_zone_force: 'true' }],
      ['preferred-over-east', pref, { registry_zone: 'east' }],
    ];
    const report: string[] = [];
    try {
      for (const [name, r, att] of cases) {
        await resetHits(ZONED);
        let answered = 0;
        let outcome = '';
        try {
          for (let i = 0; i < 4; i++) {
            RpcContext.setAttachments(att);
            await r.proxy.echoString(`z${i}`);
            answered++;
          }
          outcome = `OK ${answered}`;
        } catch (err) {
          outcome = `THROWN ${err instanceof DubboError ? err.code : String(err)}`;
        }
        const j = javaSays.get(name)!;
        report.push(`${name}: java hits=${j.hits.join(',')} ${j.outcome}; ts ${outcome}`);
        await expectHits({ java: j.hits[0]!, goWest: j.hits[1]! });
        if (j.outcome.startsWith('OK')) {
          expect(outcome, name).toBe(j.outcome);
        } else {
          // Java: IllegalStateException (no registry in the zone); ours: DubboError DUBBO_ERR_NO_PROVIDER
          expect(j.outcome, name).toBe('THROWN java.lang.IllegalStateException');
          expect(outcome, name).toBe('THROWN DUBBO_ERR_NO_PROVIDER');
        }
      }
      console.log(`ZONE-AWARE java vs ts:\n  ${report.join('\n  ')}`);
    } finally {
      await Promise.all([zoned.client.close(), pref.client.close()]);
    }
  }, 240_000);

  // Last: it kills the west Go provider.
  it("the preferred registry's provider down: the calls go to the other registry; forced to its zone, they fail", async () => {
    const r = await refer([east, registryUrl(WEST, '&zone=west&preferred=true')], 2, {
      group: 'a',
      timeout: 10_000,
    });
    try {
      await resetHits(ZONED);
      await calls(r, 2);
      await expectHits({ java: 0, goWest: 2 });
      // SIGKILL: no unregistration; its ZooKeeper node stays until its session expires, its port refuses.
      await goWest!.stop('SIGKILL');
      const dead = r.ref.directory.providers.find((i) => i.url.port === goWest!.port)!;
      await until(() => !dead.isAvailable(), 15_000);
      const before = dead.stats.total;
      await resetHits(['java']);
      await calls(r, 4, { registry_zone: 'west' });
      await expectHits({ java: 4 });
      expect(dead.stats.total).toBe(before);
      RpcContext.setAttachments({ registry_zone: 'west', registry_zone_force: 'true' });
      expect(await failure(r.proxy.echoString('x'))).toMatchObject({ code: 'DUBBO_ERR_NO_PROVIDER' });
      expect(dead.stats.total).toBe(before);
    } finally {
      await r.client.close();
    }
  }, 90_000);
});
