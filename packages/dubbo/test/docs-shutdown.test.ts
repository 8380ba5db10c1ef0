// The example of docs/shutdown.md, run as a test; the page shows exactly the code between the markers.
import { DubboClient, DubboServer, defineService } from '@dubbo-ts/dubbo';
import { expect, it } from 'vitest';
import { docExample } from './support/doc-example.js';

it('docs/shutdown.md example works', async () => {
  // DOC:begin
  interface Slow {
    sleep(ms: number): Promise<string>;
  }
  const Slow = defineService<Slow>({
    interfaceName: 'org.example.Slow',
    methods: { sleep: { params: ['long'], returns: 'java.lang.String' } },
  });
  const servers: DubboServer[] = [];
  for (const name of ['a', 'b']) {
    const server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(Slow, { sleep: async (ms) => new Promise((r) => setTimeout(() => r(name), ms)) });
    await server.listen();
    servers.push(server);
  }
  const client = new DubboClient({ timeout: 5000 });
  const slow = client.reference(Slow, { url: servers.map((s) => s.address).join(';') });
  await Promise.all([slow.sleep(1), slow.sleep(1)]); // both connections open

  const calls = Array.from({ length: 20 }, () => slow.sleep(300)); // some on a, some on b
  const report = await servers[0]!.close(3000); // read-only event, then waits for a's calls in flight
  const after = await slow.sleep(1); // a is out of selection at once: b answers
  const answers = await Promise.all(calls); // every call completes: none failed
  await client.close();
  await servers[1]!.close();
  // DOC:end
  expect(after).toBe('b');
  expect(answers).toHaveLength(20);
  expect(report.abandoned).toBe(0);
  const { doc, test } = docExample('shutdown.md', import.meta.url);
  expect(doc).toBe(test);
});
