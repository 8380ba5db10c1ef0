// dubbo-benchmark's UserService (12-field User, 15-user Page) and InteropService.echo, in plain JS over the built
// packages: descriptors, POJO registrations and a TS provider implementation, shared by the bench and the demo.
import { defineService } from '@dubbo-ts/dubbo';
import { defaultRegistry, LocalDate, LocalDateTime, LocalTime } from '@dubbo-ts/hessian2';

export const PKG = 'org.apache.dubbo.interop.service';

export class User {
  id = 0;
  name = null;
  sex = 0;
  birthday = null;
  email = null;
  mobile = null;
  address = null;
  icon = null;
  permissions = null;
  status = 0;
  createTime = null;
  updateTime = null;
}

export class Page {
  pageNo = 0;
  total = 0;
  result = null;
}

defaultRegistry.registerClass(User, `${PKG}.User`, [
  { name: 'id', type: 'long' },
  { name: 'name', type: 'string' },
  { name: 'sex', type: 'int' },
  'birthday',
  { name: 'email', type: 'string' },
  { name: 'mobile', type: 'string' },
  { name: 'address', type: 'string' },
  { name: 'icon', type: 'string' },
  'permissions',
  { name: 'status', type: 'int' },
  'createTime',
  'updateTime',
]);
defaultRegistry.registerClass(Page, `${PKG}.Page`, [
  { name: 'pageNo', type: 'int' },
  { name: 'total', type: 'int' },
  'result',
]);

const PERMISSIONS = [1, 2, 3, 4, 5, 6, 7, 8, 19, 88, 86, 89, 90, 91, 92];

/** dubbo-benchmark's user (UserServiceImpl.makeUser). */
export function makeUser(id, suffix = '') {
  const u = new User();
  u.id = id;
  u.name = `Doug Lea${suffix}`;
  u.sex = 1;
  u.birthday = new LocalDate(1968, 12, 8);
  u.email = `dong.lea@gmail.com${suffix}`;
  u.mobile = `18612345678${suffix}`;
  u.address = `北京市 中关村 中关村大街1号 鼎好大厦 1605${suffix}`;
  u.icon = `https://www.baidu.com/img/bd_logo1.png${suffix}`;
  u.status = 1;
  u.createTime = new LocalDateTime(new LocalDate(2024, 5, 6), new LocalTime(7, 8, 9, 123_000_000));
  u.updateTime = u.createTime;
  u.permissions = PERMISSIONS.slice();
  return u;
}

export const UserServiceDescriptor = defineService({
  interfaceName: `${PKG}.UserService`,
  methods: {
    existUser: { params: ['java.lang.String'], returns: 'boolean' },
    createUser: { params: [`${PKG}.User`], returns: 'boolean' },
    getUser: { params: ['long'], returns: `${PKG}.User` },
    listUser: { params: ['int'], returns: `${PKG}.Page` },
  },
});

export const EchoDescriptor = defineService({
  interfaceName: `${PKG}.InteropService`,
  methods: { echo: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

export const userServiceImpl = {
  existUser: (email) => email === 'dubbo-ts' || email.length > 0,
  createUser: (user) => user != null,
  getUser: (id) => makeUser(id),
  listUser: (pageNo) => {
    const p = new Page();
    p.pageNo = pageNo;
    p.total = 1000;
    p.result = Array.from({ length: 15 }, (_, i) => makeUser(i, String(i)));
    return p;
  },
};

export const echoImpl = { echo: (v) => v };

/** The ~200-byte ASCII string of the echo case ("0123456789" repeated, as Java's Fixtures.digits(200)). */
export const ECHO_PAYLOAD = '0123456789'.repeat(20);
