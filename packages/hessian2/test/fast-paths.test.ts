// The decoder reads common forms inline (map entries, typed POJO fields) and leaves the rest to readValue: these
// tests check that the inline paths give exactly what the generic grammar gives, for every form a value can take.
import {
  ClassRegistry,
  decode,
  encode,
  Hessian2Decoder,
  Hessian2Encoder,
  HessianDecodeError,
  java,
  Long,
} from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Values in every compact form hessian-lite writes (ints, doubles, strings, longs, dates, null, nested). */
const values: unknown[] = [
  0,
  -16,
  47,
  48,
  -2048,
  2047,
  262143,
  2 ** 31 - 1,
  java.double(0),
  java.double(1),
  java.double(-128),
  java.double(127),
  java.double(-32768),
  java.double(32767),
  java.double(100000),
  0.5,
  -0.001,
  1e300,
  Math.PI,
  Number.NaN,
  -0,
  '',
  'a',
  'bb',
  'ccc',
  'x'.repeat(31),
  'x'.repeat(32),
  'é服务😀',
  null,
  true,
  false,
  java.long(7),
  java.long(2 ** 40),
  new Date(1700000000000),
  new Date(1700000040000 - (1700000040000 % 60000)),
  [1, 'two'],
  new Map([['in', 1.5]]),
];

/** A map of every value under a string key, plus non-string keys. */
function sample(): Map<unknown, unknown> {
  const m = new Map<unknown, unknown>();
  for (const [i, v] of values.entries()) m.set(`k${i}`, v);
  m.set(1, 'int key');
  m.set(2.5, 'double key');
  m.set(java.long(3), 'long key');
  return m;
}

/** The same entries read through the generic map loop (`mapAs: 'object'`) for comparison. */
const viaObject = (bytes: Buffer, exactDoubles: boolean) =>
  decode(bytes, { mapAs: 'object', exactDoubles }) as Record<string, unknown>;

describe('inline map entry reader', () => {
  for (const exactDoubles of [false, true]) {
    it(`gives the same values as the generic reader (exactDoubles ${exactDoubles})`, () => {
      const bytes = encode(sample());
      const m = decode(bytes, { exactDoubles }) as Map<unknown, unknown>;
      const o = viaObject(bytes, exactDoubles);
      expect(m.size).toBe(Object.keys(o).length);
      for (const [k, v] of m) {
        const key = k instanceof Long ? k.toString() : String(k);
        const other = o[key];
        if (v instanceof Map) expect(Object.fromEntries(v)).toEqual(other);
        else expect(v).toEqual(other);
        if (typeof v === 'number') expect(Object.is(v, other)).toBe(true); // -0 and NaN too
      }
      expect(m.get('k15')).toBe(0.5);
      expect(m.get('k17')).toEqual(exactDoubles ? java.double(1e300) : 1e300);
      expect(Object.is(m.get('k20'), 0)).toBe(!exactDoubles); // Java writes -0.0 as 0x5b (zero)
      expect(m.get('k14')).toEqual(exactDoubles ? java.double(100000) : 100000);
    });
  }

  it('keeps a reference to the map itself', () => {
    const m = new Map<string, unknown>([['a', 0.5]]);
    m.set('self', m);
    const d = decode(encode(m)) as Map<string, unknown>;
    expect(d.get('self')).toBe(d);
    expect(d.get('a')).toBe(0.5);
  });

  it('fails on every truncation of a map with the typed EOF error', () => {
    const bytes = encode(
      new Map<string, unknown>([
        ['k', 0.5],
        ['d', Math.PI],
        ['i', 1],
        ['s', 'x'],
      ]),
    );
    for (let n = 1; n < bytes.length; n++) {
      const dec = new Hessian2Decoder(bytes.subarray(0, n));
      expect(() => dec.readValue()).toThrow(HessianDecodeError);
    }
  });
});

