import { decode, encode, Hessian2Decoder, Hessian2Encoder } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import { decodeJavaUtf8, utf8End } from '../src/internal/utf8.js';

/** hessian-lite's bytes for one UTF-16 unit (a surrogate on its own as 3 bytes). */
function javaUnit(c: number): number[] {
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 0x3f)];
  return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
}
const javaBytes = (s: string) =>
  Buffer.from([...s].flatMap((ch) => [...ch].flatMap((_, i) => javaUnit(ch.charCodeAt(i)))));

describe('text decoding (ASCII fast paths)', () => {
  // ASCII-led text is tried with the native decoder first and falls back to the Java-UTF-8 decoder; the first
  // non-ASCII unit may sit anywhere, at any alignment of the buffer.
  const lengths = [64, 65, 66, 67, 100, 203];
  const offsets = [0, 1, 2, 3, 5, 4093];
  it('reads ASCII and mixed text at every alignment and position of the first non-ASCII unit', () => {
    let checked = 0;
    for (const len of lengths) {
      for (const at of [-1, 0, 1, 2, 3, 4, 31, len - 5, len - 2, len - 1]) {
        const units = Array.from({ length: len }, (_, i) => 0x61 + (i % 26));
        if (at >= 0) units[at] = at % 2 === 0 ? 0x670d : 0xe9; // 3-byte and 2-byte units
        const s = String.fromCharCode(...units);
        const bytes = javaBytes(s);
        for (const off of offsets) {
          const ab = new ArrayBuffer(off + bytes.length + 8);
          const b = Buffer.from(ab, 0, ab.byteLength);
          b.fill(0xff); // non-ASCII around the text: the scan must not read past its end
          b.set(bytes, off);
          expect(decodeJavaUtf8(b, off, off + bytes.length, len)).toBe(s);
          expect(utf8End).toBe(off + bytes.length);
          checked++;
        }
      }
    }
    expect(checked).toBe(lengths.length * 10 * offsets.length);
  });

  it('reads the same text from views at different offsets of one ArrayBuffer', () => {
    const ab = new ArrayBuffer(4096);
    const whole = Buffer.from(ab);
    const s1 = 'x'.repeat(70);
    const s2 = `${'y'.repeat(66)}é${'z'.repeat(9)}`;
    whole.set(javaBytes(s1), 10);
    whole.set(javaBytes(s2), 2001);
    const v1 = Buffer.from(ab, 7, 100);
    const v2 = Buffer.from(ab, 1999, 200);
    expect(decodeJavaUtf8(v1, 3, 73, 70)).toBe(s1);
    expect(decodeJavaUtf8(v2, 2, 79, 76)).toBe(s2);
    expect(decodeJavaUtf8(Buffer.from(javaBytes(s2)), 0, 77, 76)).toBe(s2); // another ArrayBuffer
  });

  it('tells invalid bytes and a real U+FFFD in long ASCII-led text apart', () => {
    const bad = Buffer.from('a'.repeat(100));
    bad[70] = 0x80; // a lone continuation byte
    expect(decodeJavaUtf8(bad, 0, bad.length, 100)).toBe(70);
    bad[70] = 0xff;
    expect(decodeJavaUtf8(bad, 0, bad.length, 100)).toBe(70);
    const withReplacement = `${'b'.repeat(70)}\ufffd${'c'.repeat(9)}`;
    const bytes = javaBytes(withReplacement);
    expect(decodeJavaUtf8(bytes, 0, bytes.length, 80)).toBe(withReplacement);
    expect(utf8End).toBe(bytes.length);
  });

  it('reads every string of up to two units (the table of one- and two-character ASCII strings)', () => {
    const units = [0, 1, 0x20, 0x41, 0x7e, 0x7f, 0x80, 0xe9, 0x7ff, 0x800, 0x670d, 0xd800, 0xffff];
    const texts = [''];
    for (const a of units) {
      texts.push(String.fromCharCode(a));
      for (const b of units) texts.push(String.fromCharCode(a, b));
    }
    for (const s of texts) {
      const bytes = Buffer.concat([javaBytes(s), Buffer.from([0x80, 0x41])]); // bytes after the text stay unread
      for (let round = 0; round < 2; round++) {
        expect(decodeJavaUtf8(bytes, 0, bytes.length, s.length), JSON.stringify(s)).toBe(s);
        expect(utf8End).toBe(bytes.length - 2);
      }
      expect(decode(encode(s))).toBe(s);
    }
    expect(texts.length).toBe(1 + 13 + 169);
  });

  it('returns the right string for 28,000 short ASCII strings sharing the intern table, and non-ASCII at any unit', () => {
    // 3 to 24 units: the direct-mapped intern table (4096 slots) sees many collisions and near-equal texts
    let seed = 7;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const texts: string[] = [];
    for (let i = 0; i < 10000; i++) {
      const len = 3 + rnd(22);
      texts.push(String.fromCharCode(...Array.from({ length: len }, () => (rnd(4) === 0 ? rnd(3) : 0x20 + rnd(95)))));
    }
    for (let i = 0; i < 2000; i++) texts.push(`user${i}@example.com`, `user-${i}`);
    for (let at = 0; at < 24; at++)
      texts.push(String.fromCharCode(...Array.from({ length: 24 }, (_, i) => (i === at ? 0xe9 : 0x61))));
    for (const round of [0, 1]) {
      for (let i = 0; i < texts.length; i++) {
        const s = texts[round === 0 ? i : texts.length - 1 - i]!;
        const bytes = javaBytes(s);
        const b = Buffer.concat([Buffer.from([0xff]), bytes, Buffer.from([0xff])]);
        expect(decodeJavaUtf8(b, 1, b.length, s.length)).toBe(s);
        expect(utf8End).toBe(1 + bytes.length);
      }
    }
  });

  it('fails a long string cut short with HESSIAN_ERR_EOF', () => {
    const whole = encode('a'.repeat(80)); // 0x30 0x50 + 80 bytes
    expect(() => decode(whole.subarray(0, whole.length - 1))).toThrow(
      expect.objectContaining({ code: 'HESSIAN_ERR_EOF' }),
    );
    const mixed = encode(`${'a'.repeat(70)}服`);
    expect(() => decode(mixed.subarray(0, mixed.length - 1))).toThrow(
      expect.objectContaining({ code: 'HESSIAN_ERR_EOF' }),
    );
  });
});

