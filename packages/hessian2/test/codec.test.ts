import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BigDecimal,
  BigInteger,
  ClassRegistry,
  decode,
  encode,
  Hessian2Decoder,
  Hessian2Encoder,
  HessianDecodeError,
  HessianError,
  JAVA_TYPE,
  java,
  LocalDate,
  Long,
} from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';

const golden = (name: string) => readFileSync(join(import.meta.dirname, 'golden', `${name}.bin`));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('scalars', () => {
  it('maps JS numbers to int or double, bigint and Long to long', () => {
    expect(hex(encode(1))).toBe('91');
    expect(hex(encode(1.5))).toBe('5f000005dc');
    expect(hex(encode(2 ** 31))).toBe(hex(encode(java.double(2 ** 31))));
    expect(hex(encode(1n))).toBe('e1');
    expect(hex(encode(Long.fromString('9223372036854775807')))).toBe('4c7fffffffffffffff');
    expect(hex(encode(java.long(2 ** 40)))).toBe('4c0000010000000000');
    expect(hex(encode(java.int(2 ** 31)))).toBe(hex(encode(java.int(-(2 ** 31)))));
    expect(() => encode(java.long(2 ** 60))).toThrow(HessianError);
  });

  it('decodes longs as Long, bigint or number as asked', () => {
    const bytes = encode(Long.fromString('9007199254740993'));
    expect((decode(bytes) as Long).toString()).toBe('9007199254740993');
    expect(decode(bytes, { longAs: 'bigint' })).toBe(9007199254740993n);
    expect(decode(bytes, { longAs: 'number' })).toBeInstanceOf(Long); // not safe as a number
    expect(decode(encode(java.long(42)), { longAs: 'number' })).toBe(42);
  });

  it('writes a surrogate pair as two 3-byte sequences, as Java does, and reads 4-byte UTF-8 too', () => {
    expect(hex(encode('x😀'))).toBe('0378eda0bdedb880');
    expect(decode(Buffer.from('0378eda0bdedb880', 'hex'))).toBe('x😀');
    expect(decode(Buffer.from('0378f09f9880', 'hex'))).toBe('x😀');
    const long = `${'é'.repeat(40)}😀`;
    expect(decode(encode(long))).toBe(long);
  });

  it('decodes a region of a buffer without copying and reports the bytes consumed', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xff]), encode('hello'), encode(7), Buffer.from([0xee])]);
    const dec = new Hessian2Decoder(body, {}, 2, body.length - 3);
    expect(dec.readValue()).toBe('hello');
    expect(dec.consumed).toBe(6);
    expect(dec.readValue()).toBe(7);
    expect(dec.remaining).toBe(0);
    expect(decode(body, { offset: 2, length: 6 })).toBe('hello');
  });

  it('returns byte[] as a copy, or as a view into the input on request', () => {
    const bytes = encode(Buffer.from('abc'));
    const copy = decode(bytes) as Buffer;
    const view = decode(bytes, { binaryAs: 'view' }) as Buffer;
    expect(copy.equals(Buffer.from('abc'))).toBe(true);
    expect(view.equals(Buffer.from('abc'))).toBe(true);
    bytes[1] = 0x7a;
    expect(copy.toString()).toBe('abc');
    expect(view.toString()).toBe('zbc');
  });

  it('writes several values into one body sharing references, like one Hessian2Output', () => {
    const shared = { a: 1 };
    const enc = new Hessian2Encoder();
    enc.writeString('method');
    enc.writeValue(shared);
    enc.writeValue(shared);
    const dec = new Hessian2Decoder(enc.view());
    expect(dec.readString()).toBe('method');
    const first = dec.readValue();
    expect(dec.readValue()).toBe(first);
    expect(enc.toBuffer().subarray(-2).toString('hex')).toBe('5190');
  });
});

