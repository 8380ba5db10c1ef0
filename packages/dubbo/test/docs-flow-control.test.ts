// The example of docs/flow-control.md, run here so it stays true; the page must show exactly the code between the
// markers (checked below).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  DubboClient,
  DubboServer,
  defineService,
  LimitExceededError,
  RpcResult,
  rejectedExecutionHandlers,
  type TpsLimitStrategy,
  tpsLimitStrategies,
} from '@dubbo-ts/dubbo';
import { expect, it } from 'vitest';

it('docs/flow-control.md example works', async () => {
  // DOC:begin
  interface Greeter {
    greet(name: string): Promise<string>;
  }
  const Greeter = defineService<Greeter>({
    interfaceName: 'org.example.Greeter',
    methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
  });

  // A strategy is a factory by name: here "every other call", whatever the rate.
  tpsLimitStrategies.register('everyOther', (): TpsLimitStrategy => {
    let n = 0;
    return { isAllowable: () => n++ % 2 === 0 };
  });
  // A rejection handler answers a refused call: a value, a service exception, or a thrown error.
  rejectedExecutionHandlers.register('politely', {
    rejected: (_url, inv, rejection) => new RpcResult(`busy (${rejection.limit}), try ${inv.methodName} later`),
  });

  // Provider a: 2 calls a minute (Java's keys); provider b: dubbo-go's keys with the custom strategy and handler.
  const a = new DubboServer({ host: '127.0.0.1', port: 0 });
  a.export(Greeter, { greet: (who) => `a: hello ${who}` }, { parameters: { tps: '2', 'tps.interval': '60000' } });
  const b = new DubboServer({ host: '127.0.0.1', port: 0 });
  b.export(
    Greeter,
    { greet: (who) => `b: hello ${who}` },
    {
      parameters: {
        'tps.limiter': 'method-service',
        'tps.limit.rate': '100',
        'tps.limit.strategy': 'everyOther',
        'tps.limit.rejected.handler': 'politely',
      },
    },
  );
  await a.listen();
  await b.listen();

  const client = new DubboClient();
  // Direct to a: its third call is refused; the error names service, method and limit.
  const onlyA = client.refer(Greeter, { url: a.address, cluster: 'failfast' });
  await onlyA.proxy.greet('1');
  await onlyA.proxy.greet('2');
  const refused = await onlyA.proxy.greet('3').catch((e: LimitExceededError) => e);
  const counts = a.exported[0]!.flow!.counters(); // { tps: { accepted: 2, rejected: 1 }, ... }
  // To b: every other call gets the polite answer instead.
  const onlyB = client.refer(Greeter, { url: b.address });
  const fromB = [await onlyB.proxy.greet('x'), await onlyB.proxy.greet('y')];
  // Over both with failover: a's refusals are retried on b (a TPS refusal is retryable).
  const both = client.refer(Greeter, { url: `${a.address};${b.address}`, loadbalance: 'roundrobin' });
  const answers = [await both.proxy.greet('z'), await both.proxy.greet('z')];

  await client.close();
  await a.close();
  await b.close();
  tpsLimitStrategies.unregister('everyOther');
  rejectedExecutionHandlers.unregister('politely');
  // DOC:end
  expect(refused).toBeInstanceOf(LimitExceededError);
  expect((refused as LimitExceededError).message).toBe(
    'Failed to invoke service org.example.Greeter.greet because exceed max service tps. Limit: 2 per 60000 ms (fixedWindow) (provider).',
  );
  expect(fromB).toEqual(['b: hello x', 'busy (100 per 60000 ms (everyOther)), try greet later']);
  for (const s of answers) expect(s).toMatch(/^b: hello z$|^busy/); // a's budget is spent: b answers
  expect(counts.tps).toEqual({ accepted: 2, rejected: 1 });
});

it('docs/flow-control.md shows the example as it runs', () => {
  const page = readFileSync(fileURLToPath(new URL('../../../docs/flow-control.md', import.meta.url)), 'utf8');
  const self = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const code = self.slice(self.indexOf('// DOC:begin\n') + 13, self.indexOf('  // DOC:end'));
  const dedented = code
    .split('\n')
    .map((l) => l.replace(/^ {2}/, ''))
    .join('\n')
    .trimEnd();
  const block = /## Example[\s\S]*?```ts\n([\s\S]*?)```/.exec(page);
  expect(block).not.toBeNull();
  expect(block![1]!.trimEnd()).toBe(dedented);
});
