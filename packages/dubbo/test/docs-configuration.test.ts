// The example of docs/configuration.md, run as a test; the page shows exactly the code between the markers.
import { DubboApplication, defineService } from '@dubbo-ts/dubbo';
import { expect, it } from 'vitest';
import { docExample } from './support/doc-example.js';
import { zookeeperAddress } from './support/services.js';

it('docs/configuration.md example works', async () => {
  const zookeeper = `zookeeper://${zookeeperAddress()}`;
  // DOC:begin
  interface Greeter {
    greet(name: string): Promise<string>;
  }
  const Greeter = defineService<Greeter>({
    interfaceName: 'org.example.Greeter',
    methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
  });

  const yaml = `
dubbo:
  application:
    name: greeter-app
  registries:
    zk:
      address: zookeeper://127.0.0.1:2181  # DUBBO_REGISTRY_ADDRESS overrides it
  protocols:
    dubbo:
      port: 0                              # any free port (Java's default: 20880)
      host: 127.0.0.1
  provider:
    services:
      GreeterProvider:                     # the name code binds the implementation by
        interface: org.example.Greeter
        version: 1.0.0
  consumer:
    references:
      GreeterClient:
        interface: org.example.Greeter
        version: 1.0.0
  shutdown:
    consumer-update-wait-time: 1s
    internal-signal: false                 # this example stops itself; an application leaves it on
`;
  const app = new DubboApplication({ yaml, env: { DUBBO_REGISTRY_ADDRESS: zookeeper } });
  app.service('GreeterProvider', Greeter, { greet: (name) => `hello ${name}` });
  const greeter = app.reference('GreeterClient', Greeter);
  await app.start(); // exported, registered, and GreeterClient found its provider (check: true)
  const answer = await greeter.greet('dubbo');
  const steps = await app.stop();
  // DOC:end
  expect(answer).toBe('hello dubbo');
  expect(steps.map((s) => s.name)).toEqual(['unregister', 'notify', 'provider', 'consumer']);
  const { doc, test } = docExample('configuration.md', import.meta.url);
  expect(doc).toBe(test);
});
