// A TCP server that speaks just enough of ZooKeeper's protocol to be connected to, then answers every request
// with an error code ZooKeeper does not have: a registry address pointing at a wrong or broken server.
import { createServer, type Server, type Socket } from 'node:net';

/** The fake server: its port, how many requests it answered, and close(). */
export interface FakeZookeeper {
  readonly port: number;
  readonly answered: () => number;
  /** Connections made to it so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

const frame = (body: Buffer): Buffer => {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length, 0);
  return Buffer.concat([len, body]);
};

/** Starts one on a free loopback port. */
export function startFakeZookeeper(errorCode = -1761672867): Promise<FakeZookeeper> {
  let answered = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    let buf = Buffer.alloc(0);
    let connected = false;
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
        const req = buf.subarray(4, 4 + buf.readInt32BE(0));
        buf = buf.subarray(4 + req.length);
        if (!connected) {
          // ConnectResponse: protocolVersion, timeOut, sessionId, passwd (16 bytes), readOnly.
          connected = true;
          const body = Buffer.alloc(4 + 4 + 8 + 4 + 16 + 1);
          body.writeInt32BE(6000, 4);
          body.writeBigInt64BE(1234n, 8);
          body.writeInt32BE(16, 16);
          sock.write(frame(body));
        } else {
          // ReplyHeader: the request's xid, a zxid, and the unknown error code.
          const body = Buffer.alloc(16);
          body.writeInt32BE(req.readInt32BE(0), 0);
          body.writeBigInt64BE(1n, 4);
          body.writeInt32BE(errorCode, 12);
          answered++;
          sock.write(frame(body));
        }
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        answered: () => answered,
        connections: () => connections,
        close: () =>
          new Promise<void>((r) => {
            server.close(() => r());
            for (const sock of sockets) sock.destroy();
          }),
      });
    }),
  );
}
