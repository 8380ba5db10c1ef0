// The dubbo-go v3.3.2 consumer (tools/interop/go) -> a TS provider of InteropService (fixtures/): the go subset
// (strings, numbers, a POJO with a list and a map, exceptions, 10,000 calls with 100 in flight, a timeout last).
// Prints `INTEROP go->ts: N passed, M failed`.
import { DubboServer } from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { formatReport, runGoConsumer } from '../support/peers.js';

describe('dubbo-go consumer -> TS provider', () => {
  let server: DubboServer;

  beforeAll(async () => {
    server = new DubboServer({ host: '127.0.0.1', port: 0, decoder: { longAs: 'long', exactDoubles: true } });
    server.export(InteropServiceDescriptor, interopServiceImpl);
    await server.listen();
  });

  afterAll(async () => {
    await server?.close(1000);
  });

  let reachable = false;

  it('a first Go call reaches the TS provider', async () => {
    const r = await runGoConsumer(`dubbo://127.0.0.1:${server.port}`, { filter: '^echoString\\(hello\\)$' });
    expect(r.failed).toEqual([]);
    expect(r.passed).toEqual(['echoString(hello)']);
    reachable = true;
  }, 60_000);

  it('the Go consumer passes every case of the go subset', async () => {
    expect(reachable, 'the first call failed (see the test above)').toBe(true);
    const r = await runGoConsumer(`dubbo://127.0.0.1:${server.port}`);
    console.log(formatReport('go->ts', r));
    expect(r.summary, `no SUMMARY; stderr:\n${r.stderr}`).not.toBeNull();
    expect(r.failed).toEqual([]);
    expect(r.summary!.failed).toBe(0);
    for (const name of [
      'echoMap(string values)',
      'echoPerson',
      'makePerson',
      'throwIllegalArgument(any error)',
      'throwCustom',
      'callAfterException',
      'load 10000 calls, 100 in flight',
      'sleep(2000) times out',
    ]) {
      expect(r.passed).toContain(name);
    }
    expect(r.exitCode).toBe(0);
  }, 120_000);
});
