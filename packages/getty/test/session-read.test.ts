import type { GettyError, Session } from '@dubbo-ts/getty';
import { TimingWheel } from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';
import type { Conn, ConnHandler } from '../src/internal/connection.js';
import { type SessionContext, Session as SessionImpl } from '../src/session.js';
import { resolveSessionOptions, type SessionOptions } from '../src/session-options.js';
import { frame, LengthCodec, RangeLengthCodec } from './support/length-codec.js';

/** An in-memory conn so the read engine can be fed exact chunk boundaries. */
class FakeConn implements Conn {
  localAddress = '127.0.0.1:1';
  remoteAddress = '127.0.0.1:2';
  datagram = false;
  canMerge = true;
  written: Buffer[] = [];
  destroyed = false;
  h: ConnHandler | null = null;
  bind(h: ConnHandler): void {
    this.h = h;
  }
  write(data: Uint8Array, cb?: (err?: Error | null) => void): void {
    this.written.push(Buffer.from(data));
    cb?.(null);
  }
  writev(list: Uint8Array[], cb?: (err?: Error | null) => void): void {
    this.written.push(Buffer.concat(list));
    cb?.(null);
  }
  pendingBytes(): number {
    return 0;
  }
  end(): void {
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.h?._onConnClosed(null);
  }
}

function makeSession(opts: SessionOptions = {}, codec: LengthCodec = new LengthCodec()) {
  const got: Buffer[] = [];
  const views: Buffer[] = [];
  const errors: Error[] = [];
  let closed = 0;
  const conn = new FakeConn();
  const ctx: SessionContext<Buffer> = {
    codec,
    listener: {
      onMessage: (_s, pkg) => {
        got.push(Buffer.from(pkg));
        views.push(pkg);
      },
      onError: (_s, e) => errors.push(e),
      onClose: () => closed++,
    },
    pool: null,
    wheel: new TimingWheel({ autoStart: false }),
    options: resolveSessionOptions(opts),
    transport: 'tcp',
    newSession: undefined,
    onSessionClosed() {},
  };
  const session = new SessionImpl<Buffer>(conn, ctx);
  conn.bind(session);
  expect(session._open()).toBe(true);
  return { session: session as Session<Buffer>, conn, got, views, errors, closed: () => closed };
}

const bodies = ['', 'a', 'hello world', 'x'.repeat(300), '\u00e9t\u00e9', 'last one'];
const stream = Buffer.concat(bodies.map((b) => frame(b)));

