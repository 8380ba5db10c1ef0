import type { GettyError, Session } from '@dubbo-ts/getty';
import { TaskPool } from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';
import { closedSocket, rawConnect, startServer } from './support/endpoints.js';
import { frame, until } from './support/length-codec.js';

describe('EventListener', () => {
  it('refuses a connection when onOpen returns or throws an error', async () => {
    for (const refuse of [
      () => new Error('no'),
      () => {
        throw new Error('no');
      },
    ]) {
      let closes = 0;
      let messages = 0;
      const server = await startServer({
        onOpen: refuse as (s: Session<Buffer>) => Error,
        onMessage: () => void messages++,
        onClose: () => void closes++,
      });
      const sock = await rawConnect(server.port);
      sock.on('error', () => {});
      sock.write(frame('hello'));
      await closedSocket(sock);
      await until(() => server.sessions.size === 0);
      expect(messages).toBe(0);
      expect(closes).toBe(0);
      await server.close();
    }
  });

  it('closes an idle peer from onCron', async () => {
    const events: string[] = [];
    let crons = 0;
    const server = await startServer(
      {
        onOpen: () => void events.push('open'),
        onMessage: () => {},
        onCron(session) {
          crons++;
          if (Date.now() - session.lastReadAt >= 60) void session.close();
        },
        onClose: () => void events.push('close'),
      },
      { cronPeriodMs: 20 },
    );
    const sock = await rawConnect(server.port);
    await closedSocket(sock);
    expect(crons).toBeGreaterThanOrEqual(1);
    await until(() => events.length === 2);
    expect(events).toEqual(['open', 'close']);
    await server.close();
  });

  it('closes with GETTY_ERR_READ_TIMEOUT after readIdleTimeoutMs, reporting onError before onClose', async () => {
    const events: string[] = [];
    const server = await startServer(
      {
        onMessage: () => {},
        onError: (_s, e) => void events.push((e as GettyError).code),
        onClose: () => void events.push('close'),
      },
      { readIdleTimeoutMs: 50 },
    );
    const sock = await rawConnect(server.port);
    sock.write(frame('one'));
    await closedSocket(sock);
    await until(() => events.length === 2);
    expect(events).toEqual(['GETTY_ERR_READ_TIMEOUT', 'close']);
    await server.close();
  });

  it('closes with GETTY_ERR_PACKAGE_TOO_LARGE on an oversize package over a real socket', async () => {
    const errors: string[] = [];
    const got: string[] = [];
    const server = await startServer(
      {
        onMessage: (_s, p) => void got.push(p.toString()),
        onError: (_s, e) => void errors.push((e as GettyError).code),
      },
      { maxPackageLength: 1024 },
    );
    const sock = await rawConnect(server.port);
    sock.on('error', () => {});
    sock.write(Buffer.concat([frame('fits'), frame(Buffer.alloc(2000))]));
    await closedSocket(sock);
    await until(() => errors.length === 1);
    expect(got).toEqual(['fits']);
    expect(errors).toEqual(['GETTY_ERR_PACKAGE_TOO_LARGE']);
    await server.close();
  });

  it('reports packages the task pool refused, with the package attached', async () => {
    const pool = new TaskPool({ queues: 1, workers: 1, queueLength: 2 });
    const rejected: unknown[] = [];
    let handled = 0;
    let open!: () => void;
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const server = await startServer(
      {
        // The single worker blocks on the gate, so the queue of two fills and stays full.
        onMessage: async () => {
          handled++;
          await gate;
        },
        onError: (_s, e) => {
          expect((e as GettyError).code).toBe('GETTY_ERR_DISPATCH_REJECTED');
          rejected.push(String((e as GettyError).pkg));
        },
      },
      { taskPool: pool },
    );
    const sock = await rawConnect(server.port);
    // Ten packages in one chunk are decoded in one go: two fit the queue, eight are refused.
    sock.write(Buffer.concat(Array.from({ length: 10 }, (_, i) => frame(`p${i}`))));
    await until(() => rejected.length >= 7);
    open();
    await until(() => handled + rejected.length === 10);
    // In one chunk exactly p2..p9 are refused; if TCP split the write, the worker may have taken one more.
    expect(rejected.length).toBeLessThanOrEqual(8);
    expect(rejected).toEqual(['p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].slice(8 - rejected.length));
    sock.destroy();
    await server.close();
    await pool.close();
  });

  it('keeps user attributes on the session', async () => {
    const seen: unknown[] = [];
    const server = await startServer({
      onOpen: (s) => void s.setAttribute('n', 0),
      onMessage: (s) => {
        s.setAttribute('n', (s.getAttribute<number>('n') ?? 0) + 1);
        seen.push(s.getAttribute('n'));
      },
    });
    const sock = await rawConnect(server.port);
    sock.write(Buffer.concat([frame('a'), frame('b'), frame('c')]));
    await until(() => seen.length === 3);
    expect(seen).toEqual([1, 2, 3]);
    sock.destroy();
    await server.close();
  });

  it('runs newSession before onOpen so per-session settings apply', async () => {
    const order: string[] = [];
    let crons = 0;
    const server = await startServer(
      {
        onOpen: (s) => void order.push(`open cron=${s.cronPeriodMs}`),
        onMessage: () => {},
        onCron: (s) => {
          crons++;
          void s.close();
        },
      },
      {
        newSession: (s) => {
          order.push('new');
          s.cronPeriodMs = 10;
          s.setAttribute('role', 'test');
        },
      },
    );
    const sock = await rawConnect(server.port);
    await closedSocket(sock);
    expect(order).toEqual(['new', 'open cron=10']);
    expect(crons).toBe(1);
    await server.close();
  });
});
