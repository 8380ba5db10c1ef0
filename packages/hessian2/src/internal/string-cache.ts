/**
 * Adaptive cache of encoded strings (header + bytes), shared by all encoders: repeated strings (service and method
 * names, enum names, repeated payload fields) become one lookup and one copy. It watches its own hit rate and turns
 * itself off for a while when strings do not repeat, so unique text pays almost nothing.
 */
const MIN_LENGTH = 32;
const MAX_LENGTH = 8192;
const MAX_BYTES = 4 << 20;
const WINDOW = 2048;
const PAUSE = 1 << 16;

const map = new Map<string, Uint8Array>();
let bytes = 0;
let lookups = 0;
let hits = 0;
let paused = 0;

/** Whether a string of this length is worth looking up now. */
export function cacheable(len: number): boolean {
  if (len < MIN_LENGTH || len > MAX_LENGTH) return false;
  if (paused > 0) {
    paused--;
    return false;
  }
  return true;
}

/** The cached encoding of `s`, if any (counts towards the hit rate). */
export function lookup(s: string): Uint8Array | undefined {
  const hit = map.get(s);
  if (hit) hits++;
  if (++lookups >= WINDOW) {
    if (hits * 8 < lookups) {
      paused = PAUSE;
      map.clear();
      bytes = 0;
    }
    lookups = 0;
    hits = 0;
  }
  return hit;
}

/** Remembers the encoding of `s` (a copy of `encoded`). */
export function remember(s: string, encoded: Uint8Array): void {
  if (bytes + encoded.length > MAX_BYTES) {
    map.clear();
    bytes = 0;
  }
  map.set(s, Uint8Array.prototype.slice.call(encoded));
  bytes += encoded.length;
}
