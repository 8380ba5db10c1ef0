import type { GettyError, Session } from '@dubbo-ts/getty';
import { describe, expect, it } from 'vitest';
import { closedSocket, rawConnect, startServer } from './support/endpoints.js';
import { until } from './support/length-codec.js';

const PKG = Buffer.alloc(64 * 1024, 7);
const MAX = 256 * 1024;
const tick = () => new Promise((r) => setImmediate(r));

async function slowPeer(opts: { backpressure: 'wait' | 'fail'; maxWaitingWrites?: number }) {
  let session: Session<Buffer> | undefined;
  const server = await startServer(
    { onOpen: (s) => void (session = s), onMessage: () => {}, onError: () => {} },
    { maxPendingBytes: MAX, ...opts },
  );
  const sock = await rawConnect(server.port);
  sock.pause(); // a peer that does not read
  await until(() => session !== undefined);
  return { server, sock, session: session! };
}

describe('backpressure', () => {
  it('send() refuses once maxPendingBytes are pending to a slow reader: memory stays bounded', async () => {
    const { server, sock, session } = await slowPeer({ backpressure: 'fail' });
    let accepted = 0;
    let maxPending = 0;
    // Fast writer: 64 KiB per turn of the event loop, at most 4000 turns (256 MiB if nothing pushed back).
    for (let i = 0; i < 4000; i++) {
      if (session.send(PKG)) accepted++;
      maxPending = Math.max(maxPending, session.pendingBytes);
      if (session.writesRefused >= 50) break;
      await tick();
    }
    expect(session.writesRefused).toBeGreaterThanOrEqual(50);
    // What the engine holds never exceeds the limit by more than the package that crossed it.
    expect(maxPending).toBeLessThanOrEqual(MAX + PKG.length);
    expect(accepted * PKG.length).toBeLessThan(4000 * PKG.length);
    await expect(session.write(PKG)).rejects.toMatchObject({ code: 'GETTY_ERR_BACKPRESSURE' });

    // Once the peer reads again, everything accepted arrives.
    let received = 0;
    sock.on('data', (d) => {
      received += d.length;
    });
    sock.resume();
    await until(() => received === accepted * (PKG.length + 4), 10_000, 'drain');
    expect(session.send(PKG)).toBe(true);
    sock.destroy();
    await server.close();
  });

  it("write() waits for drain in 'wait' mode, with a bounded number of waiting writes", async () => {
    const { server, sock, session } = await slowPeer({ backpressure: 'wait', maxWaitingWrites: 8 });
    const pending: Promise<void>[] = [];
    let refused: GettyError | undefined;
    for (let i = 0; i < 4000 && refused === undefined; i++) {
      const p = session.write(PKG);
      pending.push(p);
      p.catch((e) => {
        refused ??= e;
      });
      await tick();
    }
    expect(refused?.code).toBe('GETTY_ERR_BACKPRESSURE');
    expect(session.waitingWrites).toBe(8);
    expect(session.pendingBytes).toBeLessThanOrEqual(MAX + PKG.length);
    sock.resume();
    sock.on('data', () => {});
    // Every write but the refused one resolves once the peer reads.
    const results = await Promise.allSettled(pending);
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(session.waitingWrites).toBe(0);
    sock.destroy();
    await closedSocket(sock);
    await server.close();
  });

  it('rejects writes still waiting when the session closes', async () => {
    const { server, sock, session } = await slowPeer({ backpressure: 'wait', maxWaitingWrites: 4 });
    const pending: Promise<void>[] = [];
    while (session.waitingWrites < 4) {
      const p = session.write(PKG);
      p.catch(() => {});
      pending.push(p);
      await tick();
    }
    session.destroy();
    const results = await Promise.allSettled(pending);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as GettyError).code] : []));
    expect(codes.length).toBeGreaterThanOrEqual(4);
    expect(new Set(codes)).toEqual(new Set(['GETTY_ERR_SESSION_CLOSED']));
    sock.destroy();
    await server.close();
  });
});

describe('backpressure within one tick', () => {
  it("write() calls past maxPendingBytes in one synchronous burst all resolve in 'wait' mode", async () => {
    let session: Session<Buffer> | undefined;
    const server = await startServer(
      { onOpen: (s) => void (session = s), onMessage: () => {} },
      { maxPendingBytes: 8 * 1024, backpressure: 'wait', maxWaitingWrites: 100 },
    );
    const sock = await rawConnect(server.port);
    let received = 0;
    sock.on('data', (d) => {
      received += d.length;
    });
    await until(() => session !== undefined);
    const body = Buffer.alloc(1024, 3);
    const writes = Array.from({ length: 50 }, () => session!.write(body));
    expect(session!.waitingWrites).toBeGreaterThan(0);
    await Promise.all(writes);
    await until(() => received === 50 * 1028);
    sock.destroy();
    await server.close();
  });
});

describe('write timeout', () => {
  it('closes with GETTY_ERR_WRITE_TIMEOUT when a write cannot flush in time', async () => {
    let session: Session<Buffer> | undefined;
    const errors: string[] = [];
    const server = await startServer(
      {
        onOpen: (s) => void (session = s),
        onMessage: () => {},
        onError: (_s, e) => void errors.push((e as GettyError).code),
      },
      { writeTimeoutMs: 100, maxPendingBytes: 256 << 20 },
    );
    const sock = await rawConnect(server.port);
    sock.pause(); // never reads, so the kernel buffers fill and the last write cannot flush
    await until(() => session !== undefined);
    const big = Buffer.alloc(1 << 20);
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 64; i++) writes.push(session!.write(big));
    const results = await Promise.allSettled(writes);
    const last = results[results.length - 1]!;
    expect(last.status).toBe('rejected');
    await until(() => errors.length > 0);
    expect(errors).toEqual(['GETTY_ERR_WRITE_TIMEOUT']);
    expect(session!.isClosed).toBe(true);
    sock.destroy();
    await server.close();
  });
});
