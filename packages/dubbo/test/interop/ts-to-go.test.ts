// TS consumer -> the dubbo-go v3.3.2 provider (tools/interop/go): the go subset of InteropService (strings,
// numbers, a POJO with a list and a map, exceptions, a timeout, load). Prints `INTEROP ts->go: N passed, M failed`.
import { DubboClient, DubboError, type ServiceProxy } from '@dubbo-ts/dubbo';
import { type JavaException, jdkException, Long } from '@dubbo-ts/hessian2';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type InteropService, InteropServiceDescriptor } from '../support/interop-service.js';
import { digits, InteropException, makePerson, Person } from '../support/interop-types.js';
import { type PeerProvider, startGoProvider } from '../support/peers.js';
import { expectSame, interopCases, load } from './interop-cases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TS consumer -> dubbo-go provider (v3.3.2)', () => {
  let peer: PeerProvider | undefined;
  let client: DubboClient;
  let svc: ServiceProxy<InteropService>;

  beforeAll(async () => {
    peer = await startGoProvider();
    client = new DubboClient({ application: 'dubbo-ts-interop-test', timeout: 10_000 });
    svc = client.reference(InteropServiceDescriptor, { url: peer.url });
  }, 90_000);

  afterAll(async () => {
    await client?.close();
    await peer?.stop();
  }, 30_000);

  const { check } = interopCases('ts->go');
  const echo = (name: string, call: () => Promise<unknown>, expected: unknown) =>
    check(name, async () => expectSame(await call(), expected));

  for (const v of [true, false]) echo(`echoBool(${v})`, () => svc.echoBool(v), v);
  for (const v of [0, -16, 47, 48, -2048, 2047, 2048, -262144, 262143, 262144, -2147483648, 2147483647]) {
    echo(`echoInt(${v})`, () => svc.echoInt(v), v);
  }
  for (const v of [0n, -8n, 15n, 16n, -2048n, 2047n, -262144n, 262143n, -2147483648n, 2147483647n, 2147483648n]) {
    echo(`echoLong(${v})`, () => svc.echoLong(Number(v)), v);
  }
  for (const v of [9007199254740993n, -9223372036854775808n, 9223372036854775807n]) {
    echo(`echoLong(${v})`, () => svc.echoLong(Long.fromString(String(v))), v);
  }
  for (const v of [0, 1, -128, 127, 32767, -32768, 1.5, 0.001, Math.PI, 1e300, Infinity, 5e-324]) {
    check(`echoDouble(${v})`, async () => expect(Object.is(await svc.echoDouble(v), v)).toBe(true));
  }
  for (const v of ['', 'hello', 'héllo 世界 😀', '\ud83d\ude00\ud83d\ude00', digits(31), digits(32), digits(1024)]) {
    echo(`echoString(${v.length > 40 ? `len=${v.length}` : v})`, () => svc.echoString(v), v);
  }
  check('echoString(1MiB)', async () => {
    const big = digits(1 << 20);
    expect((await svc.echoString(big)) === big).toBe(true);
  });
  check('stringLength(1MiB)', async () => expect(await svc.stringLength(digits(1 << 20))).toBe(1 << 20));
  check('stringLength(surrogate pairs count 2 units)', async () => expect(await svc.stringLength('😀x')).toBe(3));
  echo(
    'echoMap(string values)',
    () =>
      svc.echoMap(
        new Map([
          ['a', '1'],
          ['b', '2'],
        ]),
      ),
    new Map([
      ['a', '1'],
      ['b', '2'],
    ]),
  );
  // dubbo-go-hessian2 reads an empty list into a nil slice and writes it back as null (docs/interop-peers.md), so
  // the echoed Person has no empty collections
  check('echoPerson (a POJO with a nested POJO, a list and a map)', async () => {
    const p = makePerson('Dan', 42);
    p.friends![0]!.tags = ['f'];
    p.friends![0]!.attributes = new Map([['k', 'v']]);
    const r = await svc.echoPerson(p);
    expect(r).toBeInstanceOf(Person);
    expectSame(r, p);
  });
  check('makePerson', async () => {
    const r = await svc.makePerson('Carol', 7);
    expect(r).toBeInstanceOf(Person);
    expectSame(r, makePerson('Carol', 7));
  });
  check('throwIllegalArgument: java.lang.IllegalArgumentException', async () => {
    const err = await svc.throwIllegalArgument('bad arg').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(jdkException('java.lang.IllegalArgumentException'));
    expect((err as JavaException).javaMessage).toBe('bad arg');
  });
  check('throwCustom: InteropException with its code', async () => {
    const err = await svc.throwCustom('custom failure', 42).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InteropException);
    expect((err as InteropException).javaMessage).toBe('custom failure');
    expect((err as InteropException).code).toBe(42);
  });
  echo('callAfterException', () => svc.echoString('still ok'), 'still ok');
  echo('sleep(10)', () => svc.sleep(10), 10);
  check('sleep(2000) with a 500 ms timeout fails with the timeout error, the connection stays usable', async () => {
    const err = await svc.$call('sleep', [2000], { timeout: 500 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DubboError);
    expect((err as DubboError).code).toBe('DUBBO_ERR_CLIENT_TIMEOUT');
    expect(await svc.echoString('after timeout')).toBe('after timeout');
  });
  echo('echo(200 chars)', () => svc.echo(digits(200)), digits(200));
  check(
    'load 10000 calls, 200 in flight, no error',
    async () => {
      const r = await load(10_000, 200, async (i) => {
        const s = `call-${i}`;
        const got = await svc.echoString(s);
        if (got !== s) throw new Error(`got ${got} for ${s}`);
      });
      expect(r.first).toEqual([]);
      expect(r.errors).toBe(0);
    },
    120_000,
  );
  check('the late response of the timed-out call was dropped quietly (connection still usable)', async () => {
    expect(await svc.echoInt(1)).toBe(1);
  });

  // Regression (found by this suite, fixed in c4a02a5): a call made while the connection was down was queued and
  // never flushed when getty reconnected (exchange-client.ts reused the first, resolved connect promise), so it
  // failed after its whole timeout as DUBBO_ERR_CLIENT_TIMEOUT "(never sent: not connected)" although the provider
  // was back long before.
  check(
    'after the provider restarts on the same port, a call made while it was down completes',
    async () => {
      const port = peer!.port;
      await peer!.stop();
      // the close reaches the client: it has no connection now
      for (let i = 0; i < 100 && client.isConnected('127.0.0.1', port); i++) await sleep(50);
      expect(client.isConnected('127.0.0.1', port)).toBe(false);
      const during = svc.$call('echoString', ['made while down'], { timeout: 8000 }).then(
        (r) => r.value,
        (e: unknown) => e,
      );
      peer = await startGoProvider({ port });
      // the call waits for the reconnect (bounded by its timeout) and is sent then
      expect(await during).toBe('made while down');
    },
    60_000,
  );
  check(
    'after the provider restarts, the consumer reconnects by itself and calls work',
    async () => {
      const port = peer!.port;
      for (let i = 0; i < 200 && !client.isConnected('127.0.0.1', port); i++) await sleep(50);
      expect(client.isConnected('127.0.0.1', port)).toBe(true);
      expect(await svc.echoString('reconnected')).toBe('reconnected');
    },
    30_000,
  );
});
