import { Client, type FlushOn } from '@dubbo-ts/getty';
import { describe, expect, it } from 'vitest';
import { startServer } from './support/endpoints.js';
import { LengthCodec, until } from './support/length-codec.js';

describe('flushOn', () => {
  it("'tick' hands each callback's writes to the socket after it; 'turn' once per event-loop turn", async () => {
    const got: string[] = [];
    const server = await startServer({ onMessage: (_s, p) => void got.push(p.toString()) });
    const client = new Client<Buffer>({
      host: '127.0.0.1',
      port: server.port,
      codec: new LengthCodec(),
      listener: { onMessage() {} },
    });
    expect(client.flushOn).toBe('tick'); // the default
    await client.connect();
    const s = client.mustPickSession();
    const seen: Record<FlushOn, number[]> = { tick: [], turn: [] };
    for (const mode of ['tick', 'turn'] as const) {
      client.flushOn = mode; // applies to the open session from its next flush
      const before = s.bytesWritten;
      await new Promise<void>((done) => {
        // two callbacks of one turn (Node runs ticks and promise jobs between them), each writing one package
        setImmediate(() => s.send(Buffer.from(`${mode}-a`)));
        setImmediate(() => {
          seen[mode].push(s.bytesWritten - before); // what the first callback's write had been handed over
          s.send(Buffer.from(`${mode}-b`));
        });
        setImmediate(() => setImmediate(done)); // after the turn's own flush
      });
      seen[mode].push(s.bytesWritten - before);
    }
    const pkg = 4 + 6; // length prefix + 'tick-a'
    expect(seen.tick).toEqual([pkg, 2 * pkg]);
    expect(seen.turn).toEqual([0, 2 * pkg]); // both left together, after the turn
    await until(() => got.length === 4);
    expect(got).toEqual(['tick-a', 'tick-b', 'turn-a', 'turn-b']);
    await client.close();
    await server.close();
  });

  it('refuses anything but tick or turn with GETTY_ERR_INVALID_ARG', () => {
    const options = { host: '127.0.0.1', port: 1, codec: new LengthCodec(), listener: { onMessage() {} } };
    expect(() => new Client<Buffer>({ ...options, flushOn: 'later' as FlushOn })).toThrow(
      expect.objectContaining({ code: 'GETTY_ERR_INVALID_ARG' }),
    );
    const client = new Client<Buffer>(options);
    expect(() => {
      client.flushOn = 'never' as FlushOn;
    }).toThrow(expect.objectContaining({ code: 'GETTY_ERR_INVALID_ARG' }));
    expect(client.flushOn).toBe('tick'); // unchanged
  });
});
