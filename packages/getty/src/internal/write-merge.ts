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

/**
 * The packages a session merges in one tick. Whole packages are queued as given; byte ranges reported by a codec's
 * `writeRange` extend the previous range when they follow it in the same buffer, so a run of them costs one view,
 * made when the run ends, instead of one per package.
 */
export class OutQueue {
  /** Bytes queued. */
  bytes = 0;
  private list: Uint8Array[] = [];
  private runBuf: Uint8Array | null = null;
  private runStart = 0;
  private runEnd = 0;

  /** Whether nothing is queued. */
  get empty(): boolean {
    return this.bytes === 0 && this.list.length === 0 && this.runBuf === null;
  }

  /** Queues a whole package. */
  push(b: Uint8Array): void {
    if (this.runBuf !== null) this.endRun();
    this.list.push(b);
    this.bytes += b.length;
  }

  /** Queues `buf[start, end)`. */
  pushRange(buf: Uint8Array, start: number, end: number): void {
    if (buf === this.runBuf && start === this.runEnd) this.runEnd = end;
    else {
      if (this.runBuf !== null) this.endRun();
      this.runBuf = buf;
      this.runStart = start;
      this.runEnd = end;
    }
    this.bytes += end - start;
  }

  /**
   * Takes everything queued: one buffer for a single transport write, or a list for a writev (see
   * {@link mergeWrites}); `null` when empty.
   */
  take(): Uint8Array | Uint8Array[] | null {
    if (this.runBuf !== null) this.endRun();
    const q = this.list;
    const n = q.length;
    if (n === 0) return null;
    const merged = mergeWrites(q, n, this.bytes);
    this.bytes = 0;
    if (merged !== null) {
      q.length = 0;
      return merged;
    }
    this.list = [];
    return q;
  }

  /** Drops everything queued. */
  clear(): void {
    this.list = [];
    this.runBuf = null;
    this.bytes = 0;
  }

  private endRun(): void {
    const b = this.runBuf!;
    this.list.push(b.subarray(this.runStart, this.runEnd));
    this.runBuf = null;
  }
}
