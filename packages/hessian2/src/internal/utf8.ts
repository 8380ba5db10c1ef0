/**
 * Text as hessian-lite writes and reads it: every UTF-16 unit on its own as 1-3 bytes of UTF-8 (so a surrogate
 * pair is two 3-byte sequences, "CESU-8"); lengths count UTF-16 units. 4-byte UTF-8 from other writers is read too.
 */

/** Node's unchecked Buffer methods (present on every Buffer, not in the typings). */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
  ucs2Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number): number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Reused UTF-16 scratch for non-ASCII strings (decoding is synchronous, so one per process is enough). */
let scratch = new Uint16Array(1024);
let scratchBytes = Buffer.from(scratch.buffer);

const fcc = String.fromCharCode;

/** A short ASCII string in one `fromCharCode` call (cheaper than a native slice for a few bytes). */
function shortAscii(b: Buffer, p: number, len: number): string {
  switch (len) {
    case 0:
      return '';
    case 1:
      return fcc(b[p]!);
    case 2:
      return fcc(b[p]!, b[p + 1]!);
    case 3:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!);
    case 4:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
    case 5:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!);
    case 6:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!);
    case 7:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!);
    default:
      return fcc(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
  }
}

/** Strings of one ASCII character (at their code) and of two (at `128 + (first << 7 | second)`). */
const TINY: (string | undefined)[] = new Array(128 + (1 << 14)).fill(undefined);

const INTERN_MAX = 24;
const INTERN_SLOTS = 4096;
const interned: (string | undefined)[] = new Array(INTERN_SLOTS).fill(undefined);

/** Words of the interned strings' bytes (little-endian, zero-padded), `INTERN_WORDS` per slot, and their lengths. */
const INTERN_WORDS = INTERN_MAX / 4;
const internWords = new Int32Array(INTERN_SLOTS * INTERN_WORDS);
const internLengths = new Uint8Array(INTERN_SLOTS);
/** The words of the string being looked up. */
const words = new Int32Array(INTERN_WORDS);

/**
 * Short ASCII strings (map keys, field and class names, enum names, small repeated values) come back as the same
 * string object each time: no new string, and V8's cached hash makes the following Map/property insert cheap.
 * A two-way table checked against a copy of each string's bytes as words (a few integer compares, no
 * access to the string itself). Returns `undefined` when the text is not all ASCII.
 */
function internAscii(b: Buffer, p: number, len: number): string | undefined {
  const w = words;
  let h = len;
  let high = 0;
  let k = 0;
  let q = p;
  const end = p + len;
  // four bytes per step: the loads are independent, so the multiply chain is a quarter as long as byte by byte
  for (const end4 = end - 3; q < end4; q += 4) {
    const x = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
    high |= x;
    w[k++] = x;
    h = Math.imul(h ^ x, 0x9e3779b1);
  }
  if (q < end) {
    const r = end - q;
    const x = r === 1 ? b[q]! : r === 2 ? b[q]! | (b[q + 1]! << 8) : b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16);
    high |= x;
    w[k++] = x;
    h = Math.imul(h ^ x, 0x9e3779b1);
  }
  if ((high & 0x80808080) !== 0) return undefined;
  // two-way: a string lives in either slot of its pair, so two texts of one message that hash alike both stay
  const slot = (h ^ (h >>> 15)) & (INTERN_SLOTS - 2);
  const at = slot * INTERN_WORDS;
  if (internLengths[slot] === len) {
    let i = 0;
    while (i < k && internWords[at + i] === w[i]) i++;
    if (i === k) return interned[slot];
  }
  if (internLengths[slot + 1] === len) {
    const at1 = at + INTERN_WORDS;
    let i = 0;
    while (i < k && internWords[at1 + i] === w[i]) i++;
    if (i === k) return interned[slot + 1];
  }
  // the older entry of the pair goes, the newer moves to the second slot
  interned[slot + 1] = interned[slot];
  internLengths[slot + 1] = internLengths[slot]!;
  internWords.copyWithin(at + INTERN_WORDS, at, at + INTERN_WORDS);
  const n = len <= 8 ? shortAscii(b, p, len) : (b as FastBuffer).latin1Slice(p, end);
  interned[slot] = n;
  internLengths[slot] = len;
  for (let i = 0; i < k; i++) internWords[at + i] = w[i]!;
  return n;
}

