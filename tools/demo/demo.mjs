// The README's demo: a TypeScript Dubbo application (provider and consumer in one process) started from a YAML
// file (tools/demo/dubbo.yml), talking the real dubbo protocol (hessian2 over TCP on 127.0.0.1), byte-compatible
// with Java Dubbo 3.3. No external server needed. With `--registry zookeeper://127.0.0.1:2181` (or `etcd://...`)
// the provider registers there and the consumer finds it through the registry instead of a direct URL.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  createDynamicConfiguration,
  DubboApplication,
  DubboClient,
  DubboServer,
  DubboUrl,
  defineService,
} from '@dubbo-ts/dubbo';
import { defaultRegistry, javaException } from '@dubbo-ts/hessian2';

const started = Date.now();

/** A TCP port free on 127.0.0.1 now (the demo must not depend on 20880 being free). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}
const log = (what, value) => console.log(`  ${what.padEnd(44)} ${value}`);

// 1. A POJO, registered under its Java class name (as a Java consumer or provider would know it).
class Greeting {
  to = '';
  text = '';
  count = 0;
}
defaultRegistry.registerClass(Greeting, 'org.example.demo.Greeting', [
  { name: 'to', type: 'string' },
  { name: 'text', type: 'string' },
  { name: 'count', type: 'int' },
]);

// 2. The Java interface, described once: method names and Java parameter / return types.
const GreeterService = defineService({
  interfaceName: 'org.example.demo.GreeterService',
  methods: {
    greet: { params: ['java.lang.String'], returns: 'java.lang.String' },
    greeting: { params: ['java.lang.String', 'int'], returns: 'org.example.demo.Greeting' },
    divide: { params: ['int', 'int'], returns: 'int' },
    slow: { params: ['long'], returns: 'long', timeout: 200 },
  },
});

// 3. The application from its YAML file (tools/demo/dubbo.yml): the provider binds its implementation by the
// service's name there, the consumer gets its proxies by the references' names. Environment variables are laid
// over the file, as Java and dubbo-go lay them: a free port, and the references' direct URL or the registry.
const port = await freePort();
const at = process.argv.indexOf('--registry');
const registryUrl = at >= 0 ? process.argv[at + 1] : undefined;
const env = { DUBBO_PROTOCOLS_DUBBO_PORT: String(port) };
if (registryUrl) env.DUBBO_REGISTRY_ADDRESS = registryUrl;
else {
  env.DUBBO_CONSUMER_REFERENCES_GREETERCLIENT_URL = `dubbo://127.0.0.1:${port}`;
  env.DUBBO_CONSUMER_REFERENCES_GREETERGENERIC_URL = `dubbo://127.0.0.1:${port}`;
}
const app = new DubboApplication({ file: fileURLToPath(new URL('dubbo.yml', import.meta.url)), env });
app.service('GreeterProvider', GreeterService, {
  greet: (name, inv) => `hello ${name} (trace ${inv.getAttachment('x-trace') ?? '-'})`,
  greeting: (to, count) => Object.assign(new Greeting(), { to, text: `hi ${to}`, count }),
  divide: (a, b) => {
    if (b === 0) throw javaException('java.lang.ArithmeticException', '/ by zero');
    return Math.trunc(a / b);
  },
  slow: (ms) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)),
});
const greeter = app.reference('GreeterClient', GreeterService);
const generic = app.reference('GreeterGeneric', GreeterService.interfaceName);
try {
  await app.start(); // exported, registered, and each reference found its provider (check: true)
} catch (e) {
  // Java Dubbo refuses to start when its registry cannot be reached (check=true); so does the demo, saying why.
  console.error(`cannot start the application: ${e.code ?? e.name}: ${e.message}`);
  await app.stop();
  process.exit(1);
}
console.log(
  `dubbo-ts demo: application ${app.config.application.name} from tools/demo/dubbo.yml, provider of ` +
    `${GreeterService.interfaceName}:1.0.0 on 127.0.0.1:${port}` +
    (registryUrl
      ? `, registered in ${registryUrl} (interface level and as an instance: Java 3.3's register-mode all)`
      : ''),
);
const client = new DubboClient({ application: 'demo-fleet-consumer' });

// A second, tiny service, for several providers behind one reference.
const NodeService = defineService({
  interfaceName: 'org.example.demo.NodeService',
  methods: { name: { params: [], returns: 'java.lang.String' } },
});
const nodes = [];

let cc;
let ruled;

/** A config center in memory: values by key, every change told to the key's listeners (DynamicConfiguration). */
function memoryConfigCenter() {
  const values = new Map();
  const listeners = new Map();
  let version = 0;
  const tell = (key, content, changeType) => {
    for (const l of listeners.get(key) ?? [])
      l({ key, group: 'dubbo', content, changeType, version: String(++version) });
  };
  return {
    url: DubboUrl.valueOf('memory://local'),
    getConfig: async (key) => values.get(key),
    watch(key, listener) {
      if (!listeners.has(key)) listeners.set(key, new Set());
      listeners.get(key).add(listener);
      if (values.has(key))
        listener({ key, group: 'dubbo', content: values.get(key), changeType: 'ADDED', version: '0' });
      return () => listeners.get(key).delete(listener);
    },
    async publishConfig(key, content) {
      const had = values.has(key);
      values.set(key, content);
      tell(key, content, had ? 'MODIFIED' : 'ADDED');
    },
    async removeConfig(key) {
      if (values.delete(key)) tell(key, null, 'DELETED');
    },
    close: async () => listeners.clear(),
  };
}