describe('read engine', () => {
  it('decodes a byte stream cut at every offset (and at every pair of offsets)', () => {
    for (let i = 0; i <= stream.length; i++) {
      const { session, got, errors } = makeSession();
      session._onData(stream.subarray(0, i));
      session._onData(stream.subarray(i));
      expect(errors).toEqual([]);
      expect(got.map((b) => b.toString())).toEqual(bodies);
    }
    for (let i = 0; i < stream.length; i += 7) {
      for (let j = i; j <= stream.length; j += 5) {
        const { session, got } = makeSession();
        session._onData(stream.subarray(0, i));
        session._onData(stream.subarray(i, j));
        session._onData(stream.subarray(j));
        expect(got.map((b) => b.toString())).toEqual(bodies);
      }
    }
  });

  it('never overwrites package views it handed out while it buffers later bytes', () => {
    const rand = (() => {
      let x = 7;
      return () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    })();
    const many = Array.from({ length: 300 }, (_, i) => `pkg-${i}-${'y'.repeat(Math.floor(rand() * 3000))}`);
    const bytes = Buffer.concat(many.map((b) => frame(b)));
    for (let round = 0; round < 5; round++) {
      const { session, views } = makeSession();
      let off = 0;
      while (off < bytes.length) {
        const n = 1 + Math.floor(rand() * (round === 0 ? 7 : 5000));
        // Fresh chunk memory each time, as a socket would deliver.
        session._onData(Buffer.from(bytes.subarray(off, off + n)));
        off += n;
      }
      // Views are checked only at the end: later appends must not have clobbered them.
      expect(views.map(String)).toEqual(many);
    }
  });

  it('reads through a codec readAt over the same buffers, cut anywhere, never making a view per package', () => {
    for (let i = 0; i <= stream.length; i += 3) {
      const codec = new RangeLengthCodec();
      const { session, got, errors } = makeSession({}, codec);
      session._onData(stream.subarray(0, i));
      session._onData(stream.subarray(i));
      expect(errors).toEqual([]);
      expect(got.map((b) => b.toString())).toEqual(bodies);
      expect(codec.ranged).toBeGreaterThanOrEqual(bodies.length);
    }
    const many = Array.from({ length: 200 }, (_, i) => `r-${i}-${'z'.repeat((i * 37) % 900)}`);
    const bytes = Buffer.concat(many.map((b) => frame(b)));
    const { session, views } = makeSession({}, new RangeLengthCodec());
    for (let off = 0; off < bytes.length; off += 333) session._onData(Buffer.from(bytes.subarray(off, off + 333)));
    expect(views.map(String)).toEqual(many);
  });

  it('decodes a package of unknown length arriving in many chunks', () => {
    const { session, got, errors } = makeSession();
    // A codec that never gives a length hint: the engine must still copy each byte O(1) times.
    (session as unknown as { codec: { read: (s: unknown, b: Buffer) => unknown } }).codec = {
      read: (_s: unknown, b: Buffer) => {
        const i = b.indexOf(10);
        return i < 0 ? null : { pkg: b.subarray(0, i), length: i + 1 };
      },
    };
    const line = 'L'.repeat(200_000);
    const data = Buffer.from(`${line}\nshort\n`);
    for (let i = 0; i < data.length; i += 1000) session._onData(data.subarray(i, i + 1000));
    expect(errors).toEqual([]);
    expect(got.map(String)).toEqual([line, 'short']);
  });

  it('decodes the stream fed one byte at a time', () => {
    const { session, got } = makeSession();
    for (let i = 0; i < stream.length; i++) session._onData(stream.subarray(i, i + 1));
    expect(got.map((b) => b.toString())).toEqual(bodies);
    expect(session.packagesRead).toBe(bodies.length);
    expect(session.bytesRead).toBe(stream.length);
  });

  it('decodes many packages in one chunk, handing out views of it', () => {
    const many = Buffer.concat(Array.from({ length: 1000 }, (_, i) => frame(`m${i}`)));
    const views: Buffer[] = [];
    const { session, got } = makeSession();
    const ctx = (session as unknown as { listener: { onMessage: (s: unknown, p: Buffer) => void } }).listener;
    const orig = ctx.onMessage;
    ctx.onMessage = (s, p) => {
      views.push(p);
      orig(s, p);
    };
    session._onData(many);
    expect(got).toHaveLength(1000);
    expect(got[999]!.toString()).toBe('m999');
    expect(views[500]!.buffer).toBe(many.buffer); // zero-copy
  });

  it('closes with GETTY_ERR_PACKAGE_TOO_LARGE from the header alone', () => {
    const { session, errors, conn, closed } = makeSession({ maxPackageLength: 100 });
    const h = Buffer.alloc(4);
    h.writeUInt32BE(1000, 0);
    session._onData(h);
    expect(conn.destroyed).toBe(true);
    expect(errors).toHaveLength(1);
    expect((errors[0] as GettyError).code).toBe('GETTY_ERR_PACKAGE_TOO_LARGE');
    expect(closed()).toBe(1);
    expect(session.isClosed).toBe(true);
  });

  it('closes with GETTY_ERR_DECODE when the codec throws, and drops later bytes', () => {
    const { session, errors, got } = makeSession();
    const poison = Buffer.from([0xff, 0xff, 0xff, 0xff]);
    session._onData(Buffer.concat([frame('ok'), poison, frame('never')]));
    expect(got.map(String)).toEqual(['ok']);
    expect((errors[0] as GettyError).code).toBe('GETTY_ERR_DECODE');
    session._onData(frame('after'));
    expect(got).toHaveLength(1);
  });

  it('merges writes of one tick into one transport write, or not', async () => {
    const on = makeSession({ writeMerge: true });
    for (let i = 0; i < 10; i++) expect(on.session.send(Buffer.from(`p${i}`))).toBe(true);
    await on.session.write(Buffer.from('last'));
    expect(on.conn.written).toHaveLength(1);
    expect(on.conn.written[0]!.length).toBe(10 * 6 + 8);
    const off = makeSession({ writeMerge: false });
    for (let i = 0; i < 10; i++) off.session.send(Buffer.from(`p${i}`));
    await off.session.write(Buffer.from('last'));
    expect(off.conn.written).toHaveLength(11);
    expect(off.session.packagesWritten).toBe(11);
  });

  it('sends pre-encoded bytes merged with packages', async () => {
    const { session, conn } = makeSession();
    expect(session.sendBytes(frame('raw'))).toBe(true);
    session.send(Buffer.from('pkg'));
    await session.write(Buffer.from('end'));
    expect(conn.written).toHaveLength(1);
    expect(conn.written[0]!.equals(Buffer.concat([frame('raw'), frame('pkg'), frame('end')]))).toBe(true);
  });

  it('rejects writes on a closed session', async () => {
    const { session, conn } = makeSession();
    conn.destroy();
    expect(session.send(Buffer.from('x'))).toBe(false);
    expect(session.sendBytes(Buffer.from('x'))).toBe(false);
    await expect(session.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'GETTY_ERR_SESSION_CLOSED' });
    expect(session.writesRefused).toBe(2);
  });
});

/** Encodes into one buffer and reports ranges (as a slab codec does); `write` is never to be called. */
class SlabCodec extends LengthCodec {
  private slab = Buffer.allocUnsafeSlow(256);
  private pos = 0;
  ranges = 0;

  override write(): never {
    throw new Error('write called although writeRange is present');
  }

  writeRange(_s: Session<Buffer>, pkg: Buffer, out: { buf: Uint8Array; start: number; end: number }): void {
    if (this.slab.length - this.pos < 4 + pkg.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(256, 4 + pkg.length));
      this.pos = 0;
    }
    this.slab.writeUInt32BE(pkg.length, this.pos);
    pkg.copy(this.slab, this.pos + 4);
    out.buf = this.slab;
    out.start = this.pos;
    out.end = this.pos + 4 + pkg.length;
    this.pos = out.end;
    this.ranges++;
  }
}

describe('write engine', () => {
  it('sends what a codec reports through writeRange, merged per tick, byte for byte and in order', async () => {
    const codec = new SlabCodec();
    const { session, conn } = makeSession({}, codec);
    const sent = Array.from({ length: 60 }, (_, i) => Buffer.from(`w${i}-${'q'.repeat((i * 11) % 70)}`));
    for (const b of sent.slice(0, 40)) expect(session.send(b)).toBe(true);
    await new Promise((r) => setImmediate(r));
    for (const b of sent.slice(40)) expect(session.send(b)).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(codec.ranges).toBe(60);
    expect(conn.written.length).toBe(2); // one write per tick
    expect(Buffer.concat(conn.written).equals(Buffer.concat(sent.map((b) => frame(b))))).toBe(true);
    expect(session.packagesWritten).toBe(60);
  });
});
