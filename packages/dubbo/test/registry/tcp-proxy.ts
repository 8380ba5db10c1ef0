// A loopback TCP proxy a test can cut and restore, to partition one client from a real server (ZooKeeper, etcd)
// without touching the server or other clients; with a tap, a test can also rewrite or drop what passes.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One connection through the proxy, as a {@link ProxyTap} sees it. */
export interface ProxiedConnection {
  readonly client: Socket;
  readonly upstream: Socket;
}

/**
 * Sees each chunk the proxy passes: return `true` when the tap has dealt with it (answered, cut the connection),
 * and the proxy passes it on no further.
 */
export interface ProxyTap {
  fromClient?(chunk: Buffer, connection: ProxiedConnection): boolean;
  fromServer?(chunk: Buffer, connection: ProxiedConnection): boolean;
}

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private blocked = false;
  /** Connections accepted (including the ones refused while cut). */
  accepted = 0;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly tap?: ProxyTap,
  ) {}

  /** host:port of the proxy. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    const server = createServer((client) => {
      this.accepted++;
      if (this.blocked) {
        client.destroy();
        return;
      }
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      if (this.tap === undefined) {
        client.pipe(upstream);
        upstream.pipe(client);
      } else {
        const tap = this.tap;
        const connection = { client, upstream };
        client.on('data', (chunk: Buffer) => {
          if (tap.fromClient?.(chunk, connection) !== true) upstream.write(chunk);
        });
        upstream.on('data', (chunk: Buffer) => {
          if (tap.fromServer?.(chunk, connection) !== true) client.write(chunk);
        });
      }
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

  /** Drops every connection and refuses new ones until {@link restore}. */
  cut(): void {
    this.blocked = true;
    for (const s of this.sockets) s.destroy();
  }

  /** Lets connections through again. */
  restore(): void {
    this.blocked = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
