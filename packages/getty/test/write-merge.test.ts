import { describe, expect, it } from 'vitest';
import { mergeWrites, OutQueue } from '../src/internal/write-merge.js';

const total = (q: Uint8Array[]) => q.reduce((n, b) => n + b.length, 0);
const concat = (q: Uint8Array[]) => Buffer.concat(q);

describe('mergeWrites', () => {
  const slab = Buffer.allocUnsafeSlow(1000); // its own ArrayBuffer (small Buffer.from / allocUnsafe share a pool)
  for (let i = 0; i < slab.length; i++) slab[i] = i & 0xff;

  it('writes adjacent views of one buffer as one view of it (nothing copied)', () => {
    const q = [slab.subarray(10, 100), slab.subarray(100, 350), slab.subarray(350, 351)];
    const out = mergeWrites(q, q.length, total(q))!;
    expect(out.buffer).toBe(slab.buffer);
    expect(out.byteOffset).toBe(slab.byteOffset + 10);
    expect(Buffer.from(out).equals(concat(q))).toBe(true);
  });

  it('copies views that are not back to back, in order', () => {
    const gap = [slab.subarray(0, 10), slab.subarray(11, 20)];
    const swapped = [slab.subarray(10, 20), slab.subarray(0, 10)];
    const other = [slab.subarray(0, 10), Buffer.from(slab.subarray(10, 20))];
    for (const q of [gap, swapped, other]) {
      const out = mergeWrites(q, q.length, total(q))!;
      expect(out.buffer).not.toBe(slab.buffer);
      expect(Buffer.from(out).equals(concat(q))).toBe(true);
    }
  });

  it('passes one package through and leaves large separate ones to writev', () => {
    const one = [slab.subarray(5, 9)];
    expect(mergeWrites(one, 1, 4)).toBe(one[0]);
    const large = [Buffer.alloc(300_000), Buffer.alloc(300_000)];
    expect(mergeWrites(large, 2, 600_000)).toBeNull();
  });
});

describe('OutQueue', () => {
  const slab = Buffer.allocUnsafeSlow(4096);
  for (let i = 0; i < slab.length; i++) slab[i] = (i * 13) & 0xff;

  it('turns ranges that follow each other into one view of their buffer', () => {
    const q = new OutQueue();
    q.pushRange(slab, 100, 150);
    q.pushRange(slab, 150, 400);
    q.pushRange(slab, 400, 401);
    expect(q.bytes).toBe(301);
    const out = q.take() as Uint8Array;
    expect(out.buffer).toBe(slab.buffer);
    expect(Buffer.from(out).equals(slab.subarray(100, 401))).toBe(true);
    expect(q.empty).toBe(true);
    expect(q.take()).toBeNull();
  });

  it('keeps the order of whole packages and ranges, with gaps and other buffers between them', () => {
    const other = Buffer.allocUnsafeSlow(64).fill(7);
    const q = new OutQueue();
    const parts: Uint8Array[] = [];
    const range = (b: Buffer, s: number, e: number) => {
      q.pushRange(b, s, e);
      parts.push(b.subarray(s, e));
    };
    const whole = (b: Uint8Array) => {
      q.push(b);
      parts.push(b);
    };
    range(slab, 0, 10);
    range(slab, 10, 20);
    whole(Buffer.from('plain'));
    range(slab, 20, 30); // follows the first run in the buffer, but a package came between
    range(slab, 40, 50); // a gap
    range(other, 0, 64);
    range(slab, 50, 60);
    const out = q.take() as Uint8Array;
    expect(Buffer.from(out).equals(Buffer.concat(parts))).toBe(true);
    q.pushRange(slab, 0, 5);
    q.clear();
    expect(q.empty).toBe(true);
    expect(q.take()).toBeNull();
  });
});
