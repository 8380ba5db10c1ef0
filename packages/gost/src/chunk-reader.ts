import { GostError } from './errors.js';

/**
 * A reader over a chain of received chunks that does not copy them: bytes are appended with
 * {@link ChunkReader.push} and consumed from the front. A read that falls inside one chunk returns a view;
 * only a read spanning chunks copies.
 */
export class ChunkReader {
  private chunks: Buffer[] = [];
  private head = 0;
  /** Offset of the first unread byte in `chunks[head]`. */
  private offset = 0;
  private total = 0;

  /** Unread bytes held. */
  get length(): number {
    return this.total;
  }

  /** Appends a chunk (kept by reference). */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.total += chunk.length;
  }

  /** The byte at `index` from the read position, without consuming it. */
  peekUInt8(index = 0): number {
    if (index >= this.total || index < 0) this.underflow(index + 1);
    let i = this.head;
    let off = this.offset + index;
    while (off >= this.chunks[i]!.length) {
      off -= this.chunks[i]!.length;
      i++;
    }
    return this.chunks[i]![off]!;
  }

  /** A big-endian uint32 at `index` from the read position, without consuming it. */
  peekUInt32BE(index = 0): number {
    const c = this.chunks[this.head];
    if (c !== undefined && this.offset + index + 4 <= c.length) return c.readUInt32BE(this.offset + index);
    return (
      ((this.peekUInt8(index) << 24) |
        (this.peekUInt8(index + 1) << 16) |
        (this.peekUInt8(index + 2) << 8) |
        this.peekUInt8(index + 3)) >>>
      0
    );
  }

  /** Consumes `n` bytes: a view when they lie in one chunk, else one copy. */
  read(n: number): Buffer {
    if (n > this.total || n < 0) this.underflow(n);
    if (n === 0) return Buffer.alloc(0);
    const c = this.chunks[this.head]!;
    if (this.offset + n <= c.length) {
      const v = c.subarray(this.offset, this.offset + n);
      this.consume(n);
      return v;
    }
    const out = Buffer.allocUnsafe(n);
    let w = 0;
    while (w < n) {
      const cur = this.chunks[this.head]!;
      const take = Math.min(n - w, cur.length - this.offset);
      cur.copy(out, w, this.offset, this.offset + take);
      w += take;
      this.consume(take);
    }
    return out;
  }

  readUInt8(): number {
    const v = this.peekUInt8(0);
    this.consume(1);
    return v;
  }

  readUInt32BE(): number {
    const v = this.peekUInt32BE(0);
    this.consume(4);
    return v;
  }

  /** Drops `n` bytes. */
  skip(n: number): void {
    if (n > this.total || n < 0) this.underflow(n);
    this.consume(n);
  }

  /** Everything unread as one buffer (a view if it is one chunk) without consuming it. */
  peekAll(): Buffer {
    if (this.total === 0) return Buffer.alloc(0);
    const c = this.chunks[this.head]!;
    if (this.offset + this.total === c.length) return this.offset === 0 ? c : c.subarray(this.offset);
    const out = Buffer.allocUnsafe(this.total);
    let w = 0;
    for (let i = this.head; i < this.chunks.length; i++) {
      const cur = this.chunks[i]!;
      const from = i === this.head ? this.offset : 0;
      cur.copy(out, w, from);
      w += cur.length - from;
    }
    // Collapse to the single copied chunk so the next peek is free.
    this.chunks = [out];
    this.head = 0;
    this.offset = 0;
    return out;
  }

  private consume(n: number): void {
    this.total -= n;
    while (n > 0) {
      const c = this.chunks[this.head]!;
      const left = c.length - this.offset;
      if (n < left) {
        this.offset += n;
        return;
      }
      n -= left;
      this.chunks[this.head++] = undefined as unknown as Buffer;
      this.offset = 0;
    }
    if (this.head === this.chunks.length) {
      this.chunks.length = 0;
      this.head = 0;
    } else if (this.head > 64) {
      this.chunks.splice(0, this.head);
      this.head = 0;
    }
  }

  private underflow(n: number): never {
    throw new GostError('GOST_ERR_BUFFER_UNDERFLOW', `need ${n} bytes, have ${this.total}`);
  }
}
