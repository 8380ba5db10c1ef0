import { DubboError } from '../errors.js';

const HEX = '0123456789ABCDEF';

/** a-z A-Z 0-9 . - * _ : the characters java.net.URLEncoder leaves as they are. */
function isUnreserved(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2e ||
    c === 0x2d ||
    c === 0x2a ||
    c === 0x5f
  );
}

function pct(b: number): string {
  return `%${HEX[b >> 4]}${HEX[b & 0xf]}`;
}

/**
 * Percent-encodes `value` exactly as Java's `URL.encode` (java.net.URLEncoder with UTF-8) does:
 * `a-zA-Z0-9.-*_` kept, space becomes `+`, every other character becomes the `%XX` (upper-case hex) of its
 * UTF-8 bytes (so `~` is `%7E`). A lone surrogate becomes `%3F` (`?`), as Java's encoder writes it.
 * An empty string (or `undefined`/`null`) gives `''`.
 *
 * @param value - The text to encode.
 */
export function urlEncode(value: string | null | undefined): string {
  if (!value) return '';
  const len = value.length;
  let i = 0;
  while (i < len && isUnreserved(value.charCodeAt(i))) i++;
  if (i === len) return value;
  let out = value.slice(0, i);
  for (; i < len; i++) {
    const c = value.charCodeAt(i);
    if (isUnreserved(c)) {
      out += value[i];
    } else if (c === 0x20) {
      out += '+';
    } else if (c < 0x80) {
      out += pct(c);
    } else if (c < 0x800) {
      out += pct(0xc0 | (c >> 6)) + pct(0x80 | (c & 0x3f));
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < len ? value.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out +=
          pct(0xf0 | (cp >> 18)) +
          pct(0x80 | ((cp >> 12) & 0x3f)) +
          pct(0x80 | ((cp >> 6) & 0x3f)) +
          pct(0x80 | (cp & 0x3f));
        i++;
      } else {
        out += '%3F';
      }
    } else {
      out += pct(0xe0 | (c >> 12)) + pct(0x80 | ((c >> 6) & 0x3f)) + pct(0x80 | (c & 0x3f));
    }
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

const utf8 = new TextDecoder('utf-8');

/**
 * UTF-8 to string as Java's `new String(bytes, UTF_8)`: like TextDecoder, except that a 3-byte sequence encoding a
 * surrogate (ED A0..BF 80..BF) becomes one U+FFFD where TextDecoder writes three.
 */
function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  let start = 0;
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (
      bytes[i] === 0xed &&
      (bytes[i + 1] as number) >= 0xa0 &&
      (bytes[i + 1] as number) <= 0xbf &&
      (bytes[i + 2] as number) >= 0x80 &&
      (bytes[i + 2] as number) <= 0xbf
    ) {
      out += `${utf8.decode(bytes.subarray(start, i))}\uFFFD`;
      start = i + 3;
      i += 2;
    }
  }
  return start === 0 ? utf8.decode(bytes) : out + utf8.decode(bytes.subarray(start));
}

/**
 * Decodes `value` as Java's `URL.decode` (java.net.URLDecoder with UTF-8) does: `+` becomes a space, each run of
 * `%XX` escapes is decoded as UTF-8 (malformed bytes become U+FFFD). An empty string (or `undefined`/`null`)
 * gives `''`.
 *
 * @param value - The percent-encoded text.
 * @throws DubboError `DUBBO_ERR_URL_DECODE` on a truncated escape or non-hex digits.
 */
export function urlDecode(value: string | null | undefined): string {
  if (!value) return '';
  const len = value.length;
  let i = 0;
  while (i < len) {
    const c = value.charCodeAt(i);
    if (c === 0x25 || c === 0x2b) break;
    i++;
  }
  if (i === len) return value;
  let out = value.slice(0, i);
  let bytes: Uint8Array | undefined;
  while (i < len) {
    const c = value.charCodeAt(i);
    if (c === 0x2b) {
      out += ' ';
      i++;
    } else if (c === 0x25) {
      bytes ??= new Uint8Array(Math.ceil((len - i) / 3));
      let n = 0;
      while (i < len && value.charCodeAt(i) === 0x25) {
        if (i + 2 >= len) {
          throw new DubboError('DUBBO_ERR_URL_DECODE', `incomplete trailing escape (%) pattern at index ${i}`);
        }
        // Java parses the two chars with Integer.parseInt(s, 16), which also takes a '+' sign: "%+1" is 0x01.
        const h = value.charCodeAt(i + 1);
        const hi = h === 0x2b ? 0 : hexValue(h);
        const lo = hexValue(value.charCodeAt(i + 2));
        if (hi < 0 || lo < 0) {
          throw new DubboError('DUBBO_ERR_URL_DECODE', `illegal hex characters in escape (%) pattern at index ${i}`);
        }
        bytes[n++] = (hi << 4) | lo;
        i += 3;
      }
      out += decodeUtf8(bytes.subarray(0, n));
    } else {
      out += value[i];
      i++;
    }
  }
  return out;
}
