import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BigDecimal,
  BigInteger,
  ClassRegistry,
  decode,
  defaultRegistry,
  encode,
  Hessian2Encoder,
  HessianDecodeError,
} from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

interface Entry {
  name: string;
  file: string;
  javaType: string;
  expected: string | string[];
  carried: boolean;
}

// Written by stock Caucho Hessian 4.0.38 (tools/interop/java/caucho-vectors.sh; CI regenerates and diffs them).
const dir = join(import.meta.dirname, 'caucho');
const manifest: Entry[] = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const bytes = (e: Entry) => readFileSync(join(dir, e.file));
const str = (v: unknown) => (Array.isArray(v) ? v.map(String) : String(v));

describe('values written by stock Caucho Hessian (raw-fields form)', () => {
  it('has the vectors, in the fields form', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(20);
    expect(manifest.filter((e) => e.carried).length).toBeGreaterThanOrEqual(15);
    expect(manifest.filter((e) => !e.carried).length).toBeGreaterThanOrEqual(3);
    // Caucho 4.0.38 writes scale and intVal, not hessian-lite's value string
    const raw = decode(bytes(manifest[0]!), { registry: new ClassRegistry(null) });
    expect(Object.keys(raw as object).sort()).toEqual(['intVal', 'scale']);
  });

  for (const e of manifest.filter((x) => x.carried)) {
    it(`decodes ${e.name} to ${JSON.stringify(e.expected)}`, () => {
      for (const longAs of ['long', 'bigint', 'number'] as const) {
        const v = decode(bytes(e), { longAs });
        const want = e.javaType === 'java.math.BigInteger' ? BigInteger : BigDecimal;
        for (const x of Array.isArray(v) ? v : [v]) expect(x).toBeInstanceOf(want);
        expect(str(v)).toEqual(e.expected);
      }
    });
  }

  for (const e of manifest.filter((x) => !x.carried)) {
    it(`refuses ${e.name} (its value, ${e.expected}, is not on the wire)`, () => {
      let err: unknown;
      const b = bytes(e);
      try {
        decode(b);
      } catch (x) {
        err = x;
      }
      expect(err).toBeInstanceOf(HessianDecodeError);
      expect((err as HessianDecodeError).code).toBe('HESSIAN_ERR_INCOMPLETE_VALUE');
      // the offset points at the instance (0x60: the object of class definition #0), after the definition
      expect(b[(err as HessianDecodeError).offset]).toBe(0x60);
    });
  }

  it('shares a repeated BigDecimal through its reference', () => {
    const v = decode(bytes(manifest.find((e) => e.name === 'bigdecimal_list')!)) as BigDecimal[];
    expect(v[2]).toBe(v[0]);
  });
});

/** Writes a java.math.BigDecimal object with the given fields, the way a fields-form writer does. */
function fieldsForm(fields: Record<string, unknown>): Buffer {
  const enc = new Hessian2Encoder();
  const names = Object.keys(fields);
  enc.writeObjectHeader(`bd\0${names.join(',')}`, 'java.math.BigDecimal', names);
  for (const n of names) enc.writeValue(fields[n]);
  return enc.toBuffer();
}

describe('BigDecimal fields form', () => {
  it('uses intCompact when intVal is null and stringCache when nothing else is there', () => {
    expect(String(decode(fieldsForm({ scale: 2, intVal: null, intCompact: 12345n })))).toBe('123.45');
    expect(String(decode(fieldsForm({ scale: -3, intCompact: -7n })))).toBe('-7E+3');
    expect(String(decode(fieldsForm({ stringCache: '1.50', scale: 2 })))).toBe('1.50');
  });

  it('refuses with HESSIAN_ERR_INCOMPLETE_VALUE when the value cannot be known', () => {
    const INFLATED = -(2n ** 63n);
    for (const fields of [
      { scale: 2, intVal: null },
      { scale: 2 },
      { intVal: new BigInteger(5n) },
      { scale: 2, intVal: null, intCompact: INFLATED },
      { scale: 1.5, intVal: new BigInteger(5n) },
      { scale: 2, intVal: 'five' },
      { stringCache: 'not a number' },
      {},
    ]) {
      expect(
        () => decode(fieldsForm(fields)),
        JSON.stringify(fields, (_, v) => String(v)),
      ).toThrow(expect.objectContaining({ name: 'HessianDecodeError', code: 'HESSIAN_ERR_INCOMPLETE_VALUE' }));
    }
  });

  it('refuses a hessian-lite value that is not a decimal', () => {
    for (const value of [null, 'abc', 5]) {
      expect(() => decode(fieldsForm({ value }))).toThrow(
        expect.objectContaining({ code: 'HESSIAN_ERR_INCOMPLETE_VALUE' }),
      );
    }
  });

  it('refuses a BigInteger whose fields do not give its value', () => {
    const enc = (fields: Record<string, unknown>) => {
      const e = new Hessian2Encoder();
      const names = Object.keys(fields);
      e.writeObjectHeader(`bi\0${names.join(',')}`, 'java.math.BigInteger', names);
      for (const n of names) e.writeValue(fields[n]);
      return e.toBuffer();
    };
    for (const fields of [
      { signum: 1 },
      { mag: [1] },
      { signum: 2, mag: [1] },
      { signum: 0, mag: [1] },
      { signum: 1, mag: [] },
    ]) {
      expect(() => decode(enc(fields))).toThrow(expect.objectContaining({ code: 'HESSIAN_ERR_INCOMPLETE_VALUE' }));
    }
  });

  it('still writes hessian-lite form and reads it back', () => {
    const bd = new BigDecimal('-1.23E-10');
    expect(decode(encode(bd))).toEqual(bd);
    expect(defaultRegistry.forCtor(BigDecimal)?.names).toEqual(['value']);
  });
});
