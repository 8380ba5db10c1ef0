import { decode, encode, JAVA_TYPE, java, type Long } from '@dubbo-ts/hessian2';
// @ts-expect-error hessian.js ships no type definitions
import hessian from 'hessian.js';
import { describe, expect, it } from 'vitest';

// Interop with hessian.js, the established JS Hessian (a root devDependency): each reads the other's bytes.
describe('hessian.js interop', () => {
  it('reads what hessian.js writes', () => {
    const bytes: Buffer = hessian.encode(
      {
        $class: 'com.example.User',
        $: {
          id: { $class: 'long', $: 1000001 },
          name: { $class: 'java.lang.String', $: 'user-1 😀' },
          tags: { $class: 'java.util.List', $: ['a', 'bb'] },
          createdAt: { $class: 'java.util.Date', $: new Date(1700000000001) },
          score: { $class: 'double', $: 2.5 },
        },
      },
      '2.0',
    );
    const u = decode(bytes) as Record<string, unknown>;
    expect((u as any)[JAVA_TYPE]).toBe('com.example.User');
    expect((u.id as Long).toNumber()).toBe(1000001);
    expect(u.name).toBe('user-1 😀');
    expect(u.tags).toEqual(['a', 'bb']);
    expect((u.createdAt as Date).getTime()).toBe(1700000000001);
    expect(u.score).toBe(2.5);
  });

  it('writes what hessian.js reads', () => {
    const bytes = encode(
      java.object('com.example.User', {
        id: java.long(1000001),
        name: 'user-1 😀',
        tags: ['a', 'bb'],
        createdAt: new Date(1700000000001),
        scores: new Map([['k', 0.5]]),
      }),
    );
    const u = hessian.decode(bytes, '2.0');
    expect(u).toEqual({
      id: 1000001,
      name: 'user-1 😀',
      tags: ['a', 'bb'],
      createdAt: new Date(1700000000001),
      scores: { k: 0.5 },
    });
  });
});
