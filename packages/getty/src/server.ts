import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { defaultTimingWheel, getLogger } from '@dubbo-ts/gost';
import { WebSocketServer } from 'ws';
import type { EndpointOptions } from './endpoint-options.js';
import { GettyError } from './errors.js';
import { type Conn, StreamConn, UdpConn, WsConn } from './internal/connection.js';
import { Session, type SessionContext } from './session.js';
import { resolveSessionOptions } from './session-options.js';

/** Options of a {@link Server}. */
export interface ServerOptions<P> extends EndpointOptions<P> {
  /**
   * Address to listen on.
   * @defaultValue '0.0.0.0'
   */
  host?: string;
  /**
   * Port to listen on; 0 picks a free one (read it from {@link Server.port}).
   * @defaultValue 0
   */
  port?: number;
  /** Key and certificate for `transport: 'tls'`, or for `'ws'` to serve wss:// (Node's `tls.createServer` options). */
  tls?: TlsOptions;
  /**
   * URL path for `transport: 'ws'`.
   * @defaultValue '/'
   */
  path?: string;
}

/** Options of {@link Server.close}. */
export interface ServerCloseOptions {
  /**
   * After this long, sessions still flushing are destroyed.
   * @defaultValue 3000
   */
  timeoutMs?: number;
}