describe('text encoding', () => {
  it('writes short text with a non-ASCII unit at any position as hessian-lite does', () => {
    const enc = new Hessian2Encoder();
    for (let len = 1; len <= 24; len++) {
      for (let at = 0; at < len; at++) {
        for (const unit of [0xe9, 0x670d, 0xd83d]) {
          const s = String.fromCharCode(...Array.from({ length: len }, (_, i) => (i === at ? unit : 0x61 + i)));
          enc.reset();
          enc.writeString(s);
          expect(enc.toBuffer()).toEqual(Buffer.concat([Buffer.from([len]), javaBytes(s)]));
        }
      }
    }
  });

  it('writes ASCII-looking text that is not ASCII exactly as hessian-lite does', () => {
    // First, middle and last units ASCII (the cache is skipped), non-ASCII in between.
    const s = `a${'服务'.repeat(20)}m${'é'.repeat(20)}z`;
    const enc = new Hessian2Encoder();
    enc.writeString(s);
    const out = enc.toBuffer();
    expect(out.subarray(2)).toEqual(javaBytes(s));
    expect(decode(out)).toBe(s);
  });

  it('writes a decoded string (a fresh object) and the same text again to the same bytes', () => {
    const text = 'p'.repeat(200);
    const first = encode(text);
    const again = encode(new Hessian2Decoder(first).readValue());
    expect(again).toEqual(first);
    const mixed = `服${'q'.repeat(100)}`;
    expect(encode(decode(encode(mixed)))).toEqual(encode(mixed));
  });
});
