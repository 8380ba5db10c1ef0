import type { Codec, Decoded, Session } from '@dubbo-ts/getty';

/** A test codec: 4-byte big-endian body length, then the body. Packages are Buffers (views when possible). */
export class LengthCodec implements Codec<Buffer> {
  private readonly out: Decoded<Buffer> = { pkg: Buffer.alloc(0), length: 0 };
  reads = 0;

  read(_s: Session<Buffer>, bytes: Buffer): Decoded<Buffer> | number | null {
    this.reads++;
    if (bytes.length < 4) return null;
    const len = bytes.readUInt32BE(0);
    if (len === 0xffffffff) throw new Error('poison header');
    if (bytes.length < 4 + len) return 4 + len;
    this.out.pkg = bytes.subarray(4, 4 + len);
    this.out.length = 4 + len;
    return this.out;
  }

  write(_s: Session<Buffer>, pkg: Buffer): Uint8Array {
    const b = Buffer.allocUnsafe(4 + pkg.length);
    b.writeUInt32BE(pkg.length, 0);
    pkg.copy(b, 4);
    return b;
  }
}

/** The same framing through `readAt` (offsets into the engine's buffer); `read` is never to be called. */
export class RangeLengthCodec extends LengthCodec {
  ranged = 0;

  override read(): never {
    throw new Error('read called although readAt is present');
  }

  readAt(_s: Session<Buffer>, bytes: Buffer, offset: number, end: number): Decoded<Buffer> | number | null {
    this.ranged++;
    if (end - offset < 4) return null;
    const len = bytes.readUInt32BE(offset);
    if (end - offset < 4 + len) return 4 + len;
    return { pkg: bytes.subarray(offset + 4, offset + 4 + len), length: 4 + len };
  }
}

export function frame(body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const h = Buffer.alloc(4);
  h.writeUInt32BE(b.length, 0);
  return Buffer.concat([h, b]);
}

/** Resolves when `cond()` is true, polling; rejects after `ms`. */
export async function until(cond: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