describe('map keys remembered by position', () => {
  const shape = (keys: unknown[], salt = 0) => new Map(keys.map((k, i) => [k, i + salt]));
  const base = Array.from({ length: 12 }, (_, i) => `key${i}`);
  const variants: Map<unknown, unknown>[] = [
    shape(base),
    shape(base, 1), // same keys: remembered
    shape([...base.slice(0, 11), 'key99']), // the last key differs, same length
    shape([...base.slice(0, 5), 'kez5', ...base.slice(6)]), // one byte differs in the middle
    shape([...base].reverse()), // permuted
    shape(['clé', ...base.slice(1)]), // non-ASCII first key
    shape([...base.slice(0, 3), 'ключ', ...base.slice(4)]), // non-ASCII in the middle
    shape([7, ...base.slice(1)]), // an int key first
    shape([...base.slice(0, 6), 3.5, ...base.slice(7)]), // a double key in the middle
    shape(base.map((k) => `${k}${'x'.repeat(20)}`)), // keys longer than remembered
    shape(Array.from({ length: 200 }, (_, i) => `k${i}`)), // more entries than positions remembered
    shape(
      Array.from({ length: 200 }, (_, i) => `k${i}`),
      2,
    ),
    shape(base.slice(0, 3)),
    shape(base),
  ];

  it('reads every map exactly, whichever keys the previous map had', () => {
    const dec = new Hessian2Decoder();
    for (let round = 0; round < 40; round++) {
      // one message of all shapes, then single maps in a rotating order (the decoder keeps its memory between them)
      const list = decode(encode(variants)) as Map<unknown, unknown>[];
      for (const [i, m] of list.entries()) expect([...m]).toEqual([...variants[i]!]);
      const v = variants[(round * 7) % variants.length]!;
      expect([...(dec.reset(encode(v)).readValue() as Map<unknown, unknown>)]).toEqual([...v]);
    }
  });

  it('fails on a key cut short after the same key was remembered', () => {
    const dec = new Hessian2Decoder();
    const bytes = encode(shape(base));
    dec.reset(bytes).readValue();
    for (let n = 1; n < bytes.length; n++)
      expect(() => dec.reset(bytes.subarray(0, n)).readValue()).toThrow(HessianDecodeError);
  });
});

describe('inline list element reader', () => {
  for (const exactDoubles of [false, true]) {
    it(`reads each element as a value on its own reads (exactDoubles ${exactDoubles})`, () => {
      const list = decode(encode(values), { exactDoubles }) as unknown[];
      expect(list).toHaveLength(values.length);
      values.forEach((v, i) => {
        const alone = decode(encode(v), { exactDoubles });
        if (alone instanceof Map)
          expect(Object.fromEntries(list[i] as Map<unknown, unknown>)).toEqual(Object.fromEntries(alone));
        else expect(Object.is(list[i], alone) || JSON.stringify(list[i]) === JSON.stringify(alone)).toBe(true);
      });
    });
  }

  it('fails on every truncation of a list with the typed EOF error', () => {
    const bytes = encode(['a', 1, 'bb', 47, 'ccc']);
    for (let n = 1; n < bytes.length; n++) {
      expect(() => new Hessian2Decoder(bytes.subarray(0, n)).readValue()).toThrow(HessianDecodeError);
    }
  });
});

describe('reference table kept across messages', () => {
  class Node {
    name = '';
    next: Node | null = null;
    tags: string[] = [];
  }
  const registry = new ClassRegistry();
  registry.registerClass(Node, 'com.example.Node', ['tags', 'next', 'name']);
  const graph = () => {
    const a = new Node();
    const b = new Node();
    a.name = 'a';
    b.name = 'b';
    a.next = b;
    b.next = a; // a cycle
    const shared = ['x'];
    a.tags = shared;
    b.tags = shared; // a shared list
    return [a, b, a, new Map([['again', b]])];
  };
  const fresh = (v: unknown) => new Hessian2Encoder({ registry }).writeAll(v);

  it('writes each message as a fresh encoder would, whether its values were written before or not', () => {
    const same = graph();
    const enc = new Hessian2Encoder({ registry });
    const expected = fresh(same);
    for (let i = 0; i < 40; i++) {
      // the same objects again and again, new ones in between, and one message of both
      const v = i % 5 === 3 ? graph() : i % 7 === 6 ? [graph(), same] : same;
      enc.reset();
      const bytes = enc.writeAll(v);
      expect(hex(bytes)).toBe(hex(fresh(v)));
      if (v === same) expect(hex(bytes)).toBe(hex(expected));
    }
  });

  it('numbers references from 0 again after resetReferences, keeping class definitions', () => {
    const v = graph();
    const enc = new Hessian2Encoder({ registry });
    const other = new Hessian2Encoder({ registry });
    for (let i = 0; i < 20; i++) {
      enc.reset();
      enc.writeValue(v);
      enc.resetReferences();
      enc.writeValue(v);
      // the same shapes made of objects never written before
      other.reset();
      other.writeValue(graph());
      other.resetReferences();
      other.writeValue(graph());
      expect(hex(enc.toBuffer())).toBe(hex(other.toBuffer()));
    }
  });
});
