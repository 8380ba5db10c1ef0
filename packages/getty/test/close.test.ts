import type { Session } from '@dubbo-ts/getty';
import { describe, expect, it } from 'vitest';
import { closedSocket, rawConnect, startServer } from './support/endpoints.js';
import { until } from './support/length-codec.js';

describe('graceful close', () => {
  it('flushes every package written before close, then closes', async () => {
    let session: Session<Buffer> | undefined;
    const server = await startServer({ onOpen: (s) => void (session = s), onMessage: () => {} });
    const sock = await rawConnect(server.port);
    let received = 0;
    sock.on('data', (d) => {
      received += d.length;
    });
    await until(() => session !== undefined);
    const body = Buffer.alloc(1000, 1);
    for (let i = 0; i < 2000; i++) session!.send(body);
    const last = session!.write(body);
    await server.close();
    await last;
    await closedSocket(sock);
    expect(received).toBe(2001 * 1004);
    await expect(session!.write(body)).rejects.toMatchObject({ code: 'GETTY_ERR_SESSION_CLOSED' });
    expect(session!.send(body)).toBe(false);
  });

  it('destroys sessions that cannot flush within the close timeout', async () => {
    let session: Session<Buffer> | undefined;
    let closes = 0;
    const server = await startServer(
      { onOpen: (s) => void (session = s), onMessage: () => {}, onClose: () => void closes++ },
      { maxPendingBytes: 64 << 20 },
    );
    const sock = await rawConnect(server.port);
    sock.pause(); // never reads: the flush cannot finish
    await until(() => session !== undefined);
    const big = Buffer.alloc(1 << 20);
    for (let i = 0; i < 32; i++) session!.send(big);
    await new Promise((r) => setImmediate(r));
    expect(session!.pendingBytes).toBeGreaterThan(0);
    await server.close({ timeoutMs: 100 });
    expect(session!.isClosed).toBe(true);
    expect(closes).toBe(1);
    expect(server.sessions.size).toBe(0);
    sock.destroy();
  });

  it('refuses new connections while closing', async () => {
    const server = await startServer({ onMessage: () => {} });
    const port = server.port;
    await server.close();
    await expect(rawConnect(port)).rejects.toThrow();
  });
});