describe('grammar forms hessian-lite reads but rarely writes', () => {
  it('reads variable-length lists with end markers, typed and untyped', () => {
    expect(decode(Buffer.from('57919293' + '5a', 'hex'))).toEqual([1, 2, 3]);
    const typed = decode(Buffer.from('55' + '0461626364' + '91' + '5a', 'hex')) as number[];
    expect(typed).toEqual([1]);
    expect((typed as any)[JAVA_TYPE]).toBe('abcd');
  });

  it('reads type references, chunked binaries and strings split across chunks', () => {
    // two typed lists: the second names its type by reference #0
    const v = decode(Buffer.from('7a' + '7104' + '61626364' + '91' + '7190' + '92', 'hex')) as unknown[][];
    expect((v[1] as any)[JAVA_TYPE]).toBe('abcd');
    expect(decode(Buffer.from('410002' + 'aabb' + '21' + 'cc', 'hex'))).toEqual(Buffer.from('aabbcc', 'hex'));
    expect(decode(Buffer.from('520001' + '61' + '0162', 'hex'))).toBe('ab');
    expect(() => decode(Buffer.from('520001' + '61' + '91', 'hex'))).toThrow(
      expect.objectContaining({ code: 'HESSIAN_ERR_BAD_STRING' }),
    );
  });

  it('reads a typed map of a registered class as an instance (Hessian 1 style object)', () => {
    const bytes = Buffer.from(
      '4d' + '146a6176612e6d6174682e426967446563696d616c' + '0576616c7565' + '03312e35' + '5a',
      'hex',
    );
    expect(decode(bytes)).toEqual(new BigDecimal('1.5'));
  });
});

describe('collections and typed wrappers', () => {
  it('keeps Java collection types through a decode/encode round trip', () => {
    const set = decode(golden('hashset_3')) as string[];
    expect((set as any)[JAVA_TYPE]).toBe('java.util.HashSet');
    expect(hex(encode(set))).toBe(hex(golden('hashset_3')));
    expect(hex(encode(java.list('java.util.HashSet', ['h0', 'h1', 'h2'])))).toBe(hex(golden('hashset_3')));
    expect(hex(encode(java.array('int', [])))).toBe(hex(golden('array_int_0')));
    expect(hex(encode(java.map('java.util.TreeMap', { t0: 0 })))).toBe(hex(golden('treemap_1')));
    const s = encode(new Set(['x']));
    expect((decode(s) as any)[JAVA_TYPE]).toBe('java.util.HashSet');
  });

  it('reads maps as Map by default and as plain objects on request', () => {
    const bytes = encode({ a: 1, b: 'x' });
    expect(decode(bytes)).toEqual(
      new Map<unknown, unknown>([
        ['a', 1],
        ['b', 'x'],
      ]),
    );
    expect(decode(bytes, { mapAs: 'object' })).toEqual({ a: 1, b: 'x' });
  });

  it('keeps BigDecimal and BigInteger exact', () => {
    const bd = decode(golden('bigdecimal_-123456789012345678901234567890.123456789')) as BigDecimal;
    expect(bd.value).toBe('-123456789012345678901234567890.123456789');
    const bi = decode(golden('biginteger_123456789012345678901234567890')) as BigInteger;
    expect(bi.value).toBe(123456789012345678901234567890n);
    expect(hex(encode(new BigInteger(123456789012345678901234567890n)))).toBe(
      hex(golden('biginteger_123456789012345678901234567890')),
    );
    expect(hex(encode(new BigDecimal('1.50')))).toBe(hex(golden('bigdecimal_1.50')));
    expect(hex(encode(new LocalDate(2024, 2, 29)))).toBe(hex(golden('localdate')));
  });
});

describe('class registry', () => {
  class User {
    id = 0;
    name = '';
    email = '';
    age = 0;
    active = false;
    tags: string[] = [];
    created = new Date(0);
  }
  const JAVA = 'org.apache.dubbo.interop.hessian.GoldenTypes$User';
  const registry = new ClassRegistry();
  registry.registerClass(
    User,
    JAVA,
    [
      { name: 'createdAt', type: 'date' },
      'tags',
      { name: 'active', type: 'boolean' },
      { name: 'age', type: 'int' },
      { name: 'email', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'id', type: 'long' },
    ],
    { createdAt: 'created' },
  );

  it('decodes a registered Java class to the TS class and encodes it to the bytes Java writes', () => {
    const u = decode(golden('pojo_user'), { registry, longAs: 'number' }) as User;
    expect(u).toBeInstanceOf(User);
    expect(u).toMatchObject({ id: 1000001, name: 'user-1', age: 21, active: false, tags: ['a', 'bb', 'ccc'] });
    expect(u.created.getTime()).toBe(1700000000001);
    expect(hex(encode(u, { registry }))).toBe(hex(golden('pojo_user')));
  });

  it('passes unregistered classes through with their Java name, byte-identically', () => {
    const u = decode(golden('pojo_user')) as Record<string, unknown>;
    expect((u as any)[JAVA_TYPE]).toBe(JAVA);
    expect(hex(encode(u))).toBe(hex(golden('pojo_user')));
  });

  it('maps registered enums to TS values', () => {
    const r = new ClassRegistry();
    enum Color {
      RED = 'red',
      GREEN = 'green',
    }
    r.registerEnum('org.apache.dubbo.interop.hessian.GoldenTypes$Color', { RED: Color.RED, GREEN: Color.GREEN });
    expect(decode(golden('enum_red'), { registry: r })).toBe(Color.RED);
    expect(hex(encode(java.enum('org.apache.dubbo.interop.hessian.GoldenTypes$Color', 'RED')))).toBe(
      hex(golden('enum_red')),
    );
  });
});

