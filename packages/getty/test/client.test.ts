import { Client, type GettyError, type Server } from '@dubbo-ts/getty';
import { describe, expect, it } from 'vitest';
import { startServer } from './support/endpoints.js';
import { LengthCodec, until } from './support/length-codec.js';

function echoServer(port = 0): Promise<Server<Buffer>> {
  return startServer({ onMessage: (s, p) => void s.send(p) }, { port });
}

describe('Client', () => {
  it('keeps N connections, picks live sessions round-robin, and reconnects after the server restarts', async () => {
    let server = await echoServer();
    const port = server.port;
    const got: string[] = [];
    let opens = 0;
    let closes = 0;
    const client = new Client<Buffer>({
      host: '127.0.0.1',
      port,
      connections: 3,
      codec: new LengthCodec(),
      listener: {
        onOpen: () => void opens++,
        onClose: () => void closes++,
        onMessage: (_s, p) => void got.push(p.toString()),
      },
      reconnect: { initialMs: 20, maxMs: 200 },
    });
    await client.connect();
    await until(() => client.sessions.length === 3);
    const picked = new Set([client.pickSession(), client.pickSession(), client.pickSession()].map((s) => s!.id));
    expect(picked.size).toBe(3);
    await client.mustPickSession().write(Buffer.from('before'));
    await until(() => got.length === 1);

    await server.close();
    await until(() => client.sessions.length === 0, 5000, 'sessions to drop');
    expect(client.pickSession()).toBeUndefined();
    expect(() => client.mustPickSession()).toThrow(expect.objectContaining({ code: 'GETTY_ERR_NO_SESSION' }));

    // Let a few reconnect attempts fail, then bring the server back on the same port.
    await new Promise((r) => setTimeout(r, 100));
    server = await echoServer(port);
    await client.ready();
    await until(() => client.sessions.length === 3, 5000, 'reconnects');
    await client.mustPickSession().write(Buffer.from('after'));
    await until(() => got.length === 2);
    expect(got).toEqual(['before', 'after']);
    // A reconnect may slip in while the old server is closing and be closed at once: count net opens.
    expect(closes).toBeGreaterThanOrEqual(3);
    expect(opens - closes).toBe(3);
    await client.close();
    await server.close();
  });

  it('rejects connect() with GETTY_ERR_CONNECT when nothing listens and reconnect is off', async () => {
    const server = await echoServer();
    const port = server.port;
    await server.close();
    const client = new Client<Buffer>({
      host: '127.0.0.1',
      port,
      codec: new LengthCodec(),
      listener: { onMessage: () => {} },
      reconnect: false,
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'GETTY_ERR_CONNECT' });
    await client.close();
    await expect(client.connect()).rejects.toMatchObject({ code: 'GETTY_ERR_ENDPOINT_CLOSED' });
  });

  it('treats a client-side onOpen refusal as a failed attempt', async () => {
    const server = await echoServer();
    const client = new Client<Buffer>({
      host: '127.0.0.1',
      port: server.port,
      codec: new LengthCodec(),
      listener: { onOpen: () => new Error('not today'), onMessage: () => {} },
      reconnect: false,
    });
    const err = (await client.connect().catch((e) => e)) as GettyError;
    expect(err.code).toBe('GETTY_ERR_OPEN_REFUSED');
    await client.close();
    await server.close();
  });
});

describe('reconnect storm', () => {
  it('many clients that lose a server retry with backoff: a bounded number of attempts, not a loop', async () => {
    let attempts = 0;
    // The server counts connections; each client refuses its own session (as if the handshake failed), so it
    // keeps failing and backing off.
    const refusing = await startServer({
      onOpen: () => {
        attempts++;
      },
      onMessage: () => {},
    });
    const clients = Array.from(
      { length: 20 },
      () =>
        new Client<Buffer>({
          host: '127.0.0.1',
          port: refusing.port,
          codec: new LengthCodec(),
          listener: { onOpen: () => new Error('refused by client'), onMessage: () => {} },
          reconnect: { initialMs: 50, maxMs: 400, jitter: 0.5 },
        }),
    );
    for (const c of clients) c.connect().catch(() => {});
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of clients) await c.close();
    const perClient = attempts / clients.length;
    // Backoff of 50, 100, 200, 400, 400 ms (less up to half for jitter) allows about 6 attempts in 1 s; a
    // client reconnecting in a tight loop would make hundreds. A slow machine only makes fewer.
    expect(perClient).toBeGreaterThanOrEqual(1);
    expect(perClient).toBeLessThanOrEqual(10);
    await refusing.close();
  });
});
