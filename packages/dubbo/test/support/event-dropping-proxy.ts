// A loopback proxy in front of a dubbo provider that forwards everything except the provider's read-only event
// frames (a consumer that never hears the provider is closing, as one whose event was lost): so a test reaches
// the path where the closing provider refuses requests and the consumer's failover must retry them.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Whether `frame` (one whole dubbo frame) is a request event whose body is the hessian string "R". */
function isReadOnlyEvent(frame: Buffer): boolean {
  return (frame[2]! & 0xa0) === 0xa0 && frame.length === 18 && frame[16] === 0x01 && frame[17] === 0x52;
}

export class EventDroppingProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Read-only events dropped. */
  dropped = 0;
  port = 0;

  constructor(private readonly targetPort: number) {}

  /** `dubbo://127.0.0.1:port` of the proxy. */
  get address(): string {
    return `dubbo://127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
      this.sockets.add(client).add(upstream);
      client.pipe(upstream);
      let pending = Buffer.alloc(0);
      upstream.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 16) {
          const len = 16 + pending.readUInt32BE(12);
          if (pending.length < len) break;
          const frame = pending.subarray(0, len);
          pending = pending.subarray(len);
          if (isReadOnlyEvent(frame)) this.dropped++;
          else client.write(frame);
        }
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    this.server = server;
    return new Promise((resolve) =>
      server.listen(0, '127.0.0.1', () => {
        this.port = (server.address() as { port: number }).port;
        resolve();
      }),
    );
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
