// The example of docs/invocation-layers.md, kept here so it stays true (the page shows the code between the markers).
import {
  DubboClient,
  DubboServer,
  defineService,
  type Filter,
  type LoadBalance,
  loadBalances,
  type Router,
} from '@dubbo-ts/dubbo';
import { expect, it } from 'vitest';

it('docs/invocation-layers.md example works', async () => {
  // DOC:begin
  interface Greeter {
    greet(name: string): Promise<string>;
  }
  const Greeter = defineService<Greeter>({
    interfaceName: 'org.example.Greeter',
    methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
  });

  // Three providers of one service.
  const servers: DubboServer[] = [];
  for (const name of ['a', 'b', 'c']) {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(Greeter, { greet: (who) => `hello ${who} from ${name}` });
    await server.listen();
    servers.push(server);
  }

  // A balancer is one object and one registration by name; references pick it with `loadbalance`.
  const firstAvailable = (): LoadBalance => ({
    select: (invokers) => invokers.find((i) => i.isAvailable()) ?? invokers[0]!,
  });
  loadBalances.register('first-available', firstAvailable);

  // A router narrows the providers of a call (here: never provider c).
  const notC: Router = { name: 'not-c', route: (invokers) => invokers.filter((i) => i.url.port !== servers[2]!.port) };

  // A filter around every call (once per call, whatever the retries).
  const calls: string[] = [];
  const log: Filter = (next) => async (inv) => {
    calls.push(inv.methodName);
    return next(inv);
  };

  const client = new DubboClient({ application: 'docs-example', filters: [log] });
  const ref = client.refer(Greeter, {
    url: servers.map((s) => s.address).join(';'), // Java's several direct URLs: one cluster
    loadbalance: 'first-available',
    retries: 2, // failover's default
    routers: [notC],
  });
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await ref.proxy.greet('dubbo'));
  const stats = ref.directory.providers.map((p) => `${p.url.port}: ${p.stats.total} calls`);
  await client.close();
  for (const s of servers) await s.close();
  loadBalances.unregister('first-available');
  // DOC:end
  for (const a of answers) expect(a).toMatch(/^hello dubbo from [ab]$/); // never c: the router removed it
  expect(calls).toEqual(['greet', 'greet', 'greet']);
  expect(stats).toHaveLength(3);
  expect(stats[2]).toMatch(/: 0 calls$/);
});
