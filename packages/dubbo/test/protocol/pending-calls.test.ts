import { describe, expect, it } from 'vitest';
import { PendingCalls } from '../../src/protocol/dubbo/pending-calls.js';

const call = (id: number) => ({ id });

describe('PendingCalls', () => {
  it('holds calls by id through set, get, has and delete', () => {
    const p = new PendingCalls<{ id: number }>();
    const a = call(5);
    p.set(a);
    expect(p.get(5)).toBe(a);
    expect(p.has(5)).toBe(true);
    expect(p.get(5 + 1024)).toBeUndefined(); // same slot, another id
    expect(p.delete(5 + 1024)).toBe(false);
    expect(p.delete(5)).toBe(true);
    expect(p.delete(5)).toBe(false);
    expect(p.size).toBe(0);
  });

  it('keeps a slow call when the counter laps it, without growing, and finds both', () => {
    const p = new PendingCalls<{ id: number }>();
    const slow = call(3);
    p.set(slow);
    // 100,000 later calls, one in flight at a time: they pass the slow call's slot ~100 times
    for (let id = 4; id < 100_004; id++) {
      const c = call(id);
      p.set(c);
      expect(p.get(id)).toBe(c);
      expect(p.delete(id)).toBe(true);
    }
    expect(p.get(3)).toBe(slow);
    expect(p.size).toBe(1);
    const lapped = call(3 + 1024 * 50);
    p.set(lapped); // its slot is the slow call's: overflow
    expect(p.get(3 + 1024 * 50)).toBe(lapped);
    expect(p.values().map((c) => c.id)).toEqual([3, 3 + 1024 * 50]);
    expect(p.delete(3 + 1024 * 50)).toBe(true);
    expect(p.get(3)).toBe(slow);
  });

  it('grows when more than half full and keeps every call', () => {
    const p = new PendingCalls<{ id: number }>();
    const ids = Array.from({ length: 5000 }, (_, i) => i * 3 + 7);
    for (const id of ids) p.set(call(id));
    expect(p.size).toBe(5000);
    for (const id of ids) expect(p.get(id)?.id).toBe(id);
    expect(new Set(p.values().map((c) => c.id))).toEqual(new Set(ids));
    for (const id of ids) expect(p.delete(id)).toBe(true);
    expect(p.size).toBe(0);
    expect(p.values()).toEqual([]);
  });
});
