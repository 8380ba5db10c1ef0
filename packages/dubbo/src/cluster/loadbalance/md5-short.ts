/**
 * MD5 of one short key, for `consistenthash`'s per-call lookup: Java hashes each call's key (the arguments as
 * text) with MD5 and reads the digest's first little-endian 32-bit word. Node's `crypto.hash` costs 1.6-3 us per
 * call in a tight loop and 6.5 us between network calls (a native call and OpenSSL's digest lookup, its code cold
 * after the event loop waited); `@noble/hashes`' md5 3.7 us (a hasher object per call). A key of at most 55 ASCII
 * characters fits MD5's one 64-byte block: computed here with no allocation in ~0.3 us. Anything longer or
 * not ASCII returns -1 and the caller takes the native digest.
 */

/** MD5's per-step constants, floor(|sin(i + 1)| * 2^32). */
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);
/** Per-step left-rotation amounts. */
const S = Uint8Array.from([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4,
  11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
]);
/** The message word each step reads. */
const G = Uint8Array.from({ length: 64 }, (_, i) =>
  i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16,
);
/** The one block, as little-endian words (reused: hashing is synchronous). */
const M = new Int32Array(16);

/** The longest key hashed here (55 bytes, the 0x80 terminator and the 8-byte length fill the 64-byte block). */
export const MD5_SHORT_MAX = 55;

/**
 * The first little-endian 32-bit word of MD5(`text`) as an unsigned number (Java's `hash(digest, 0)` in
 * `ConsistentHashLoadBalance`), when `text` is ASCII and at most {@link MD5_SHORT_MAX} characters; else -1.
 */
export function md5FirstWordAscii(text: string): number {
  const n = text.length;
  if (n > MD5_SHORT_MAX) return -1;
  M.fill(0);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return -1;
    M[i >> 2]! |= c << ((i & 3) << 3);
  }
  M[n >> 2]! |= 0x80 << ((n & 3) << 3);
  M[14] = n << 3; // the length in bits, little-endian 64-bit (the high word stays 0)
  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  for (let i = 0; i < 64; i++) {
    let f: number;
    if (i < 16) f = (b & c) | (~b & d);
    else if (i < 32) f = (d & b) | (~d & c);
    else if (i < 48) f = b ^ c ^ d;
    else f = c ^ (b | ~d);
    f = (f + a + K[i]! + M[G[i]!]!) | 0;
    a = d;
    d = c;
    c = b;
    const s = S[i]!;
    b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
  }
  return (a + 0x67452301) >>> 0;
}
