// The README's echo example (gost alone, on node:net), kept here so it stays true.
import type { Socket } from 'node:net';
import { connect, createServer } from 'node:net';
import { ByteWriter, ChunkReader, TimingWheel } from '@dubbo-ts/gost';
import { expect, it } from 'vitest';

it('README echo example works, with frames split across and stuck within packets', async () => {
  const replies: string[] = [];
  // README:begin
  // A custom codec: each frame is a 4-byte big-endian length, then a UTF-8 body.
  const encode = (w: ByteWriter, text: string): Buffer => {
    w.reset();
    w.writeUInt32BE(0);
    w.setUInt32BE(0, w.writeUtf8(text));
    return w.toBuffer();
  };
  const onFrames = (socket: Socket, onFrame: (text: string) => void) => {
    const reader = new ChunkReader(); // frames split or stuck together; no copy inside one chunk
    socket.on('data', (chunk) => {
      reader.push(chunk);
      while (reader.length >= 4 && reader.length >= 4 + reader.peekUInt32BE()) {
        onFrame(reader.read(reader.readUInt32BE()).toString('utf8'));
      }
    });
  };

  const server = createServer((s) => {
    const w = new ByteWriter();
    onFrames(s, (text) => s.write(encode(w, text.toUpperCase())));
  }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));

  const wheel = new TimingWheel({ tickMs: 10 });
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  const timeout = wheel.schedule(5000, () => client.destroy(new Error('no reply in 5 s')));
  onFrames(client, (text) => {
    replies.push(text); // HELLO GOST, 你好
    if (replies.length === 2) timeout.cancel();
  });
  const w = new ByteWriter();
  const bytes = Buffer.concat([encode(w, 'hello gost'), encode(w, '你好')]);
  client.write(bytes.subarray(0, 7)); // split inside the first frame...
  client.write(bytes.subarray(7)); // ...and the second frame stuck to the first one's tail
  // README:end
  while (replies.length < 2) await new Promise((r) => setTimeout(r, 5));
  expect(replies).toEqual(['HELLO GOST', '你好']);
  client.destroy();
  wheel.stop();
  await new Promise((r) => server.close(r));
});