describe('typed fields', () => {
  const COLOR = 'org.apache.dubbo.interop.hessian.GoldenTypes$Color';

  it('writes repeated enum constants as references, like Java', () => {
    const list = [java.enum(COLOR, 'RED'), java.enum(COLOR, 'RED'), java.enum(COLOR, 'BLUE')];
    expect(hex(encode(list))).toBe(hex(golden('enum_list')));
  });

  it('writes fields as the collection, map or enum type the registration names', () => {
    class Holder {
      value: unknown = null;
      color: unknown = null;
      extra: unknown = null;
    }
    enum Color {
      Green = 'green',
    }
    const r = new ClassRegistry();
    r.registerEnum(COLOR, { GREEN: Color.Green });
    r.registerClass(Holder, 'org.apache.dubbo.interop.hessian.GoldenTypes$Holder', [
      'extra',
      { name: 'color', javaType: COLOR },
      'value',
    ]);
    const h = decode(golden('pojo_holder'), { registry: r }) as Holder;
    expect(h).toBeInstanceOf(Holder);
    expect(h.color).toBe(Color.Green);
    expect(hex(encode(h, { registry: r }))).toBe(hex(golden('pojo_holder')));

    class Tagged {
      tags: unknown = null;
    }
    r.registerClass(Tagged, 'x.Tagged', [{ name: 'tags', javaType: 'java.util.HashSet' }]);
    const t = Object.assign(new Tagged(), { tags: new Set(['a']) });
    const back = decode(encode(t, { registry: r })) as Record<string, unknown>;
    expect((back.tags as any)[JAVA_TYPE]).toBe('java.util.HashSet');
  });
});

describe('safety', () => {
  it('never lets __proto__ or constructor keys touch a prototype', () => {
    const m = decode(golden('map_proto_keys'), { mapAs: 'object' }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
    expect(Object.hasOwn(m, '__proto__')).toBe(true);
    expect(m.constructor).toBe('c');
    expect(({} as any).p).toBeUndefined();
    const o = decode(encode(java.object('x.Evil', { ['__proto__']: { polluted: true } }))) as any;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('throws a typed error with the offset on truncated input', () => {
    const bytes = golden('pojo_user');
    for (let n = 0; n < bytes.length; n++) {
      let err: unknown;
      try {
        decode(bytes.subarray(0, n));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HessianDecodeError);
      expect((err as HessianDecodeError).offset).toBeLessThanOrEqual(n);
    }
  });

  it('bounds depth, lengths and allocation', () => {
    const deep = Buffer.concat([Buffer.alloc(1000, 0x79), Buffer.from([0x90])]);
    expect(() => decode(deep)).toThrow(expect.objectContaining({ code: 'HESSIAN_ERR_LIMIT' }));
    expect(() => decode(encode('x'.repeat(100)), { maxAllocation: 50 })).toThrow(
      expect.objectContaining({ code: 'HESSIAN_ERR_LIMIT' }),
    );
    expect(() => decode(Buffer.from('58d7ffff', 'hex'))).toThrow(expect.objectContaining({ code: 'HESSIAN_ERR_EOF' }));
    expect(() => decode(encode(new Array(20).fill(1)), { maxLength: 10 })).toThrow(
      expect.objectContaining({ code: 'HESSIAN_ERR_LIMIT' }),
    );
    expect(() => decode(Buffer.from('5191', 'hex'))).toThrow(expect.objectContaining({ code: 'HESSIAN_ERR_BAD_REF' }));
    expect(() => decode(Buffer.from('9190', 'hex'))).toThrow(
      expect.objectContaining({ code: 'HESSIAN_ERR_MALFORMED' }),
    );
    // a long run of class definitions does not exhaust the stack
    const run = Buffer.concat([
      ...Array.from({ length: 50000 }, () => Buffer.from('43017890', 'hex')),
      Buffer.from('4e', 'hex'),
    ]);
    expect(decode(run)).toBeNull();
  });

  it('refuses values it cannot map', () => {
    expect(() => encode(Symbol('x'))).toThrow(expect.objectContaining({ code: 'HESSIAN_ERR_ENCODE' }));
    class Unknown {}
    expect(() => encode(new Unknown())).toThrow(expect.objectContaining({ code: 'HESSIAN_ERR_ENCODE' }));
  });
});
