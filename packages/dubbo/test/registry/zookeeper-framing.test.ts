// A ZooKeeper connection that closes in the middle of a reply (a server hanging up mid-frame, or the client dropping a
// socket it cannot follow): the next connection must be read from its own first byte. node-zookeeper-client 1.1.3 keeps
// the half-read bytes and reads the new connection behind them (its issue #70), which hangs the handshake or throws
// "Unknown code" from the socket's data handler, an uncaught exception; seen in the suite on a busy machine.
import { createRegistry, registerBuiltinRegistries, type ZookeeperRegistry } from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { zookeeperAddress } from '../support/services.js';
import { until } from './registry-helpers.js';
import { type ProxiedConnection, type ProxyTap, TcpProxy } from './tcp-proxy.js';

registerBuiltinRegistries();

/**
 * A tap on a proxy to ZooKeeper that, when armed, passes on the first half of the next reply chunk and hangs up; or,
 * armed with {@link answerUnknownCode}, answers the next request itself with a reply header whose error code no
 * ZooKeeper has (what a header read at a wrong offset looks like).
 */
class MidFrameCutter implements ProxyTap {
  private armed = false;
  private badCode = false;
  /** Replies cut (or answered with an unknown code) so far. */
  cuts = 0;

  fromClient(chunk: Buffer, { client }: ProxiedConnection): boolean {
    // A request frame: length, xid, op type. Pings (xid -2) are passed on.
    if (!this.badCode || chunk.length < 12 || chunk.readInt32BE(4) < 0) return false;
    this.badCode = false;
    this.cuts++;
    const reply = Buffer.alloc(20);
    reply.writeInt32BE(16, 0);
    reply.writeInt32BE(chunk.readInt32BE(4), 4); // the request's xid
    reply.writeInt32BE(-720306119, 16); // zxid left 0; an error code from the suite's failed run
    client.write(reply);
    return true;
  }

  fromServer(chunk: Buffer, { client, upstream }: ProxiedConnection): boolean {
    if (!this.armed || chunk.length < 8) return false;
    this.armed = false;
    this.cuts++;
    // At least the 4-byte length and part of the frame, never all of it.
    client.end(chunk.subarray(0, Math.max(5, chunk.length >> 1)), () => client.destroy());
    upstream.destroy();
    return true;
  }

  /** Cuts the next reply in the middle. */
  arm(): void {
    this.armed = true;
  }

  /** Answers the next request with an unknown error code. */
  answerUnknownCode(): void {
    this.badCode = true;
  }
}

/**
 * A registry connected to the test ZooKeeper through a proxy with a new {@link MidFrameCutter} (both closed after
 * the test), with the product's default session (60 s) and operation timeout: the session outlives a cut by far.
 */
async function connectedThroughCutter() {
  const [host, port] = zookeeperAddress().split(':');
  const cutter = new MidFrameCutter();
  const proxy = new TcpProxy(host as string, Number(port), cutter);
  await proxy.start();
  cleanups.push(() => proxy.close());
  const registry = createRegistry(`zookeeper://${proxy.address}`) as ZookeeperRegistry;
  cleanups.push(() => registry.destroy());
  const connection = registry.connection;
  expect(await connection.exists('/')).toBeDefined();
  return { proxy, cutter, connection, generation: connection.generation };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

describe('ZooKeeper connection cut in the middle of a reply', () => {
  it('reconnects within the same session and reads the new connection from its first byte', async () => {
    const { cutter, connection, generation } = await connectedThroughCutter();

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
    const { proxy, cutter, connection, generation } = await connectedThroughCutter();

    cutter.answerUnknownCode();
    // node-zookeeper-client threw "Unknown code" from its socket's data handler (an uncaught exception); now the
    // socket is dropped, and the call whose reply could not be read fails at once (not at its operation timeout).
    const lost = connection.exists('/').then(
      () => 'answered',
      (err: unknown) => err,
    );
    await until(() => cutter.cuts === 1, 30_000);
    // The client dropped the connection it could not read and made a new one.
    await until(() => proxy.accepted === 2 && connection.isConnected, 30_000);
    expect(await connection.exists('/')).toBeDefined();
    expect(connection.generation).toBe(generation);
    expect(await lost).toMatchObject({
      code: 'DUBBO_ERR_REGISTRY',
      message: expect.stringContaining('unreadable answer'),
    });
  }, 120_000);
});
