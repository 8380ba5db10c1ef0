import { connect, type Socket } from 'node:net';
import { type EventListener, Server, type ServerOptions } from '@dubbo-ts/getty';
import { LengthCodec } from './length-codec.js';

/** Starts a loopback TCP server with the length codec. */
export async function startServer(
  listener: EventListener<Buffer>,
  opts: Partial<ServerOptions<Buffer>> = {},
): Promise<Server<Buffer>> {
  const server = new Server<Buffer>({ host: '127.0.0.1', codec: new LengthCodec(), listener, ...opts });
  await server.listen();
  return server;
}

/** A raw TCP socket to the server. */
export function rawConnect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the socket closes. */
export function closedSocket(s: Socket): Promise<void> {
  return new Promise((r) => {
    if (s.destroyed) r();
    else s.once('close', () => r());
  });
}
