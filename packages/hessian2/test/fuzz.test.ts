import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Hessian2Decoder, HessianDecodeError } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

// Seeded fuzzing: mutated golden vectors and random bytes must give a value or a HessianDecodeError, nothing else.
// A failure prints the seed and case index; rerun with HESSIAN_FUZZ_SEED=<seed> to reproduce.
const SEED = Number(process.env.HESSIAN_FUZZ_SEED ?? 0x5eed2026);
const CASES = Number(process.env.HESSIAN_FUZZ_CASES ?? 100_000);

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dir = join(import.meta.dirname, 'golden');
const corpus = readdirSync(dir)
  .filter((f) => f.endsWith('.bin') && statSync(join(dir, f)).size <= 8192)
  .sort()
  .map((f) => readFileSync(join(dir, f)));

/** Interesting bytes: every tag class boundary of the grammar. */
const TAGS = [
  0x00, 0x1f, 0x20, 0x2f, 0x30, 0x33, 0x34, 0x37, 0x38, 0x3f, 0x41, 0x42, 0x43, 0x44, 0x46, 0x48, 0x49, 0x4a, 0x4b,
  0x4c, 0x4d, 0x4e, 0x4f, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
  0x60, 0x6f, 0x70, 0x77, 0x78, 0x7f, 0x80, 0xbf, 0xc0, 0xcf, 0xd0, 0xd7, 0xd8, 0xef, 0xf0, 0xff, 0xed, 0xe0, 0xf4,
  0xc2,
];

function mutate(r: () => number, src: Buffer): Buffer {
  const pick = (n: number) => Math.floor(r() * n);
  const b = Buffer.from(src);
  switch (pick(7)) {
    case 0: // bit flips
      for (let i = 0, n = 1 + pick(4); i < n && b.length; i++) b[pick(b.length)]! ^= 1 << pick(8);
      return b;
    case 1: // interesting byte
      if (b.length) b[pick(b.length)] = TAGS[pick(TAGS.length)]!;
      return b;
    case 2: // truncate
      return b.subarray(0, pick(b.length + 1));
    case 3: {
      // insert random bytes
      const at = pick(b.length + 1);
      const ins = Buffer.from(
        Array.from({ length: 1 + pick(8) }, () => (r() < 0.5 ? TAGS[pick(TAGS.length)]! : pick(256))),
      );
      return Buffer.concat([b.subarray(0, at), ins, b.subarray(at)]);
    }
    case 4: {
      // delete a range
      const at = pick(b.length + 1);
      return Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + pick(16))]);
    }
    case 5: {
      // splice two vectors
      const other = corpus[pick(corpus.length)]!;
      return Buffer.concat([b.subarray(0, pick(b.length + 1)), other.subarray(pick(other.length + 1))]);
    }
    default: // random bytes
      return Buffer.from(Array.from({ length: pick(64) }, () => (r() < 0.3 ? TAGS[pick(TAGS.length)]! : pick(256))));
  }
}

describe('fuzz', () => {
  it(`decodes ${CASES} mutated/random inputs to values or typed errors (seed ${SEED})`, () => {
    const r = rng(SEED);
    const dec = new Hessian2Decoder(undefined, { maxAllocation: 8 << 20, maxDepth: 64, maxLength: 1 << 20 });
    const bigDec = new Hessian2Decoder(undefined, { longAs: 'bigint', mapAs: 'object', exactDoubles: true });
    let values = 0;
    let errors = 0;
    const codes = new Map<string, number>();
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < CASES; i++) {
      const input = mutate(r, corpus[Math.floor(r() * corpus.length)]!);
      const d = i % 2 === 0 ? dec : bigDec;
      try {
        d.reset(input).readValue();
        values++;
      } catch (e) {
        if (!(e instanceof HessianDecodeError)) {
          throw new Error(`case ${i} (seed ${SEED}) threw ${String(e)} for input ${input.toString('hex')}`, {
            cause: e,
          });
        }
        expect(e.offset).toBeGreaterThanOrEqual(0);
        expect(e.offset).toBeLessThanOrEqual(input.length);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
        errors++;
      }
    }
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(
      `FUZZ hessian2: ${CASES} inputs (seed ${SEED}): ${values} values, ${errors} typed errors ${JSON.stringify(Object.fromEntries(codes))}, heap growth ${heapGrowthMb.toFixed(1)} MiB`,
    );
    expect(values + errors).toBe(CASES);
    expect(heapGrowthMb).toBeLessThan(512);
  }, 600_000);
});
