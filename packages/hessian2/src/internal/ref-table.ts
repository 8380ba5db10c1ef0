/** Entries kept across messages at most (see {@link RefTable.reset}). */
const KEEP = 16384;
/** Ids stay small integers: the table starts over before they pass this. */
const ID_LIMIT = 1 << 29;

/**
 * The encoder's table of objects written (lists, maps, instances each get the next id, as in hessian-lite). Ids are
 * counted from the first id of the current message; entries below it are from earlier messages and mean nothing
 * now. Now and then the table is kept for one more message, and for as long as messages meet objects of earlier ones
 * (up to 16384 entries): re-encoding the same values (a cached response) then costs one lookup and an in-place
 * update per object instead of a new entry in a table regrown from its smallest size. Objects met once are dropped
 * at the next reset as before, so a workload of fresh objects keeps its memory and cost.
 */
export class RefTable {
  private map: Map<object, number> | null = null;
  /** The next id handed out, and the first of the current message. */
  private next = 0;
  private base = 0;
  /** Whether this message met an object of an earlier one; resets counted (kept every 16th on trial). */
  private reused = false;
  private resets = 0;

  /** The id `obj` got earlier in this message, or -1 after giving it the next id. */
  idOrAdd(obj: object): number {
    let m = this.map;
    if (m === null) m = this.map = new Map();
    const ref = m.get(obj);
    if (ref !== undefined) {
      if (ref >= this.base) return ref - this.base;
      this.reused = true; // written in an earlier message: a new id in this one
    }
    m.set(obj, this.next++);
    return -1;
  }

  /** The id `obj` got in this message, if it was written. */
  idOf(obj: object): number | undefined {
    const ref = this.map?.get(obj);
    return ref !== undefined && ref >= this.base ? ref - this.base : undefined;
  }

  /** Starts a new message: ids from 0 again. */
  reset(): void {
    const m = this.map;
    if (m !== null && m.size > 0) {
      this.resets = (this.resets + 1) & 15;
      if (!((this.reused || this.resets === 1) && m.size <= KEEP && this.next < ID_LIMIT)) {
        m.clear();
        this.next = 0;
      }
    }
    this.base = this.next;
    this.reused = false;
  }
}
