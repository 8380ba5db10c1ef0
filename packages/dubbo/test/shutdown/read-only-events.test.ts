// The consumer side of Java's read-only ('R') and writeable ('W') events, per connection (#14): 'R' leaves the
// provider out of selection while the connection stays open, 'W' takes it back, a heartbeat changes nothing.
import type { Session } from '@dubbo-ts/getty';
import { afterEach, describe, expect, it } from 'vitest';
import { ExchangeClient } from '../../src/protocol/dubbo/exchange-client.js';
import { ExchangeServer } from '../../src/protocol/dubbo/exchange-server.js';
import { DubboRequest } from '../../src/protocol/dubbo/packet.js';
import { RpcResult } from '../../src/rpc/result.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

/** Sends an event request with `data` (null: a heartbeat) to every connection of `server`. */
function sendEvent(server: ExchangeServer, data: string | null): void {
  const sessions = (server as unknown as { server: { sessions: Set<Session<unknown>> } }).server.sessions;
  for (const s of sessions) s.send(new DubboRequest(1, data, false, true));
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('read-only and writeable events', () => {
  it("marks the connection read-only on 'R', writeable again on 'W', and ignores heartbeats", async () => {
    const server = new ExchangeServer({ port: 0 }, () => new RpcResult('ok'));
    await server.listen();
    cleanup.push(() => server.close(0));
    const client = new ExchangeClient({ host: '127.0.0.1', port: server.port });
    cleanup.push(() => client.close());
    await client.connect();
    expect(client.isAvailable).toBe(true);
    sendEvent(server, null); // heartbeat
    sendEvent(server, 'R');
    await until(() => !client.isAvailable);
    expect(client.isConnected).toBe(true);
    expect(client.isReadOnly).toBe(true);
    sendEvent(server, 'W');
    await until(() => client.isAvailable);
    expect(client.isReadOnly).toBe(false);
  });
});
