import { ClassRegistry, decode, encode, java } from '@dubbo-ts/hessian2';
import { expect, it } from 'vitest';

// The README's example, verbatim (keeps the documentation honest).
it('runs the README example', () => {
  class User {
    id = 0n;
    name = '';
    tags: string[] = [];
  }
  const registry = new ClassRegistry();
  registry.registerClass(User, 'com.example.User', ['tags', 'name', { name: 'id', type: 'long' }]);

  const user = Object.assign(new User(), { id: 42n, name: 'ada', tags: ['a'] });
  const bytes = encode([user, java.int(7), java.list('java.util.HashSet', ['x'])], { registry });
  const [back] = decode(bytes, { registry, longAs: 'bigint' }) as [User];
  expect(back instanceof User).toBe(true);
  expect(back.id).toBe(42n);
  expect(back.tags).toEqual(['a']);
});
