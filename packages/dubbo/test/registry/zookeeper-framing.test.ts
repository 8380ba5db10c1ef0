// A ZooKeeper connection that closes in the middle of a reply (a server hanging up mid-frame, or the client dropping a
// socket it cannot follow): the next connection must be read from its own first byte. node-zookeeper-client 1.1.3 keeps
// the half-read bytes and reads the new connection behind them (its issue #70), which hangs the handshake or throws
// "Unknown code" from the socket's data handler, an uncaught exception; seen in the suite on a busy machine.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { createRegistry, registerBuiltinRegistries, type ZookeeperRegistry } from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { zookeeperAddress } from '../support/services.js';
import { until } from './registry-helpers.js';

registerBuiltinRegistries();

/**
 * A loopback proxy to ZooKeeper that, when armed, passes on the first half of the next reply chunk and hangs up; or,
 * armed with {@link answerUnknownCode}, answers the next request itself with a reply header whose error code no
 * ZooKeeper has (what a header read at a wrong offset looks like).
 */
class MidFrameCutter {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private armed = false;
  private badCode = false;
  /** Replies cut (or answered with an unknown code) so far. */
  cuts = 0;
  /** Connections accepted. */
  accepted = 0;
  port = 0;

  constructor(private readonly target: string) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    const [host, port] = this.target.split(':');
    const server = createServer((client) => {
      this.accepted++;
      const upstream = createConnection({ host: host as string, port: Number(port) });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.on('data', (chunk: Buffer) => {
        // A request frame: length, xid, op type. Pings (xid -2) are passed on.
        if (this.badCode && chunk.length >= 12 && chunk.readInt32BE(4) >= 0) {
          this.badCode = false;
          this.cuts++;
          const reply = Buffer.alloc(20);
          reply.writeInt32BE(16, 0);
          reply.writeInt32BE(chunk.readInt32BE(4), 4); // the request's xid
          reply.writeInt32BE(-720306119, 16); // zxid left 0; an error code from the suite's failed run
          client.write(reply);
          return;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (this.armed && chunk.length >= 8) {
          this.armed = false;
          this.cuts++;
          // At least the 4-byte length and part of the frame, never all of it.
          client.end(chunk.subarray(0, Math.max(5, chunk.length >> 1)), () => client.destroy());
          upstream.destroy();
          return;
        }
        client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      }),
    );
  }

  /** Cuts the next reply in the middle. */
  arm(): void {
    this.armed = true;
  }

  /** Answers the next request with an unknown error code. */
  answerUnknownCode(): void {
    this.badCode = true;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('ZooKeeper connection cut in the middle of a reply', () => {
  it('reconnects within the same session and reads the new connection from its first byte', async () => {
    const cutter = new MidFrameCutter(zookeeperAddress());
    await cutter.start();
    cleanups.push(() => cutter.close());
    // The product's default session (60 s) and operation timeout: the session outlives the cut by far.
    const registry = createRegistry(`zookeeper://${cutter.address}`) as ZookeeperRegistry;
    cleanups.push(() => registry.destroy());
    const connection = registry.connection;
    expect(await connection.exists('/')).toBeDefined();
    const generation = connection.generation;

    for (let round = 1; round <= 3; round++) {
      cutter.arm();
      // The reply to this call is the one cut: the call fails as a lost connection, nothing else.
      await expect(connection.exists('/')).rejects.toThrow();
      expect(cutter.cuts).toBe(round);
      // node-zookeeper-client reconnects by itself with the same session.
      await until(() => connection.isConnected, 30_000);
      expect(await connection.exists('/')).toBeDefined();
      // Not replaced by a new client after a session timeout without a handshake: the same session answered.
      expect(connection.generation).toBe(generation);
    }
  }, 120_000);

  it('drops a connection whose reply carries an error code ZooKeeper does not have, and reconnects (no crash)', async () => {
    const cutter = new MidFrameCutter(zookeeperAddress());
    await cutter.start();
    cleanups.push(() => cutter.close());
    const registry = createRegistry(`zookeeper://${cutter.address}`) as ZookeeperRegistry;
    cleanups.push(() => registry.destroy());
    const connection = registry.connection;
    expect(await connection.exists('/')).toBeDefined();
    const generation = connection.generation;

    cutter.answerUnknownCode();
    // node-zookeeper-client threw "Unknown code" from its socket's data handler (an uncaught exception); now the
    // socket is dropped, and the call whose reply could not be read fails at once (not at its operation timeout).
    const lost = connection.exists('/').then(
      () => 'answered',
      (err: unknown) => err,
    );
    await until(() => cutter.cuts === 1, 30_000);
    // The client dropped the connection it could not read and made a new one.
    await until(() => cutter.accepted === 2 && connection.isConnected, 30_000);
    expect(await connection.exists('/')).toBeDefined();
    expect(connection.generation).toBe(generation);
    expect(await lost).toMatchObject({
      code: 'DUBBO_ERR_REGISTRY',
      message: expect.stringContaining('unreadable answer'),
    });
  }, 120_000);
});