let failures = 0;
const expect = (ok, what) => {
  if (!ok) {
    failures++;
    console.log(`  UNEXPECTED: ${what}`);
  }
};

try {
  const hello = await greeter.$call('greet', ['dubbo'], { attachments: { 'x-trace': 't-42' } });
  log("greet('dubbo') with attachment x-trace", JSON.stringify(hello.value));
  expect(hello.value === 'hello dubbo (trace t-42)', 'greet');

  const g = await greeter.greeting('ts', 3);
  log("greeting('ts', 3) -> POJO", `${g.constructor.name} ${JSON.stringify(g)}`);
  expect(g instanceof Greeting && g.count === 3, 'greeting');

  log('divide(7, 2)', await greeter.divide(7, 2));
  try {
    await greeter.divide(1, 0);
    expect(false, 'divide(1, 0) should throw');
  } catch (e) {
    log('divide(1, 0) -> Java exception', `${e.javaClass}: ${e.message}`);
    expect(e.javaClass === 'java.lang.ArithmeticException', 'exception class');
  }

  try {
    await greeter.slow(1000);
    expect(false, 'slow(1000) should time out');
  } catch (e) {
    log('slow(1000) with a 200 ms method timeout', `${e.code}`);
    expect(e.code === 'DUBBO_ERR_CLIENT_TIMEOUT', 'timeout code');
  }

  const asMap = await generic.$invoke('greeting', ['java.lang.String', 'int'], ['generic', 7]);
  log("$invoke('greeting', ...) -> POJO as a map", JSON.stringify(Object.fromEntries(asMap)));
  expect(asMap.get('class') === 'org.example.demo.Greeting', 'generic class');
  log("$echo('ping')", await generic.$echo('ping'));

  // 5. One reference over several providers (Java's `url=a;b;c`) with a chosen balancer: Java's smooth weighted
  // round robin gives the same sequence as a Java consumer, c b a c b c for weights 1, 2, 3.
  for (const [name, weight] of [
    ['a', 1],
    ['b', 2],
    ['c', 3],
  ]) {
    const node = new DubboServer({ host: '127.0.0.1', port: 0 });
    node.export(NodeService, { name: () => name });
    await node.listen();
    nodes.push({ node, weight });
  }
  const fleet = client.refer(NodeService, {
    url: nodes.map(({ node, weight }) => `${node.address}?weight=${weight}`).join(';'),
    loadbalance: 'roundrobin',
  });
  await fleet.ready; // every connection is up: the balancer's choices are not reselected away
  const sequence = [];
  for (let i = 0; i < 6; i++) sequence.push(await fleet.proxy.name());
  log('roundrobin over a, b, c (weights 1, 2, 3)', sequence.join(' '));
  expect(sequence.join(' ') === 'c b a c b c', 'round robin sequence');

  // 6. A tag rule moves traffic live: written to the config center (the registry's server with --registry, else a
  // small in-memory one: any DynamicConfiguration plugs in), read by the client, applied from the next call on.
  cc = registryUrl ? createDynamicConfiguration(registryUrl) : memoryConfigCenter();
  ruled = new DubboClient({ application: 'demo-consumer', configCenter: cc });
  const tagged = ruled.refer(NodeService, {
    url: nodes.map(({ node }) => `${node.address}?application=demo-nodes`).join(';'),
  });
  await tagged.ready;
  const seen = async (attachments = {}) => {
    const names = new Set();
    for (let i = 0; i < 12; i++) names.add((await tagged.proxy.$call('name', [], { attachments })).recreate());
    return [...names].sort().join(' ');
  };
  const before = await seen();
  const c = nodes[2].node.address.replace('dubbo://', '');
  const t0 = performance.now();
  await cc.publishConfig(
    'demo-nodes.tag-router',
    `force: false\nkey: demo-nodes\ntags:\n  - {name: canary, addresses: ["${c}"]}\n`,
  );
  let after = await seen();
  while (after !== 'a b' && performance.now() - t0 < 10_000) after = await seen();
  const ms = performance.now() - t0;
  const canary = await seen({ 'dubbo.tag': 'canary' });
  await cc.removeConfig('demo-nodes.tag-router');
  let reverted = await seen();
  while (reverted !== before && performance.now() - t0 < 20_000) reverted = await seen();
  log('tag rule: untagged calls before / after', `${before} -> ${after} (routed ${ms.toFixed(0)} ms after publishing)`);
  log("tag rule: calls tagged 'canary' / rule removed", `${canary} / ${reverted}`);
  expect(before === 'a b c' && after === 'a b' && canary === 'c' && reverted === 'a b c', 'tag rule');
} finally {
  for (const { node } of nodes) await node.close(100);
  await client.close();
  await ruled?.close();
  await cc?.close();
  // Graceful shutdown in four bounded steps: unregister, tell consumers, wait for provider calls, then consumer calls.
  const steps = await app.stop();
  log('stop(): graceful shutdown', steps.map((s) => `${s.name} ${s.ms} ms`).join(', '));
}
console.log(
  `done in ${Date.now() - started} ms: ${failures === 0 ? 'all calls behaved as expected' : `${failures} unexpected`}`,
);
process.exit(failures === 0 ? 0 : 1);
