// The example of docs/routing.md, kept here so it stays true: the page shows the code between the markers, and
// this test checks that it does. Needs the test ZooKeeper (tools/services/zookeeper.sh).
import { readFileSync } from 'node:fs';
import {
  createDynamicConfiguration,
  createRegistry,
  DubboClient,
  DubboServer,
  defineService,
  registerBuiltinRegistries,
  registerServer,
} from '@dubbo-ts/dubbo';
import { expect, it } from 'vitest';
import { unique, zookeeperAddress } from './support/services.js';

it('docs/routing.md example works and is the one on the page', async () => {
  const zk = `zookeeper://${zookeeperAddress()}`;
  const app = `shop-${unique()}`; // the page says 'shop'; unique here so parallel runs do not meet
  const seen: string[][] = [];
  // DOC:begin
  registerBuiltinRegistries();
  interface Greeter {
    greet(name: string): Promise<string>;
  }
  const Greeter = defineService<Greeter>({
    interfaceName: 'org.example.Greeter',
    methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
  });

  // Three providers of the application `shop` in ZooKeeper; c is tagged `gray` statically.
  const registry = createRegistry(zk);
  const servers: DubboServer[] = [];
  for (const name of ['a', 'b', 'c']) {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(Greeter, { greet: () => name }, { group: app });
    await server.listen();
    const tag: Record<string, string> = name === 'c' ? { 'dubbo.tag': 'gray' } : {};
    await registerServer(server, { registry, parameters: { application: app, name, ...tag } });
    servers.push(server);
  }

  // The consumer reads rules from the registry's ZooKeeper (Java's default config center).
  const client = new DubboClient({ application: 'web' });
  const ref = client.refer(Greeter, { registry, group: app });
  const names = async (attachments: Record<string, string> = {}) => {
    const out = new Set<string>();
    for (let i = 0; i < 20; i++) out.add(String((await ref.proxy.$call('greet', ['x'], { attachments })).recreate()));
    return [...out].sort();
  };
  const settle = () => new Promise((r) => setTimeout(r, 500)); // rules arrive within tens of ms

  seen.push(await names()); // [a, b]: untagged calls skip the statically tagged c
  seen.push(await names({ 'dubbo.tag': 'gray' })); // [c]

  // A tag rule of the provider application moves b into `gray` too, live.
  const cc = createDynamicConfiguration(zk);
  const b = ref.directory.providers.find((p) => p.url.getParameter('name') === 'b')!.url.address!;
  await cc.publishConfig(
    `${app}.tag-router`,
    `force: false\nkey: ${app}\ntags:\n  - {name: gray, addresses: ["${b}"]}\n`,
  );
  await settle();
  seen.push(await names()); // [a]
  seen.push(await names({ 'dubbo.tag': 'gray' })); // [b]: the dynamic tag wins over the static one

  // A condition rule for this service: calls to greet go to a or c only.
  await cc.removeConfig(`${app}.tag-router`);
  const serviceKey = `org.example.Greeter::${app}`; // interface:version:group
  await cc.publishConfig(
    `${serviceKey}.condition-router`,
    'configVersion: v3.0\nscope: service\nforce: false\nconditions:\n  - "method = greet => name = a,c"\n',
  );
  await settle();
  seen.push(await names()); // [a]: the tag router ran first (untagged: not c), then the condition
  await cc.removeConfig(`${serviceKey}.condition-router`);
  await settle();
  seen.push(await names()); // [a, b] again

  await cc.close();
  await client.close();
  for (const s of servers) await s.close();
  await registry.destroy();
  // DOC:end
  expect(seen).toEqual([['a', 'b'], ['c'], ['a'], ['b'], ['a'], ['a', 'b']]);

  // The page shows exactly the code between the markers (the unique application name aside).
  const page = readFileSync(new URL('../../../docs/routing.md', import.meta.url), 'utf8');
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const region = source.slice(source.indexOf('// DOC:begin\n') + 13, source.indexOf('  // DOC:end'));
  const code = region
    .split('\n')
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')
    .replaceAll('group: app', "group: 'shop'")
    .replaceAll('application: app', "application: 'shop'")
    .replaceAll(`\${app}`, 'shop')
    .replaceAll('(zk)', "('zookeeper://127.0.0.1:2181')");
  expect(page).toContain(code.trim());
});
