// Rules written by Java Dubbo 3.3's own config center (ZookeeperDynamicConfiguration, tools/interop/java
// config-tool.sh) route a TS consumer live, and what TS publishes Java reads back unchanged: same paths, same bytes.
import { execFile } from 'node:child_process';
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
import { afterEach, expect, it } from 'vitest';
import { javaLookup } from '../registry/java-registry-tool.js';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();

const tool = fileURLToPath(new URL('../../../../tools/interop/java/config-tool.sh', import.meta.url));

/** Runs Java's ConfigTool; `input` is the value to publish. */
function java(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [tool, ...args], { timeout: 300_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
      err ? reject(new Error(`config-tool ${args[0]} failed: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

interface Greeter {
  greet(name: string): string;
}
const Greeter = defineService<Greeter>({
  interfaceName: 'org.apache.dubbo.interop.GreeterService',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

it("a condition rule published by Java's ZookeeperDynamicConfiguration routes a TS consumer; Java reads TS's rules", async () => {
  const zk = `zookeeper://${zookeeperAddress()}`;
  const group = `g${unique().replace(/-/g, '')}`;
  const registry: Registry = createRegistry(`${zk}?migration=FORCE_INTERFACE`);
  cleanups.push(() => registry.destroy());
  for (const name of ['a', 'b']) {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(Greeter, { greet: () => name }, { group });
    await server.listen();
    const reg = await registerServer(server, { registry, parameters: { application: `shop-${group}`, name } });
    cleanups.push(() => server.close(100));
    cleanups.push(() => reg.unregister());
  }
  const ref = referenceFromRegistry(Greeter, { registry, group, application: `web-${group}`, waitMs: 10_000 });
  cleanups.push(() => ref.destroy());
  const names = async () => {
    const s = new Set<string>();
    for (let i = 0; i < 12; i++) s.add(await ref.proxy.greet('x'));
    return [...s].sort().join(' ');
  };
  expect(await names()).toBe('a b');

  const key = `org.apache.dubbo.interop.GreeterService::${group}.condition-router`;
  cleanups.push(() => java(['remove', zk, key]));
  expect(
    await java(
      ['publish', zk, key],
      'configVersion: v3.0\nscope: service\nforce: true\nconditions:\n  - "=> name = b"\n',
    ),
  ).toContain('PUBLISHED true');
  let seen = await names();
  for (let i = 0; i < 200 && seen !== 'b'; i++) seen = await names();
  expect(seen).toBe('b');
  expect(await java(['remove', zk, key])).toContain('REMOVED true');
  seen = await names();
  for (let i = 0; i < 200 && seen !== 'a b'; i++) seen = await names();
  expect(seen).toBe('a b');

  // The other way: TS publishes, Java's getConfig reads the same text.
  const cc = createDynamicConfiguration(zk);
  cleanups.push(() => cc.close());
  const tagKey = `shop-${group}.tag-router`;
  const rule = `force: false\nkey: shop-${group}\ntags:\n  - {name: gray, addresses: ["127.0.0.1:1"]}\n`;
  await cc.publishConfig(tagKey, rule);
  cleanups.push(() => cc.removeConfig(tagKey));
  expect(await java(['get', zk, tagKey])).toBe(`VALUE ${rule}\n`);
}, 600_000);

it("a TS provider's timeout override reaches Java through the provider URL (Java's Registry.lookup reads it)", async () => {
  const zk = `zookeeper://${zookeeperAddress()}`;
  const group = `g${unique().replace(/-/g, '')}`;
  const app = `shop-${group}`;
  const registry: Registry = createRegistry(`${zk}?migration=FORCE_INTERFACE`);
  cleanups.push(() => registry.destroy());
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(Greeter, { greet: () => 'x' }, { group });
  await server.listen();
  const reg = await registerServer(server, { registry, parameters: { application: app }, registerMode: 'interface' });
  cleanups.push(() => server.close(100));
  cleanups.push(() => reg.unregister());
  const key = `${app}.configurators`;
  cleanups.push(() => java(['remove', zk, key]));
  // Published by Java's own config center, as dubbo-admin would.
  await java(
    ['publish', zk, key],
    `configVersion: v3.0\nscope: application\nkey: ${app}\nconfigs:\n  - side: provider\n    parameters: {timeout: 1234}\n`,
  );
  for (let i = 0; i < 500 && reg.urls[0]!.getParameter('timeout') !== '1234'; i++)
    await new Promise((r) => setTimeout(r, 20));
  expect(reg.urls[0]!.getParameter('timeout')).toBe('1234');
  const seen = await javaLookup(zk, 'org.apache.dubbo.interop.GreeterService', group, '*');
  expect(seen.fields.map((f) => f.timeout)).toEqual(['1234']);
}, 600_000);
