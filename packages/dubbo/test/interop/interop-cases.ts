// Helpers of the interop test files: a case table that counts what passed and failed and prints
// `INTEROP <label>: N passed, M failed` after the file, and a structural normal form to compare values that crossed
// a wire (a Java long may come back as a number, a bigint or a Long; a Date subclass must keep its class).
import { JavaValue, Long } from '@dubbo-ts/hessian2';
import { afterAll, expect, it } from 'vitest';

/** Registers interop cases as vitest tests and prints their counts when the file ends. */
export function interopCases(label: string): {
  check(name: string, fn: () => Promise<unknown> | unknown, timeoutMs?: number): void;
  counts(): { passed: number; failed: number };
} {
  const passed: string[] = [];
  const failed: { name: string; reason: string }[] = [];
  afterAll(() => {
    const lines = [`INTEROP ${label}: ${passed.length} passed, ${failed.length} failed`];
    for (const f of failed) lines.push(`  FAIL ${f.name}: ${f.reason}`);
    console.log(lines.join('\n'));
  });
  return {
    check(name, fn, timeoutMs) {
      it(
        name,
        async () => {
          try {
            await fn();
            passed.push(name);
          } catch (err) {
            failed.push({ name, reason: String(err instanceof Error ? err.message : err).slice(0, 300) });
            throw err;
          }
        },
        timeoutMs,
      );
    },
    counts: () => ({ passed: passed.length, failed: failed.length }),
  };
}

/**
 * A normal form for comparing values across a wire: integers (number, bigint, `Long`) become bigints, `java.*`
 * wrappers their value (an enum constant `{ name }`), dates `{ date: class name, ms }`, typed arrays Buffers, class instances plain objects,
 * Maps Maps of normal forms. Non-integral numbers, strings, booleans and null stay.
 */
export function norm(v: unknown, depth = 0): unknown {
  if (depth > 64) throw new Error('norm: too deep (a cycle?)');
  if (v === undefined || v === null) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v !== 'object') return v;
  if (Long.isLong(v)) return BigInt((v as Long).toString());
  if (v instanceof JavaValue) {
    // an enum constant decodes as `{ name }` (with its Java class in JAVA_TYPE)
    if (v.shape === 'enum') return { name: v.value };
    return norm(v.value, depth + 1);
  }
  if (v instanceof Date) return { date: v.constructor.name, ms: v.getTime() };
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return v.map((x) => norm(x, depth + 1));
  if (v instanceof Set) return [...v].map((x) => norm(x, depth + 1));
  if (v instanceof Map) {
    const m = new Map<unknown, unknown>();
    for (const [k, x] of v) m.set(norm(k, depth + 1), norm(x, depth + 1));
    return m;
  }
  if (v instanceof Error) return { error: v.constructor.name, message: v.message };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = norm((v as Record<string, unknown>)[k], depth + 1);
  return out;
}

/** Asserts two values are the same after crossing a wire (see {@link norm}). */
export function expectSame(actual: unknown, expected: unknown): void {
  expect(norm(actual)).toEqual(norm(expected));
}

/** The bytes Java's InteropConsumer sends: `(i * 31 + 7) & 0xff`. */
export function bytes(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

/** Runs `total` calls with `inflight` of them pending at any time; resolves with the failures (at most 5 kept). */
export async function load(
  total: number,
  inflight: number,
  call: (i: number) => Promise<void>,
): Promise<{ errors: number; first: string[] }> {
  let next = 0;
  let errors = 0;
  const first: string[] = [];
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      try {
        await call(i);
      } catch (err) {
        errors++;
        if (first.length < 5) first.push(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, worker));
  return { errors, first };
}
