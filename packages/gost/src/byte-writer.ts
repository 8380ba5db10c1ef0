import { GostError } from './errors.js';

/** A growable byte writer (big-endian numbers). Reuse one with {@link ByteWriter.reset} to avoid allocation. */
export class ByteWriter {
  private buf: Buffer;
  /** Bytes written so far. */
  length = 0;

  /** @param initialCapacity - starting size in bytes (default 256); doubles as needed. */
  constructor(initialCapacity = 256) {
    if (!(initialCapacity >= 1)) throw new GostError('GOST_ERR_INVALID_ARG', 'initialCapacity must be >= 1');
    this.buf = Buffer.allocUnsafe(initialCapacity);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = Buffer.allocUnsafe(cap);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  writeUInt8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v;
    return this;
  }

  writeUInt16BE(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.length);
    this.length += 2;
    return this;
  }

  writeInt32BE(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.length);
    this.length += 4;
    return this;
  }

  writeUInt32BE(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.length);
    this.length += 4;
    return this;
  }

  writeBigInt64BE(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(v, this.length);
    this.length += 8;
    return this;
  }

  writeDoubleBE(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.length);
    this.length += 8;
    return this;
  }

  writeBytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Writes `s` as UTF-8; returns the number of bytes written. */
  writeUtf8(s: string): number {
    this.ensure(s.length * 3);
    const n = this.buf.write(s, this.length, 'utf8');
    this.length += n;
    return n;
  }

  /** Overwrites 4 bytes at `offset` (for a length prefix filled in after the body). */
  setUInt32BE(offset: number, v: number): void {
    this.buf.writeUInt32BE(v, offset);
  }

  /** A view of the bytes written; valid until the next write or reset. */
  view(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  /** A copy of the bytes written, safe to keep. */
  toBuffer(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.length));
  }

  /** Forgets the content and keeps the capacity. */
  reset(): void {
    this.length = 0;
  }
}
