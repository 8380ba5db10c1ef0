// The README's echo example, kept here so it stays true.
import { Client, type Codec, Server } from '@dubbo-ts/getty';
import { expect, it } from 'vitest';

it('README echo example works', async () => {
  // README:begin
  // A line protocol: each package is one string ending in '\n'.
  const lines: Codec<string> = {
    read(_session, bytes) {
      const end = bytes.indexOf(10); // '\n'
      return end < 0 ? null : { pkg: bytes.toString('utf8', 0, end), length: end + 1 };
    },
    write: (_session, line) => Buffer.from(`${line}\n`),
  };

  const server = new Server<string>({
    host: '127.0.0.1',
    codec: lines,
    listener: { onMessage: (session, line) => void session.send(line.toUpperCase()) },
  });
  await server.listen();

  const replies: string[] = [];
  const client = new Client<string>({
    host: '127.0.0.1',
    port: server.port,
    codec: lines,
    listener: { onMessage: (_session, line) => void replies.push(line) },
  });
  await client.connect();
  await client.mustPickSession().write('hello getty');
  // README:end
  while (replies.length === 0) await new Promise((r) => setTimeout(r, 5));
  expect(replies).toEqual(['HELLO GETTY']);
  await client.close();
  await server.close();
});
