/** What {@link PendingCalls} holds: anything with a numeric id. */
interface HasId {
  readonly id: number;
}

/**
 * Calls waiting for their response, by request id. Ids come from a counter, so a call sits in slot `id & mask` of
 * an array (an index instead of a hash per set/get/delete); a call whose slot is still taken by an older one (a
 * slow call the counter lapped) goes to an overflow map, so one stuck call never makes the array grow. The array
 * doubles when more than half of it is in use.
 */
export class PendingCalls<C extends HasId> {
  private slots: (C | undefined)[] = new Array(1024).fill(undefined);
  private mask = 1023;
  private readonly overflow = new Map<number, C>();
  private count = 0;

  /** Number of calls held. */
  get size(): number {
    return this.count;
  }

  /** Adds a call (its id must not be held already). */
  set(call: C): void {
    if (this.count >= this.slots.length >> 1) this.grow();
    const i = call.id & this.mask;
    if (this.slots[i] === undefined) this.slots[i] = call;
    else this.overflow.set(call.id, call);
    this.count++;
  }

  /** The call with this id, if held. */
  get(id: number): C | undefined {
    const c = this.slots[id & this.mask];
    if (c !== undefined && c.id === id) return c;
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  /** Whether a call with this id is held. */
  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  /** Removes the call with this id; returns whether it was held. */
  delete(id: number): boolean {
    const i = id & this.mask;
    const c = this.slots[i];
    if (c !== undefined && c.id === id) {
      this.slots[i] = undefined;
      this.count--;
      return true;
    }
    if (this.overflow.size > 0 && this.overflow.delete(id)) {
      this.count--;
      return true;
    }
    return false;
  }

  /** A snapshot of the calls held. */
  values(): C[] {
    const out: C[] = [];
    for (const c of this.slots) if (c !== undefined) out.push(c);
    for (const c of this.overflow.values()) out.push(c);
    return out;
  }

  private grow(): void {
    const old = this.slots;
    const moved = [...this.overflow.values()];
    this.slots = new Array(old.length * 2).fill(undefined);
    this.mask = this.slots.length - 1;
    this.overflow.clear();
    this.count = 0;
    for (const c of old) if (c !== undefined) this.set(c);
    for (const c of moved) this.set(c);
  }
}
