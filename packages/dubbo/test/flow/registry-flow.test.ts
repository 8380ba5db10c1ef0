// Flow control on a reference through ZooKeeper: breakers and actives apply to the providers the registry lists.
import {
  createRegistry,
  DubboClient,
  DubboError,
  DubboServer,
  defineService,
  type Filter,
  type Registry,
  registerBuiltinRegistries,
  registerServer,
} from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../registry/registry-helpers.js';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();

interface Echo {
  echo(s: string): Promise<string>;
}
const Echo = defineService<Echo>({
  interfaceName: 'org.apache.dubbo.tstest.FlowEcho',
  methods: { echo: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});
function zk(): Registry {
  const r = createRegistry(`zookeeper://${zookeeperAddress()}?migration=FORCE_INTERFACE`);
  cleanups.push(() => r.destroy());
  return r;
}
async function provider(group: string, name: string, failing: boolean): Promise<DubboServer> {
  const fail: Filter = () => () => Promise.reject(new DubboError('DUBBO_ERR_SERVER_ERROR', `${name} is broken`));
  const server = new DubboServer({ host: '127.0.0.1', port: 0, filters: failing ? [fail] : [] });
  server.export(Echo, { echo: (s) => `${name}:${s}` }, { group, parameters: { tps: '1000' } });
  await server.listen();
  cleanups.push(() => server.close(200));
  const registration = await registerServer(server, { registry: zk() });
  cleanups.push(() => registration.unregister());
  return server;
}

describe('flow control through ZooKeeper', () => {
  it("a breaker takes a registry provider out of selection; the provider's tps is published, not applied by the consumer", async () => {
    const group = `g${unique().replace(/-/g, '')}`;
    const bad = await provider(group, 'bad', true);
    await provider(group, 'good', false);
    const client = new DubboClient();
    cleanups.push(() => client.close());
    const ref = client.refer(Echo, {
      registry: zk(),
      group,
      loadbalance: 'roundrobin',
      parameters: { breaker: 'provider', 'breaker.request.volume': '3', 'breaker.sleep.window': '600000' },
    });
    await ref.ready;
    await until(() => ref.directory.providers.length === 2);
    for (let i = 0; i < 20; i++) expect(await ref.proxy.echo('x')).toBe('good:x');
    const badInvoker = ref.directory.providers.find((p) => p.url.port === bad.port)!;
    expect(badInvoker.url.getParameter('tps')).toBe('1000'); // registered with the provider URL
    expect(badInvoker.stats.total).toBe(3);
    expect(badInvoker.isAvailable()).toBe(false);
    expect(ref.flow?.counters().breakers).toEqual({ rejected: 0, open: 1 });
    expect(ref.flow?.tps).toBeNull();
  }, 60_000);
});
