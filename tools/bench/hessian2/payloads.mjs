// The four payloads of /work/shared/bench/anchors/hessian-js.mjs, in hessian.js form and in ours.
import { ClassRegistry, java } from '@dubbo-ts/hessian2';

/** The anchor's POJO: com.example.User. */
export class User {
  id = 0;
  name = '';
  email = '';
  age = 0;
  active = false;
  tags = null;
  createdAt = null;

  static of(i) {
    const u = new User();
    u.id = 1000000 + i;
    u.name = `user-${i}`;
    u.email = `user${i}@example.com`;
    u.age = 20 + (i % 50);
    u.active = i % 2 === 0;
    u.tags = ['a', 'bb', 'ccc'];
    u.createdAt = new Date(1700000000000 + i);
    return u;
  }
}

export const registry = new ClassRegistry();
// Java's wire order for these fields (hessian-lite writes declared fields reversed).
registry.registerClass(User, 'com.example.User', [
  { name: 'createdAt', type: 'date' },
  'tags',
  { name: 'active', type: 'boolean' },
  { name: 'age', type: 'int' },
  { name: 'email', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'id', type: 'long' },
]);

const hjsUser = (i) => ({
  $class: 'com.example.User',
  $: {
    id: { $class: 'long', $: 1000000 + i },
    name: { $class: 'java.lang.String', $: `user-${i}` },
    email: { $class: 'java.lang.String', $: `user${i}@example.com` },
    age: { $class: 'int', $: 20 + (i % 50) },
    active: { $class: 'boolean', $: i % 2 === 0 },
    tags: { $class: 'java.util.List', $: ['a', 'bb', 'ccc'] },
    createdAt: { $class: 'java.util.Date', $: new Date(1700000000000 + i) },
  },
});
const cjk = Array.from({ length: 1000 }, (_, i) =>
  i % 3 === 0 ? '服务'[i % 2] : String.fromCharCode(97 + (i % 26)),
).join('');
const doubles = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i + 0.5]));

/** hessian.js inputs (exactly the anchor's). */
export const anchorPayloads = {
  small_pojo: hjsUser(1),
  list_100_pojos: { $class: 'java.util.List', $: Array.from({ length: 100 }, (_, i) => hjsUser(i)) },
  string_1000_mixed: cjk,
  map_100_doubles: doubles,
};

/** Our inputs: the same values as plain TS values (a registered class, an array, a string, an object). */
export const ourPayloads = {
  small_pojo: User.of(1),
  list_100_pojos: Array.from({ length: 100 }, (_, i) => User.of(i)),
  string_1000_mixed: cjk,
  map_100_doubles: doubles,
};

export { java };
