import { ByteWriter, ChunkReader, GostError } from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';

describe('ByteWriter', () => {
  it('grows and writes big-endian values', () => {
    const w = new ByteWriter(2);
    w.writeUInt8(1).writeUInt16BE(0x0203).writeInt32BE(-1).writeUInt32BE(0xdeadbeef);
    w.writeBigInt64BE(5n).writeDoubleBE(1.5).writeBytes(Uint8Array.of(9, 9));
    expect(w.writeUtf8('h€')).toBe(4);
    const b = w.toBuffer();
    expect(b.length).toBe(1 + 2 + 4 + 4 + 8 + 8 + 2 + 4);
    expect(b.readUInt16BE(1)).toBe(0x0203);
    expect(b.readInt32BE(3)).toBe(-1);
    expect(b.readUInt32BE(7)).toBe(0xdeadbeef);
    expect(b.readBigInt64BE(11)).toBe(5n);
    expect(b.readDoubleBE(19)).toBe(1.5);
    expect(b.subarray(29).toString('utf8')).toBe('h€');
    w.setUInt32BE(3, 7);
    expect(w.view().readUInt32BE(3)).toBe(7);
    w.reset();
    expect(w.view().length).toBe(0);
  });
});

describe('ChunkReader', () => {
  it('reads across chunks, returning views inside one chunk', () => {
    const data = Buffer.from(Array.from({ length: 40 }, (_, i) => i));
    const r = new ChunkReader();
    r.push(data.subarray(0, 3));
    r.push(data.subarray(3, 10));
    r.push(data.subarray(10));
    expect(r.length).toBe(40);
    expect(r.peekUInt32BE(1)).toBe(0x01020304);
    expect(r.readUInt8()).toBe(0);
    const a = r.read(2);
    expect([...a]).toEqual([1, 2]);
    expect(a.buffer).toBe(data.buffer); // a view, not a copy
    expect([...r.read(5)]).toEqual([3, 4, 5, 6, 7]);
    expect(r.readUInt32BE()).toBe(0x08090a0b);
    r.skip(4);
    expect([...r.peekAll()]).toEqual(Array.from({ length: 24 }, (_, i) => i + 16));
    expect(r.length).toBe(24);
    expect(() => r.read(25)).toThrow(GostError);
    r.skip(24);
    expect(r.length).toBe(0);
  });
});
