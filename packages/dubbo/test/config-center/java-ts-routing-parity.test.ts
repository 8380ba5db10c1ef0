// A Java 3.3 consumer (tools/interop/java/routing-consumer.sh) and a TS consumer of the same application, over the
// same six TS providers in ZooKeeper, under the same condition rule, tag rule and weight override (Java's default
// config center: the registry's server): over 1,000 calls each, both pick from the same provider subsets.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createDynamicConfiguration,
  createRegistry,
  DubboServer,
  defineService,
  type Registry,
  referenceFromRegistry,
  registerBuiltinRegistries,
  registerServer,
} from '@dubbo-ts/dubbo';
import { localIp } from '@dubbo-ts/gost';
import { afterEach, expect, it } from 'vitest';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();

const script = fileURLToPath(new URL('../../../../tools/interop/java/routing-consumer.sh', import.meta.url));

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

/** The Java consumer: started, READY, then `calls(n, tag)` -> answer -> count; `weights()` -> name -> weight. */
async function javaConsumer(registry: string, group: string, app: string) {
  const child: ChildProcessWithoutNullStreams = spawn('bash', [script, registry, group, app], { stdio: 'pipe' });
  let buf = '';
  let err = '';
  const waiters: ((line: string) => void)[] = [];
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  child.stdout.on('data', (b: Buffer) => {
    buf += b.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      waiters.shift()?.(line);
    }
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`java consumer silent: ${err.slice(-2000)}`)), 300_000);
      waiters.push((l) => {
        clearTimeout(t);
        resolve(l);
      });
    });
  const ready = await next();
  if (ready !== 'READY') throw new Error(`java consumer: ${ready}\n${err.slice(-2000)}`);
  return {
    async calls(n: number, tag?: string): Promise<Map<string, number>> {
      child.stdin.write(`CALLS ${n}${tag ? ` ${tag}` : ''}\n`);
      const line = await next();
      return new Map(
        line
          .split(' ')
          .slice(1)
          .map((kv) => [kv.split('=')[0]!, Number(kv.split('=')[1])]),
      );
    },
    /** Each provider's `weight` for greet as Java's directory has it after overrides ('-': none). */
    async weights(): Promise<Map<string, string>> {
      child.stdin.write('WEIGHTS\n');
      const line = await next();
      return new Map(
        line
          .split(' ')
          .slice(1)
          .map((kv) => [kv.split('=')[0]!, kv.split('=')[1]!]),
      );
    },
    stderr: () => err,
    stop: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

const setOf = (m: Map<string, number>) => [...m.keys()].sort().join(' ');

it('Java and TS consumers pick from the same provider subsets under the same condition, tag and weight rules', async () => {
  const zk = `zookeeper://${zookeeperAddress()}`;
  const id = unique().replace(/-/g, '');
  const group = `g${id}`;
  const providerApp = `shop${id}`;
  const app = `web${id}`;
  const registry: Registry = createRegistry(`${zk}?migration=FORCE_INTERFACE`);
  cleanups.push(() => registry.destroy());
  const address: Record<string, string> = {};
  const host = localIp();
  for (const [name, env, tag] of [
    ['p1', 'prod', ''],
    ['p2', 'prod', ''],
    ['p3', 'prod', ''],
    ['p4', 'gray', ''],
    ['p5', 'prod', 'blue'],
    ['p6', 'prod', ''],
  ] as const) {
    // Listening on every interface: Java's client swaps a 127.0.0.1 provider host for the machine's address.
    const server = new DubboServer({ host: '0.0.0.0', port: 0 });
    server.export(Greeter, { greet: () => name }, { group });
    await server.listen();
    address[name] = `${host}:${server.port}`;
    // Every provider states its weight (as `dubbo.provider.weight=100` does in Java): Java 3.3's random balancer
    // weighs only when the first provider in the list has a `weight` (on a ZooKeeper interface registry it drops
    // `timestamp`, its other trigger), so without it the override below counts only when p3 happens to come first
    // (docs/routing.md, apache/dubbo#12550).
    const params: Record<string, string> = { application: providerApp, env, name, weight: '100' };
    if (tag) params['dubbo.tag'] = tag;
    // Registered with the machine's address: Java's NetUtils takes a loopback host for IPv6, so a tag rule's
    // 127.0.0.1 address would never match there (docs/routing.md).
    const reg = await registerServer(server, {
      registry,
      host,
      parameters: params,
      registerMode: 'interface',
    });
    cleanups.push(() => server.close(100));
    cleanups.push(() => reg.unregister());
  }
  const ref = referenceFromRegistry(Greeter, { registry, group, application: app, waitMs: 10_000, retries: 0 });
  cleanups.push(() => ref.destroy());
  const ts = async (n: number, tag?: string) => {
    const m = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const r = await ref.proxy.$call('greet', ['x'], { attachments: tag ? { 'dubbo.tag': tag } : {} });
      const a = r.hasException ? `!${r.exception?.name}` : String(r.recreate());
      m.set(a, (m.get(a) ?? 0) + 1);
    }
    return m;
  };
  const java = await javaConsumer(zk, group, app);
  cleanups.push(() => java.stop());
  /** Calls until `expected` is the set seen (rules propagating), then 1,000 calls: the set over those. */
  const settle = async (
    call: (n: number, tag?: string) => Promise<Map<string, number>>,
    expected: string,
    tag?: string,
  ) => {
    const deadline = performance.now() + 60_000;
    while (setOf(await call(100, tag)) !== expected && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    return setOf(await call(1000, tag));
  };

  // No rules: untagged calls skip the statically tagged p5, on both sides.
  expect(await settle(ts, 'p1 p2 p3 p4 p6')).toBe('p1 p2 p3 p4 p6');
  expect(await settle(java.calls, 'p1 p2 p3 p4 p6')).toBe('p1 p2 p3 p4 p6');

  const cc = createDynamicConfiguration(zk);
  cleanups.push(() => cc.close());
  const keys = [
    `org.apache.dubbo.interop.GreeterService::${group}.condition-router`,
    `${providerApp}.tag-router`,
    `${app}.configurators`,
  ];
  cleanups.push(() => Promise.all(keys.map((k) => cc.removeConfig(k))));
  await cc.publishConfig(
    keys[0]!,
    'configVersion: v3.0\nscope: service\nforce: false\nconditions:\n  - "method = greet => env = prod"\n',
  );
  await cc.publishConfig(
    keys[1]!,
    `force: false\nkey: ${providerApp}\ntags:\n  - {name: canary, addresses: ["${address.p6}"]}\n`,
  );
  await cc.publishConfig(
    keys[2]!,
    `configVersion: v3.0\nscope: application\nkey: ${app}\nconfigs:\n  - side: consumer\n    providerAddresses: ["${address.p3}"]\n    parameters: {weight: 0}\n`,
  );
  // Untagged: not p5 (static) nor p6 (dynamic), env=prod, p3 weighs 0: p1 p2. Tagged: the tag's providers.
  for (const [tag, expected] of [
    [undefined, 'p1 p2'],
    ['canary', 'p6'],
    ['blue', 'p5'],
  ] as const) {
    const t = await settle(ts, expected, tag);
    const j = await settle(java.calls, expected, tag);
    expect({ tag, ts: t, java: j }).toEqual({ tag, ts: expected, java: expected });
  }
  // Java did apply the override (not only route around p3): its directory has p3 at weight 0, the others at 100.
  expect(Object.fromEntries(await java.weights())).toEqual({
    p1: '100',
    p2: '100',
    p3: '0',
    p4: '100',
    p5: '100',
    p6: '100',
  });
}, 600_000);
