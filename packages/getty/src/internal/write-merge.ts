// How the packages merged in one tick become one transport write.

/**
 * One buffer holding `q[0..n)` (`total` bytes) for a single transport write, or `null` when a writev suits better:
 * - one package as is;
 * - adjacent views of one buffer (a codec encoding into a slab hands them out) as one view, nothing copied;
 * - small packages copied into one buffer: a writev costs a `Writable#write` per package (~200 requests of 469
 *   bytes in one dubbo flush), far more than copying their bytes;
 * - `null` for large ones (copying them would cost more than the writev).
 */
export function mergeWrites(q: readonly Uint8Array[], n: number, total: number): Uint8Array | null {
  const first = q[0]!;
  if (n === 1) return first;
  if (backToBack(q, n)) return Buffer.from(first.buffer, first.byteOffset, total);
  if (total <= 65536 || (total <= 1 << 20 && total <= n * 4096)) {
    const buf = Buffer.allocUnsafe(total);
    let off = 0;
    for (let i = 0; i < n; i++) {
      const b = q[i]!;
      buf.set(b, off);
      off += b.length;
    }
    return buf;
  }
  return null;
}

/** Whether `q[0..n)` are adjacent views of one buffer, in order. */
function backToBack(q: readonly Uint8Array[], n: number): boolean {
  const first = q[0]!;
  const ab = first.buffer;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < n; i++) {
    const b = q[i]!;
    if (b.buffer !== ab || b.byteOffset !== end) return false;
    end += b.length;
  }
  return true;
}