function fmt(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return '';
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A getty server: accepts connections on one transport and runs a {@link Session} for each. */
export class Server<P = unknown> {
  private readonly options: ServerOptions<P>;
  private readonly ctx: SessionContext<P>;
  private readonly live = new Set<Session<P>>();
  private net: NetServer | null = null;
  private http: HttpServer | null = null;
  private wss: WebSocketServer | null = null;
  private udp: DgramSocket | null = null;
  private readonly udpPeers = new Map<string, UdpConn>();
  private boundPort = 0;
  private boundHost = '';
  private closing = false;
  private refusing = false;

  constructor(options: ServerOptions<P>) {
    if (!options?.codec || !options.listener) {
      throw new GettyError('GETTY_ERR_INVALID_ARG', 'a server needs a codec and a listener');
    }
    const transport = options.transport ?? 'tcp';
    if (transport === 'tls' && !options.tls) {
      throw new GettyError('GETTY_ERR_INVALID_ARG', "transport 'tls' needs the tls option (key, cert)");
    }
    this.options = options;
    this.ctx = {
      codec: options.codec,
      listener: options.listener,
      pool: options.taskPool ?? null,
      wheel: options.wheel ?? defaultTimingWheel(),
      options: resolveSessionOptions(options),
      transport,
      newSession: options.newSession,
      onSessionClosed: (s) => {
        this.live.delete(s);
      },
    };
  }

  /** Open sessions. */
  get sessions(): ReadonlySet<Session<P>> {
    return this.live;
  }

  /** The port listened on (after {@link Server.listen}). */
  get port(): number {
    return this.boundPort;
  }

  /** `host:port` listened on. */
  get address(): string {
    return fmt(this.boundHost, this.boundPort);
  }

  /** Starts listening. */
  listen(): Promise<void> {
    const host = this.options.host ?? '0.0.0.0';
    const port = this.options.port ?? 0;
    const t = this.ctx.transport;
    return new Promise<void>((resolve, reject) => {
      const done = (addr: { address: string; port: number }) => {
        this.boundHost = addr.address;
        this.boundPort = addr.port;
        resolve();
      };
      if (t === 'udp') {
        const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
        this.udp = sock;
        sock.once('error', reject);
        sock.on('message', (msg, rinfo) => this.onDatagram(sock, msg, rinfo.address, rinfo.port));
        sock.bind(port, host, () => {
          sock.off('error', reject);
          sock.on('error', (err) => getLogger().error(`getty server ${this.address}: ${err.message}`));
          done(sock.address());
        });
        return;
      }
      if (t === 'ws') {
        // With `tls`, WebSocket runs over HTTPS (wss://).
        const http: HttpServer = this.options.tls ? createHttpsServer(this.options.tls) : createHttpServer();
        this.http = http;
        const wss = new WebSocketServer({ server: http, path: this.options.path ?? '/' });
        this.wss = wss;
        wss.on('connection', (ws, req) => {
          const s = req.socket;
          this.accept(new WsConn(ws, fmt(s.localAddress, s.localPort), fmt(s.remoteAddress, s.remotePort)));
        });
        wss.on('error', () => {});
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          http.on('error', (err) => getLogger().error(`getty server ${this.address}: ${err.message}`));
          done(http.address() as { address: string; port: number });
        });
        return;
      }
      const onSocket = (socket: Socket) => {
        if (this.closing || this.refusing) {
          socket.destroy();
          return;
        }
        this.accept(new StreamConn(socket));
      };
      const srv =
        t === 'tls'
          ? createTlsServer(this.options.tls!, onSocket)
          : createNetServer({ noDelay: true, pauseOnConnect: false }, onSocket);
      this.net = srv;
      srv.on('tlsClientError', () => {});
      srv.once('error', reject);
      srv.listen(port, host, () => {
        srv.off('error', reject);
        // An accept failure (e.g. EMFILE) must not crash the process: log it and keep serving.
        srv.on('error', (err) => getLogger().error(`getty server ${this.address}: ${err.message}`));
        done(srv.address() as { address: string; port: number });
      });
    });
  }

  private accept(conn: Conn): Session<P> {
    const session = new Session<P>(conn, this.ctx);
    conn.bind(session);
    this.live.add(session);
    session._open();
    return session;
  }

  private onDatagram(sock: DgramSocket, msg: Buffer, host: string, port: number): void {
    if (this.closing) return;
    const key = fmt(host, port);
    if (this.refusing && !this.udpPeers.has(key)) return;
    let conn = this.udpPeers.get(key);
    if (conn === undefined) {
      const a = sock.address();
      conn = new UdpConn(sock, fmt(a.address, a.port), key, host, port, false, () => this.udpPeers.delete(key));
      this.udpPeers.set(key, conn);
      const session = this.accept(conn);
      if (!session.isOpen) return;
    }
    conn.deliver(msg);
  }

  /**
   * Stops accepting connections (the listening socket is closed, so the port is free for a successor) while the
   * open sessions keep working: the first step of a graceful shutdown that still answers calls in flight.
   * {@link Server.close} later closes the sessions.
   */
  stopAccepting(): void {
    if (this.refusing || this.closing) return;
    this.refusing = true;
    this.net?.close();
    this.http?.close();
  }

  /** Whether {@link Server.stopAccepting} or {@link Server.close} was called. */
  get accepting(): boolean {
    return !this.refusing && !this.closing;
  }

  /**
   * Graceful close: stop accepting, let every session flush what was written, then close; sessions still
   * open after `timeoutMs` are destroyed.
   */
  async close(options: ServerCloseOptions = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const timeoutMs = options.timeoutMs ?? 3000;
    const stopped: Promise<void>[] = [];
    if (this.net) {
      const n = this.net;
      stopped.push(new Promise((r) => n.close(() => r())));
    }
    if (this.wss) {
      const w = this.wss;
      const h = this.http!;
      stopped.push(new Promise((r) => w.close(() => r())));
      stopped.push(new Promise((r) => h.close(() => r())));
    }
    const sessions = [...this.live];
    const all = Promise.all(sessions.map((s) => s.close()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((r) => {
      timer = setTimeout(r, timeoutMs);
      timer.unref();
    });
    await Promise.race([all, timedOut]);
    clearTimeout(timer);
    for (const s of this.live) s.destroy();
    await all;
    if (this.udp) {
      const u = this.udp;
      stopped.push(new Promise((r) => u.close(() => r())));
    }
    await Promise.all(stopped);
  }
}
