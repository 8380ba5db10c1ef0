/**
 * Stores the low 32 bits of `v` big-endian at `b[p]` (byte stores: Buffer#writeInt32BE checks its arguments in JS on
 * every call).
 */
export function put32(b: Buffer, p: number, v: number): void {
  b[p] = v >>> 24;
  b[p + 1] = v >>> 16;
  b[p + 2] = v >>> 8;
  b[p + 3] = v;
}

const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Stores `v` as a big-endian IEEE double at `b[p]`. */
export function putF64(b: Buffer, p: number, v: number): void {
  F64[0] = v;
  const s = F64_BYTES;
  if (LITTLE_ENDIAN) {
    b[p] = s[7]!;
    b[p + 1] = s[6]!;
    b[p + 2] = s[5]!;
    b[p + 3] = s[4]!;
    b[p + 4] = s[3]!;
    b[p + 5] = s[2]!;
    b[p + 6] = s[1]!;
    b[p + 7] = s[0]!;
  } else b.set(s, p);
}
