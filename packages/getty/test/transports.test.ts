import {
  Client,
  type ClientOptions,
  type EventListener,
  Server,
  type ServerOptions,
  type Transport,
} from '@dubbo-ts/getty';
import { TaskPool } from '@dubbo-ts/gost';
import { beforeAll, describe, expect, it } from 'vitest';
import { LengthCodec, until } from './support/length-codec.js';
import { selfSignedCert } from './support/tls-cert.js';

let tls: { key: Buffer; cert: Buffer };
beforeAll(() => {
  tls = selfSignedCert();
});

const echo: EventListener<Buffer> = {
  onMessage(session, pkg) {
    session.send(pkg);
  },
};

async function echoRoundTrip(transport: Transport, writeMerge: boolean, taskPool?: TaskPool, secure = false) {
  const serverOpts: ServerOptions<Buffer> = {
    transport,
    host: '127.0.0.1',
    codec: new LengthCodec(),
    listener: echo,
    writeMerge,
    taskPool: taskPool ?? null,
  };
  if (transport === 'tls' || secure) serverOpts.tls = tls;
  const server = new Server(serverOpts);
  await server.listen();
  const got: string[] = [];
  const clientOpts: ClientOptions<Buffer> = {
    transport,
    host: '127.0.0.1',
    port: server.port,
    codec: new LengthCodec(),
    listener: { onMessage: (_s, pkg) => void got.push(pkg.toString()) },
    writeMerge,
    reconnect: false,
  };
  if (transport === 'tls' || secure) clientOpts.tls = { ca: tls.cert };
  const client = new Client(clientOpts);
  await client.connect();
  const s = client.mustPickSession();
  const n = transport === 'udp' ? 50 : 500;
  const sent: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = `${transport}-${i}-${'z'.repeat(i % 50)}`;
    sent.push(body);
    if (i % 2) s.send(Buffer.from(body));
    else await s.write(Buffer.from(body));
  }
  // One big package split across many socket reads (not over UDP: a datagram must hold whole packages).
  if (transport !== 'udp') {
    const big = 'B'.repeat(300_000);
    sent.push(big);
    await s.write(Buffer.from(big));
  }
  await until(() => got.length === sent.length, 10_000, `${transport} echoes`);
  expect(got.sort()).toEqual([...sent].sort());
  expect(s.packagesWritten).toBe(sent.length);
  expect(s.packagesRead).toBe(sent.length);
  expect(s.bytesRead).toBe(s.bytesWritten);
  expect(server.sessions.size).toBe(1);
  const [ss] = [...server.sessions];
  expect(ss!.remoteAddress).toBe(s.localAddress);
  await client.close();
  await server.close();
  expect(server.sessions.size).toBe(0);
}

describe('echo over every transport', () => {
  for (const transport of ['tcp', 'tls', 'ws', 'udp'] as const) {
    it(`${transport}, write merging on`, () => echoRoundTrip(transport, true));
    it(`${transport}, write merging off`, () => echoRoundTrip(transport, false));
  }
  it('ws over TLS (wss://)', () => echoRoundTrip('ws', true, undefined, true));
  it('tcp with onMessage dispatched through the task pool', async () => {
    const pool = new TaskPool({ queues: 2, workers: 4, queueLength: 1024 });
    await echoRoundTrip('tcp', true, pool);
    await pool.close();
  });
});