/**
 * The string of `len` (at most {@link SHORT_TEXT}) bytes at `b[p]` when they are all ASCII (the caller checked they
 * are in the input), from the tables: one- and two-character strings by index, longer ones interned. `undefined`
 * for other text.
 */
export function shortAsciiText(b: Buffer, p: number, len: number): string | undefined {
  if (len > 2) return internAscii(b, p, len);
  if (len === 0) return '';
  const c0 = b[p]!;
  const c1 = len === 2 ? b[p + 1]! : 0;
  if ((c0 | c1) >= 0x80) return undefined;
  const k = len === 1 ? c0 : 128 + ((c0 << 7) | c1);
  return TINY[k] ?? (TINY[k] = len === 1 ? fcc(c0) : fcc(c0, c1));
}
/** The longest text {@link shortAsciiText} reads. */
export const SHORT_TEXT = INTERN_MAX;

/** End offset of the text read by the last successful {@link decodeJavaUtf8} call (avoids a result object). */
export let utf8End = 0;

/**
 * Decodes `len` UTF-16 units from `b[start, end)`. Returns the string (and sets {@link utf8End}), or a number on
 * failure: `-1` when the input ends first, else the offset of a malformed byte. ASCII goes through one native
 * slice; other text is decoded in one pass into a reused UTF-16 scratch that becomes the string with one copy.
 */
