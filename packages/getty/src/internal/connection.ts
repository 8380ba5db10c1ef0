import type { Socket as DgramSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** Callbacks a connection delivers to its session. */
export interface ConnHandler {
  _onData(chunk: Buffer): void;
  _onDrain(): void;
  _onConnClosed(err: Error | null): void;
}

/** The streaming layer: bytes over one transport. One per session. */
export interface Conn {
  readonly localAddress: string;
  readonly remoteAddress: string;
  /** Whether each `_onData` chunk is a self-contained datagram (no bytes carry over). */
  readonly datagram: boolean;
  /** Whether merged writes may be concatenated into one transport write. */
  readonly canMerge: boolean;
  bind(h: ConnHandler): void;
  /** Writes bytes; `cb` runs once they are handed to the OS (or with an error). */
  write(data: Uint8Array, cb?: (err?: Error | null) => void): void;
  /** Writes several buffers in one go (cork/writev). */
  writev(list: Uint8Array[], cb?: (err?: Error | null) => void): void;
  /** Bytes accepted but not yet handed to the OS. */
  pendingBytes(): number;
  /** Flushes, then closes. */
  end(): void;
  /** Closes now, dropping anything unflushed. */
  destroy(): void;
}

function addr(host: string | undefined, port: number | undefined): string {
  if (host === undefined) return '';
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** TCP and TLS sockets. */
export class StreamConn implements Conn {
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly datagram = false;
  readonly canMerge = true;
  private error: Error | null = null;

  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    this.localAddress = addr(socket.localAddress, socket.localPort);
    this.remoteAddress = addr(socket.remoteAddress, socket.remotePort);
  }

  bind(h: ConnHandler): void {
    const s = this.socket;
    s.on('data', (d: Buffer) => h._onData(d));
    s.on('drain', () => h._onDrain());
    s.on('error', (e) => {
      this.error ??= e;
    });
    s.on('close', () => h._onConnClosed(this.error));
    // A half-closed peer: finish our side too.
    s.on('end', () => s.end());
  }

  write(data: Uint8Array, cb?: (err?: Error | null) => void): void {
    this.socket.write(data, cb);
  }

  writev(list: Uint8Array[], cb?: (err?: Error | null) => void): void {
    const s = this.socket;
    s.cork();
    const last = list.length - 1;
    for (let i = 0; i < last; i++) s.write(list[i]!);
    s.write(list[last]!, cb);
    s.uncork();
  }

  pendingBytes(): number {
    return this.socket.writableLength;
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** A WebSocket (from `ws`): each binary message is a chunk of the byte stream. */
export class WsConn implements Conn {
  readonly datagram = false;
  readonly canMerge = true;
  private error: Error | null = null;
  private handler: ConnHandler | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly localAddress: string,
    readonly remoteAddress: string,
  ) {
    ws.binaryType = 'nodebuffer';
  }

  bind(h: ConnHandler): void {
    this.handler = h;
    this.ws.on('message', (d: Buffer) => h._onData(d));
    this.ws.on('error', (e) => {
      this.error ??= e;
    });
    this.ws.on('close', () => h._onConnClosed(this.error));
  }

  write(data: Uint8Array, cb?: (err?: Error | null) => void): void {
    this.ws.send(data, { binary: true }, (err) => {
      cb?.(err ?? null);
      this.handler?._onDrain();
    });
  }

  writev(list: Uint8Array[], cb?: (err?: Error | null) => void): void {
    this.write(Buffer.concat(list), cb);
  }

  pendingBytes(): number {
    return this.ws.bufferedAmount;
  }

  end(): void {
    this.ws.close(1000);
  }

  destroy(): void {
    this.ws.terminate();
  }
}

/**
 * One UDP peer over a datagram socket: on the server many of these share the listening socket; on the client
 * the socket is connected to the server and owned by the conn. Each datagram holds whole packages.
 */
export class UdpConn implements Conn {
  readonly datagram = true;
  readonly canMerge = false;
  private handler: ConnHandler | null = null;
  private closed = false;

  constructor(
    private readonly socket: DgramSocket,
    readonly localAddress: string,
    readonly remoteAddress: string,
    private readonly peerHost: string,
    private readonly peerPort: number,
    private readonly ownsSocket: boolean,
    private readonly onClosed?: () => void,
  ) {}

  bind(h: ConnHandler): void {
    this.handler = h;
    if (this.ownsSocket) {
      this.socket.on('message', (d: Buffer) => h._onData(d));
      this.socket.on('error', (e) => this.finish(e));
      this.socket.on('close', () => this.finish(null));
    }
  }

  /** Server side: a datagram from this peer. */
  deliver(d: Buffer): void {
    this.handler?._onData(d);
  }

  write(data: Uint8Array, cb?: (err?: Error | null) => void): void {
    if (this.ownsSocket) this.socket.send(data, cb ? (err) => cb(err ?? null) : undefined);
    else this.socket.send(data, this.peerPort, this.peerHost, cb ? (err) => cb(err ?? null) : undefined);
  }

  writev(list: Uint8Array[], cb?: (err?: Error | null) => void): void {
    const last = list.length - 1;
    for (let i = 0; i < last; i++) this.write(list[i]!);
    this.write(list[last]!, cb);
  }

  pendingBytes(): number {
    return 0;
  }

  end(): void {
    this.destroy();
  }

  destroy(): void {
    if (this.ownsSocket) {
      if (!this.closed) this.socket.close();
    } else {
      this.finish(null);
    }
  }

  /** Server side: the shared socket closed. */
  finish(err: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed?.();
    const h = this.handler;
    // Deliver asynchronously like a socket 'close' event.
    if (h) setImmediate(() => h._onConnClosed(err));
  }
}
