/** Map entries remembered per map: the first this many. */
const POSITIONS = 128;
/** Per position: the key's length, then its bytes as little-endian words (zero-padded, at most 24 bytes). */
const STRIDE = 7;
/** The longest key remembered. */
export const MEMO_KEY_MAX = 24;

/**
 * The string keys of the last map read, by position: maps read one after another often have the same keys in the
 * same order (rows of a list, the same map in every message), and then the key at position i is checked against
 * the bytes the key there had last time (sequential memory, no hash) instead of looked up in the intern table.
 * Only ASCII keys are remembered (their bytes are their text).
 */
export class KeyMemo {
  private readonly keys: (string | undefined)[] = new Array(POSITIONS).fill(undefined);
  private readonly words = new Int32Array(POSITIONS * STRIDE);

  /** The key remembered at `i` when `b[p, p+len)` are its bytes (the caller checked they are in the input). */
  get(i: number, b: Buffer, p: number, len: number): string | undefined {
    if (i >= POSITIONS) return undefined;
    const w = this.words;
    let k = i * STRIDE;
    if (w[k++] !== len) return undefined;
    const end = p + len;
    let q = p;
    for (; q + 3 < end; q += 4, k++) {
      if ((b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24)) !== w[k]) return undefined;
    }
    if (q < end) {
      const r = end - q;
      const x = r === 1 ? b[q]! : r === 2 ? b[q]! | (b[q + 1]! << 8) : b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16);
      if (x !== w[k]) return undefined;
    }
    return this.keys[i];
  }

  /** Remembers `key`, read from the ASCII bytes `b[p, p+len)`, at position `i`. */
  set(i: number, b: Buffer, p: number, len: number, key: string): void {
    if (i >= POSITIONS) return;
    const w = this.words;
    let k = i * STRIDE;
    w[k++] = len;
    const end = p + len;
    let q = p;
    for (; q + 3 < end; q += 4) w[k++] = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16) | (b[q + 3]! << 24);
    if (q < end) {
      const r = end - q;
      w[k] = r === 1 ? b[q]! : r === 2 ? b[q]! | (b[q + 1]! << 8) : b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16);
    }
    this.keys[i] = key;
  }
}
