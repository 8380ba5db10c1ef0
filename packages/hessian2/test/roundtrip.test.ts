import { decode, encode, Hessian2Decoder, Hessian2Encoder, java, Long } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

// Seeded property test: random JS values survive encode -> decode, alone and several per body.
const SEED = 0xc0ffee;

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

const EDGES = [
  0,
  1,
  -1,
  -16,
  -17,
  47,
  48,
  -2048,
  -2049,
  2047,
  2048,
  -262144,
  -262145,
  262143,
  262144,
  2 ** 31 - 1,
  -(2 ** 31),
];

function value(r: () => number, depth: number): { v: unknown; want: unknown } {
  const pick = (n: number) => Math.floor(r() * n);
  switch (pick(depth > 3 ? 8 : 11)) {
    case 0:
      return { v: null, want: null };
    case 1: {
      const b = r() < 0.5;
      return { v: b, want: b };
    }
    case 2: {
      const n = r() < 0.5 ? EDGES[pick(EDGES.length)]! : pick(2 ** 32) - 2 ** 31;
      return { v: n, want: n };
    }
    case 3: {
      const d = r() < 0.3 ? pick(1000) / 1000 : (r() - 0.5) * 10 ** pick(20);
      return { v: java.double(d), want: d };
    }
    case 4: {
      const l = Long.fromBits(pick(2 ** 32) | 0, r() < 0.5 ? 0 : pick(2 ** 32) | 0);
      return { v: l, want: l };
    }
    case 5: {
      const units = [0x41, 0x7f, 0x80, 0x7ff, 0x800, 0x670d, 0xfffd, 0xd83d, 0xde00];
      let s = '';
      const n = r() < 0.9 ? pick(40) : pick(70000);
      for (let i = 0; i < n; i++) s += String.fromCharCode(r() < 0.7 ? 0x61 + pick(26) : units[pick(units.length)]!);
      return { v: s, want: s };
    }
    case 6: {
      const d = new Date(pick(2 ** 40) - 2 ** 39);
      return { v: d, want: d };
    }
    case 7: {
      const b = Buffer.from(Array.from({ length: r() < 0.9 ? pick(40) : pick(20000) }, () => pick(256)));
      return { v: b, want: b };
    }
    case 8: {
      const items = Array.from({ length: pick(12) }, () => value(r, depth + 1));
      return { v: items.map((x) => x.v), want: items.map((x) => x.want) };
    }
    case 9: {
      const m = new Map<unknown, unknown>();
      const w = new Map<unknown, unknown>();
      for (let i = 0, n = pick(8); i < n; i++) {
        const x = value(r, depth + 1);
        m.set(`k${i}`, x.v);
        w.set(`k${i}`, x.want);
      }
      return { v: m, want: w };
    }
    default: {
      const x = value(r, depth + 1);
      return { v: [x.v, x.v], want: [x.want, x.want] }; // shared reference
    }
  }
}

describe('round trip', () => {
  it('random values survive encode/decode (seeded)', () => {
    const r = rng(SEED);
    for (let i = 0; i < 3000; i++) {
      const { v, want } = value(r, 0);
      expect(decode(encode(v)), `case ${i} (seed ${SEED})`).toEqual(want);
    }
  });

  it('several random values in one body share the tables', () => {
    const r = rng(SEED + 1);
    for (let k = 0; k < 200; k++) {
      const enc = new Hessian2Encoder();
      const wants: unknown[] = [];
      for (let i = 0; i < 5; i++) {
        const { v, want } = value(r, 0);
        enc.writeValue(v);
        wants.push(want);
      }
      const dec = new Hessian2Decoder(enc.view());
      for (const w of wants) expect(dec.readValue()).toEqual(w);
      expect(dec.remaining).toBe(0);
    }
  });
});
