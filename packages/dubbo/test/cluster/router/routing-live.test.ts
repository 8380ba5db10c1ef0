// Rules written to a real config center change a TS consumer's routing live and revert when removed: a service-scope
// condition rule, an application-scope v3.1 rule, a tag rule; a malformed rule leaves the old one in force. Three TS
// providers registered in ZooKeeper / etcd; the config center is the registry's own, as Java defaults. Prints the
// time from publication to the first call routed by the new rule.
import {
  createDynamicConfiguration,
  createRegistry,
  DubboServer,
  DubboUrl,
  type DynamicConfiguration,
  defineService,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
  type ServiceImplementation,
} from '@dubbo-ts/dubbo';
import { setLogger, silentLogger } from '@dubbo-ts/gost';
import { afterEach, describe, expect, it } from 'vitest';
import { etcdAddress, unique, zookeeperAddress } from '../../support/services.js';

registerBuiltinRegistries();

interface Greeter {
  greet(name: string): string;
}
const Greeter = defineService<Greeter>({
  interfaceName: 'org.apache.dubbo.interop.GreeterService',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

const servers: [string, () => string][] = [
  ['zookeeper', () => `zookeeper://${zookeeperAddress()}?session=4000&migration=FORCE_INTERFACE`],
  ['etcd', () => `etcd://${etcdAddress()}?session=4000&migration=FORCE_INTERFACE`],
];

/** Calls until `ok` holds for a whole round of calls; returns ms from `since`. Bounded by `timeoutMs`. */
async function routedWithin(
  call: () => Promise<string>,
  ok: (names: Set<string>) => boolean,
  since: number,
  timeoutMs = 20_000,
) {
  for (;;) {
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) seen.add(await call());
    if (ok(seen)) return performance.now() - since;
    if (performance.now() - since > timeoutMs) throw new Error(`not routed in ${timeoutMs} ms: saw ${[...seen]}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const only =
  (...names: string[]) =>
  (seen: Set<string>) =>
    seen.size === names.length && names.every((n) => seen.has(n));

/** Waits until `ok` holds, checking every `stepMs` at most 1000 times (the caller asserts what it needs after). */
async function waitFor(ok: () => boolean, stepMs = 20): Promise<void> {
  for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, stepMs));
}

function printTimes(label: string, times: Record<string, number>): void {
  console.log(
    `PROPAGATION ${label}: ${Object.entries(times)
      .map(([k, v]) => `${k} ${v.toFixed(0)} ms`)
      .join(', ')}`,
  );
}

/**
 * One test's registry at `address` and names (group `g<id>`, provider application `shop<id>`, consumer application
 * `web<id>`), with the TS providers, consumer and config center a test makes there; each is closed after the test.
 */
function scene(address: () => string) {
  const id = unique().replace(/-/g, '');
  const group = `g${id}`;
  const providerApp = `shop${id}`;
  const consumerApp = `web${id}`;
  const registry: Registry = createRegistry(address());
  cleanups.push(() => registry.destroy());
  return {
    group,
    providerApp,
    consumerApp,
    registry,
    /** A TS provider of Greeter in the group, registered with the provider application and `parameters`. */
    async provide(impl: ServiceImplementation<Greeter>, parameters: Record<string, string> = {}, options = {}) {
      const server = new DubboServer({ host: '127.0.0.1', port: 0 });
      const exported = server.export(Greeter, impl, { group, ...options });
      await server.listen();
      const reg = await registerServer(server, { registry, parameters: { application: providerApp, ...parameters } });
      cleanups.push(() => server.close(100));
      cleanups.push(() => reg.unregister());
      return { server, exported, reg };
    },
    /** The consumer application's reference to Greeter in the group. */
    consume(options: { retries?: number } = {}) {
      const ref = referenceFromRegistry(Greeter, {
        registry,
        group,
        application: consumerApp,
        waitMs: 10_000,
        ...options,
      });
      cleanups.push(() => ref.destroy());
      return ref;
    },
    configCenter(): DynamicConfiguration {
      const cc = createDynamicConfiguration(address());
      cleanups.push(() => cc.close());
      return cc;
    },
  };
}

describe.each(servers)('routing rules live from %s', (kind, address) => {
  it('condition, v3.1 and tag rules route calls within a bounded time, revert when removed, survive a malformed update', async () => {
    const s = scene(address);
    const { group, providerApp, consumerApp } = s;
    for (const [name, env] of [
      ['a', 'prod'],
      ['b', 'prod'],
      ['c', 'gray'],
    ] as const) {
      await s.provide({ greet: () => name }, { env, name });
    }
    const ref = s.consume();
    const call = () => ref.proxy.greet('x');
    await routedWithin(call, only('a', 'b', 'c'), performance.now());

    const cc = s.configCenter();
    const serviceKey = `org.apache.dubbo.interop.GreeterService::${group}.condition-router`;
    cleanups.push(() => cc.removeConfig(serviceKey));
    cleanups.push(() => cc.removeConfig(`${consumerApp}.condition-router`));
    cleanups.push(() => cc.removeConfig(`${providerApp}.tag-router`));
    const times: Record<string, number> = {};

    // Service scope, v3.0.
    let t0 = performance.now();
    await cc.publishConfig(serviceKey, `configVersion: v3.0\nscope: service\nkey: x\nconditions:\n  - "=> name = a"\n`);
    times.condition = await routedWithin(call, only('a'), t0);
    // A malformed update is refused: 'a' only, still.
    const logged: string[] = [];
    setLogger({ ...silentLogger, warn: (m: string) => logged.push(m) });
    cleanups.push(async () => setLogger(silentLogger));
    await cc.publishConfig(serviceKey, 'conditions: ["=> name = = b"');
    await waitFor(() => logged.some((l) => l.includes(`${serviceKey} version`) && l.includes('refused')));
    expect(logged.find((l) => l.includes('refused'))).toMatch(/not YAML|Illegal route rule/);
    await routedWithin(call, only('a'), performance.now());
    t0 = performance.now();
    await cc.removeConfig(serviceKey);
    times['condition removed'] = await routedWithin(call, only('a', 'b', 'c'), t0);

    // Application scope, v3.1: consumers of this app go to env=$env... here to the gray provider.
    t0 = performance.now();
    await cc.publishConfig(
      `${consumerApp}.condition-router`,
      'configVersion: v3.1\nscope: application\nkey: web\nconditions:\n  - from: {match: ""}\n    to: [{match: env=gray}]\n',
    );
    times['condition v3.1'] = await routedWithin(call, only('c'), t0);
    await cc.removeConfig(`${consumerApp}.condition-router`);
    await routedWithin(call, only('a', 'b', 'c'), performance.now());

    // Tag rule of the provider application: untagged calls leave the tagged provider b.
    const b = ref.directory.providers.find((p) => p.url.getParameter('name') === 'b')!.url.address!;
    t0 = performance.now();
    await cc.publishConfig(
      `${providerApp}.tag-router`,
      `force: false\nkey: ${providerApp}\ntags:\n  - {name: blue, addresses: ["${b}"]}\n`,
    );
    times.tag = await routedWithin(call, only('a', 'c'), t0);
    await cc.removeConfig(`${providerApp}.tag-router`);
    await routedWithin(call, only('a', 'b', 'c'), performance.now());

    printTimes(kind, times);
  }, 120_000);

  it('override rules change timeout, disable a provider and weigh providers live, and revert when removed', async () => {
    const s = scene(address);
    const { group, consumerApp } = s;
    const ports: Record<string, number> = {};
    for (const name of ['a', 'b']) {
      // 'slow' takes 200 ms: past a 50 ms timeout, well within the default 1000 ms.
      // warmup 1 ms: the weights below count at once (Java ramps a fresh provider's weight up over 10 minutes).
      const { server } = await s.provide(
        { greet: async (w: string) => (w === 'slow' ? new Promise((r) => setTimeout(() => r(name), 200)) : name) },
        { name, warmup: '1' },
      );
      ports[name] = server.port;
    }
    const ref = s.consume({ retries: 0 });
    const call = () => ref.proxy.greet('x');
    await routedWithin(call, only('a', 'b'), performance.now());
    expect(await ref.proxy.greet('slow')).toMatch(/^[ab]$/);

    const cc = s.configCenter();
    const appKey = `${consumerApp}.configurators`;
    cleanups.push(() => cc.removeConfig(appKey));
    const times: Record<string, number> = {};

    // disabled: b out of the list; then back.
    let t0 = performance.now();
    await cc.publishConfig(
      appKey,
      `configVersion: v3.0\nscope: application\nkey: ${consumerApp}\nconfigs:\n  - side: consumer\n    providerAddresses: ["127.0.0.1:${ports.b}"]\n    parameters: {disabled: true}\n`,
    );
    times.disabled = await routedWithin(call, only('a'), t0);
    t0 = performance.now();
    await cc.removeConfig(appKey);
    times['disabled removed'] = await routedWithin(call, only('a', 'b'), t0);

    // timeout: 50 ms for every provider of this consumer; the slow call now times out.
    t0 = performance.now();
    await cc.publishConfig(
      `org.apache.dubbo.interop.GreeterService::${group}.configurators`,
      `configVersion: v3.0\nscope: service\nkey: ${group}/org.apache.dubbo.interop.GreeterService\nconfigs:\n  - side: consumer\n    parameters: {timeout: 50}\n`,
    );
    cleanups.push(() => cc.removeConfig(`org.apache.dubbo.interop.GreeterService::${group}.configurators`));
    for (;;) {
      const r = await ref.proxy.greet('slow').then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
      if (r === 'DUBBO_ERR_CLIENT_TIMEOUT') break;
      if (performance.now() - t0 > 20_000) throw new Error('timeout override not applied');
    }
    times.timeout = performance.now() - t0;
    expect(ref.directory.providers.every((p) => p.url.getParameter('timeout') === '50')).toBe(true);
    await cc.removeConfig(`org.apache.dubbo.interop.GreeterService::${group}.configurators`);
    await waitFor(() => ref.directory.providers.every((p) => p.url.getParameter('timeout') === undefined));
    expect(await ref.proxy.greet('slow')).toMatch(/^[ab]$/);

    // weight: a 1, b 1000 -> b takes nearly every call (of 200, a expects 0.2; more than 20 is p < 1e-20).
    await cc.publishConfig(
      appKey,
      `configVersion: v3.0\nscope: application\nkey: ${consumerApp}\nconfigs:\n  - side: consumer\n    providerAddresses: ["127.0.0.1:${ports.a}"]\n    parameters: {weight: 1}\n  - side: consumer\n    providerAddresses: ["127.0.0.1:${ports.b}"]\n    parameters: {weight: 1000}\n`,
    );
    await waitFor(() => ref.directory.providers.every((p) => p.url.getParameter('weight') !== undefined));
    const weights = Object.fromEntries(
      ref.directory.providers.map((p) => [p.url.getParameter('name'), p.url.getParameter('weight')]),
    );
    expect(weights).toEqual({ a: '1', b: '1000' });
    let toB = 0;
    for (let i = 0; i < 200; i++) if ((await call()) === 'b') toB++;
    expect(toB).toBeGreaterThan(180);
    printTimes(`${kind} overrides`, times);
  }, 120_000);

  it("provider-side override rules re-register the provider URL: consumers read the provider's new timeout", async () => {
    const s = scene(address);
    const { providerApp } = s;
    const { reg } = await s.provide({ greet: async () => new Promise((r) => setTimeout(() => r('slow'), 200)) });
    const ref = s.consume({ retries: 0 });
    expect(await ref.proxy.greet('x')).toBe('slow');

    const cc = s.configCenter();
    const key = `${providerApp}.configurators`;
    cleanups.push(() => cc.removeConfig(key));
    const t0 = performance.now();
    await cc.publishConfig(
      key,
      `configVersion: v3.0\nscope: application\nkey: ${providerApp}\nconfigs:\n  - side: provider\n    parameters: {timeout: 50}\n`,
    );
    const seen = async (timeout: string | undefined) => {
      const ok = () =>
        ref.directory.providers.length === 1 && ref.directory.providers[0]!.url.getParameter('timeout') === timeout;
      await waitFor(ok);
      if (!ok()) throw new Error(`the consumer never saw timeout=${timeout}`);
    };
    await seen('50');
    const ms = performance.now() - t0;
    expect(reg.urls[0]!.getParameter('timeout')).toBe('50');
    await expect(ref.proxy.greet('x')).rejects.toMatchObject({ code: 'DUBBO_ERR_CLIENT_TIMEOUT' });
    // A consumer-side rule does not touch the provider URL.
    await cc.publishConfig(
      key,
      `configVersion: v3.0\nscope: application\nkey: ${providerApp}\nconfigs:\n  - side: consumer\n    parameters: {timeout: 60}\n`,
    );
    await seen(undefined);
    expect(await ref.proxy.greet('x')).toBe('slow');
    console.log(
      `PROPAGATION ${kind} provider override (publication to the consumer's provider URL): ${ms.toFixed(0)} ms`,
    );
  }, 120_000);

  it("provider-side override rules change the provider's own flow-control limit live, and removing them restores it", async () => {
    const s = scene(address);
    const { providerApp } = s;
    // Exported with a TPS limit nobody reaches (1000 per minute); the rule brings it to 2 per minute.
    const { exported, reg } = await s.provide(
      { greet: () => 'ok' },
      {},
      { parameters: { 'tps.limit.rate': '1000', 'tps.limit.interval': '60000' } },
    );
    const ref = s.consume({ retries: 0 });
    const outcomes = async (n: number) => {
      const out: string[] = [];
      for (let i = 0; i < n; i++)
        out.push(await ref.proxy.greet('x').catch((e: { code?: string }) => e.code ?? 'error'));
      return out;
    };
    expect(await outcomes(5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);

    const cc = s.configCenter();
    const key = `${providerApp}.configurators`;
    cleanups.push(() => cc.removeConfig(key));
    await cc.publishConfig(
      key,
      `configVersion: v3.0\nscope: application\nkey: ${providerApp}\nconfigs:\n  - side: provider\n    parameters: {tps.limit.rate: 2}\n`,
    );
    // The provider's URL is re-registered with the rule; its own limit follows (the counter keeps its window).
    await waitFor(() => reg.urls[0]!.getParameter('tps.limit.rate') === '2');
    expect(reg.urls[0]!.getParameter('tps.limit.rate')).toBe('2');
    expect((await outcomes(3)).filter((o) => o === 'DUBBO_ERR_LIMIT_EXCEEDED').length).toBeGreaterThan(0);
    const rejected = exported.flow!.counters().tps!.rejected;
    expect(rejected).toBeGreaterThan(0);

    await cc.removeConfig(key);
    await waitFor(() => reg.urls[0]!.getParameter('tps.limit.rate') === '1000');
    expect(await outcomes(5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  }, 120_000);

  it('Dubbo 2.x override:// and condition:// URLs in the registry change a consumer live and revert when removed', async () => {
    const s = scene(address);
    const { group } = s;
    for (const name of ['a', 'b']) await s.provide({ greet: () => name }, { name });
    const ref = s.consume();
    const call = () => ref.proxy.greet('x');
    await routedWithin(call, only('a', 'b'), performance.now());
    const admin: Registry = createRegistry(address());
    cleanups.push(() => admin.destroy());
    const iface = 'org.apache.dubbo.interop.GreeterService';

    // What dubbo-admin 2.x writes: a persistent override URL under /dubbo/{iface}/configurators.
    const override = DubboUrl.valueOf(
      `override://0.0.0.0/${iface}?category=configurators&dynamic=false&enabled=true&group=${group}&retries=7`,
    );
    let t0 = performance.now();
    await admin.register(override);
    const times: Record<string, number> = {};
    const until = async (ok: () => boolean) => {
      await waitFor(ok, 10);
      expect(ok()).toBe(true);
    };
    await until(() => ref.directory.providers.every((p) => p.url.getParameter('retries') === '7'));
    times.override = performance.now() - t0;
    await admin.unregister(override);
    await until(() => ref.directory.providers.every((p) => p.url.getParameter('retries') === undefined));

    // A condition router URL under /dubbo/{iface}/routers: everything to b (force).
    const router = DubboUrl.valueOf(
      `condition://0.0.0.0/${iface}?category=routers&dynamic=false&enabled=true&force=true&group=${group}&name=to-b&priority=0&router=condition&runtime=false`,
    ).addParameter('rule', DubboUrl.encode('=> name = b'));
    t0 = performance.now();
    await admin.register(router);
    times.condition = await routedWithin(call, only('b'), t0);
    t0 = performance.now();
    await admin.unregister(router);
    times['condition removed'] = await routedWithin(call, only('a', 'b'), t0);
    printTimes(`${kind} registry URLs`, times);
  }, 120_000);
});