export function decodeJavaUtf8(b: Buffer, start: number, end: number, len: number): string | number {
  const asciiEnd = start + len;
  if (len >= 64 && b[start]! < 0x80) {
    // Most long text is ASCII: Node's native UTF-8 decoder (SIMD over ASCII) reads it faster than any JS scan.
    // `len` bytes giving `len` characters, none of them U+FFFD (what an invalid byte becomes), were all ASCII.
    const s = (b as FastBuffer).utf8Slice(start, asciiEnd);
    if (s.length === len && s.indexOf('\ufffd') < 0) {
      utf8End = asciiEnd;
      return s;
    }
  }
  if (len <= 2) {
    // up to two ASCII characters: a table indexed by the bytes (no hash, no compare)
    if (len === 0) {
      utf8End = start;
      return '';
    }
    const c0 = b[start]!;
    const c1 = len === 2 ? b[start + 1]! : 0;
    if (c0 < 0x80 && c1 < 0x80) {
      const k = len === 1 ? c0 : 128 + ((c0 << 7) | c1);
      utf8End = start + len;
      return TINY[k] ?? (TINY[k] = len === 1 ? fcc(c0) : fcc(c0, c1));
    }
  }
  let p = start;
  if (len <= INTERN_MAX) {
    const s = internAscii(b, start, len);
    if (s !== undefined) {
      utf8End = asciiEnd;
      return s;
    }
    while (b[p]! < 0x80) p++;
  } else {
    while (p < asciiEnd && b[p]! < 0x80) p++;
    if (p === asciiEnd) {
      utf8End = p;
      return (b as FastBuffer).latin1Slice(start, p);
    }
  }
  let i = p - start;
  if (scratch.length < len) {
    scratch = new Uint16Array(Math.max(len, scratch.length * 2));
    scratchBytes = Buffer.from(scratch.buffer);
  }
  const u = scratch;
  for (let k = 0; k < i; k++) u[k] = b[start + k]!;
  // Fast loop while 4 bytes always remain (no bounds checks), then the checked loop for the tail.
  const fastEnd = end - 4;
  while (i < len && p <= fastEnd) {
    const c = b[p]!;
    if (c < 0x80) {
      u[i++] = c;
      p++;
    } else if (c >= 0xe0 && c < 0xf0) {
      u[i++] = ((c & 0x0f) << 12) | ((b[p + 1]! & 0x3f) << 6) | (b[p + 2]! & 0x3f);
      p += 3;
    } else if (c >= 0xc0 && c < 0xe0) {
      u[i++] = ((c & 0x1f) << 6) | (b[p + 1]! & 0x3f);
      p += 2;
    } else break; // 4-byte sequences and malformed bytes: the checked loop decides
  }
  while (i < len) {
    if (p >= end) return -1;
    const c = b[p]!;
    if (c < 0x80) {
      u[i++] = c;
      p++;
    } else if (c < 0xe0) {
      if (c < 0xc0) return p;
      if (p + 2 > end) return -1;
      u[i++] = ((c & 0x1f) << 6) | (b[p + 1]! & 0x3f);
      p += 2;
    } else if (c < 0xf0) {
      if (p + 3 > end) return -1;
      u[i++] = ((c & 0x0f) << 12) | ((b[p + 1]! & 0x3f) << 6) | (b[p + 2]! & 0x3f);
      p += 3;
    } else if (c < 0xf5) {
      if (p + 4 > end) return -1;
      if (i + 2 > len) return p;
      const cp =
        (((c & 0x07) << 18) | ((b[p + 1]! & 0x3f) << 12) | ((b[p + 2]! & 0x3f) << 6) | (b[p + 3]! & 0x3f)) - 0x10000;
      u[i++] = 0xd800 + ((cp >> 10) & 0x3ff);
      u[i++] = 0xdc00 + (cp & 0x3ff);
      p += 4;
    } else return p;
  }
  utf8End = p;
  if (LITTLE_ENDIAN) return (scratchBytes as FastBuffer).ucs2Slice(0, len * 2);
  let s = '';
  for (let k = 0; k < len; k += 8192)
    s += String.fromCharCode.apply(null, u.subarray(k, Math.min(len, k + 8192)) as any);
  return s;
}

const REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

/** Whether native UTF-8 output in `b[from, to)` may differ from Java's (4-byte sequences or U+FFFD present). */
function hasSurrogateMarks(b: Buffer, from: number, to: number): boolean {
  const view = b.subarray(from, to);
  for (let lead = 0xf0; lead <= 0xf4; lead++) if (view.indexOf(lead) >= 0) return true;
  return view.indexOf(REPLACEMENT) >= 0;
}
/**
 * Writes `s[off, off+len)` at `b[p]` as hessian-lite does (the caller made room for `len * 3` bytes); returns the
 * new end. Native UTF-8 equals Java's bytes unless the text holds surrogates: a pair becomes a 4-byte sequence
 * (lead 0xf0-0xf4) and a lone one U+FFFD (ef bf bd); those marks are looked for in the output (memchr), and only
 * then is the text written unit by unit.
 */
export function encodeJavaUtf8(b: Buffer, p: number, s: string, off: number, len: number): number {
  const end = off + len;
  if (len > 24) {
    const part = off === 0 && end === s.length ? s : s.slice(off, end);
    const n = (b as FastBuffer).utf8Write(part, p);
    if (n === len || !hasSurrogateMarks(b, p, p + n)) return p + n;
  }
  for (let i = off; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) b[p++] = c;
    else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else {
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
}

/**
 * hessian-lite writes a float as `Double.parseDouble(String.valueOf(f))`: the double nearest the float's shortest
 * decimal form (0.1f is written as 0.1, not 0.10000000149011612).
 */
export function floatAsJavaWritesIt(v: number): number {
  const f = Math.fround(v);
  if (!Number.isFinite(f) || Number.isInteger(f)) return f;
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}
