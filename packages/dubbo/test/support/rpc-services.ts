// Service descriptors and POJOs of the Java interop peers (tools/interop/java: InteropService, UserService), so the
// same definitions serve TS<->TS tests, TS consumers of the Java provider and TS providers for Java consumers.
import { defineService, type RpcInvocation } from '@dubbo-ts/dubbo';
import { defaultRegistry, JavaException, javaException, LocalDate, LocalDateTime, LocalTime } from '@dubbo-ts/hessian2';

export const PKG = 'org.apache.dubbo.interop.service';

/** org.apache.dubbo.interop.service.User (dubbo-benchmark's 12-field user). */
export class User {
  id = 0;
  name: string | null = null;
  sex = 0;
  birthday: LocalDate | null = null;
  email: string | null = null;
  mobile: string | null = null;
  address: string | null = null;
  icon: string | null = null;
  permissions: number[] | null = null;
  status = 0;
  createTime: LocalDateTime | null = null;
  updateTime: LocalDateTime | null = null;
}

/** org.apache.dubbo.interop.service.Page<User>. */
export class Page {
  pageNo = 0;
  total = 0;
  result: User[] | null = null;
}

/** org.apache.dubbo.interop.service.Address. */
export class Address {
  street: string | null = null;
  city: string | null = null;
  zip = 0;
}

/** org.apache.dubbo.interop.service.Person. */
export class Person {
  name: string | null = null;
  age = 0;
  id = 0;
  tags: string[] | null = null;
  attributes: Map<string, string> | null = null;
  address: Address | null = null;
  friends: Person[] | null = null;
}

/** org.apache.dubbo.interop.service.InteropException (a checked exception with an int code). */
export class InteropException extends JavaException {
  code = 0;
  constructor(message: string | null = null, code = 0) {
    super(`${PKG}.InteropException`, message);
    this.code = code;
  }
}

// Throwable's fields first (hessian-lite's order), then the class's own.
defaultRegistry.registerClass(InteropException, `${PKG}.InteropException`, [
  'suppressedExceptions',
  'stackTrace',
  'cause',
  'detailMessage',
  { name: 'code', type: 'int' },
]);
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
defaultRegistry.registerClass(Address, `${PKG}.Address`, [
  { name: 'street', type: 'string' },
  { name: 'city', type: 'string' },
  { name: 'zip', type: 'int' },
]);
defaultRegistry.registerClass(Person, `${PKG}.Person`, [
  { name: 'name', type: 'string' },
  { name: 'age', type: 'int' },
  { name: 'id', type: 'long' },
  'tags',
  'attributes',
  'address',
  'friends',
]);

/** dubbo-benchmark's user (UserServiceImpl.makeUser). */
export function makeUser(id: number, suffix = ''): User {
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
  u.permissions = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 19, 88, 86, 89, 90, 91, 92];
  u.createTime = new LocalDateTime(new LocalDate(2024, 1, 2), new LocalTime(3, 4, 5, 6_000_000));
  u.updateTime = u.createTime;
  return u;
}

export interface UserService {
  existUser(email: string): Promise<boolean>;
  createUser(user: User): Promise<boolean>;
  getUser(id: number): Promise<User>;
  listUser(pageNo: number): Promise<Page>;
}

export const UserServiceDescriptor = defineService<UserService>({
  interfaceName: `${PKG}.UserService`,
  methods: {
    existUser: { params: ['java.lang.String'], returns: 'boolean' },
    createUser: { params: [`${PKG}.User`], returns: 'boolean' },
    getUser: { params: ['long'], returns: `${PKG}.User` },
    listUser: { params: ['int'], returns: `${PKG}.Page` },
  },
});

/** dubbo-benchmark's provider, in TS. */
export const userServiceImpl = {
  existUser: (email: string) => email.length > 0 && email !== 'nobody',
  createUser: (user: User) => user != null,
  getUser: (id: number) => makeUser(id),
  listUser: (pageNo: number) => {
    const p = new Page();
    p.pageNo = pageNo;
    p.total = 1000;
    p.result = Array.from({ length: 15 }, (_, i) => makeUser(i, String(i)));
    return p;
  },
};

/** A subset of InteropService (the names and Java types of the Java interface). */
export interface InteropService {
  echoString(v: string | null): Promise<string | null>;
  echoInt(v: number): Promise<number>;
  echoLong(v: number | bigint): Promise<number>;
  echoDouble(v: number): Promise<number>;
  echoIntArray(v: number[]): Promise<number[]>;
  echoMap(v: Map<string, unknown>): Promise<Map<string, unknown>>;
  echoPerson(v: Person): Promise<Person>;
  makePerson(name: string, age: number): Promise<Person>;
  returnNull(): Promise<string | null>;
  throwIllegalArgument(message: string): Promise<string>;
  throwCustom(message: string, code: number): Promise<string>;
  isNull(v: unknown): Promise<boolean>;
  overloadStringInt(a: string, b: number): Promise<string>;
  sleep(millis: number): Promise<number>;
  echoAttachments(): Promise<Map<string, string>>;
  overloadString(v: string): Promise<string>;
  overloadInt(v: number): Promise<string>;
  echo(v: string): Promise<string>;
}

export const InteropServiceDescriptor = defineService<InteropService>({
  interfaceName: `${PKG}.InteropService`,
  methods: {
    echoString: { params: ['java.lang.String'], returns: 'java.lang.String' },
    echoInt: { params: ['int'], returns: 'int' },
    echoLong: { params: ['long'], returns: 'long' },
    echoDouble: { params: ['double'], returns: 'double' },
    echoIntArray: { params: ['int[]'], returns: 'int[]' },
    echoMap: { params: ['java.util.Map'], returns: 'java.util.Map' },
    echoPerson: { params: [`${PKG}.Person`], returns: `${PKG}.Person` },
    makePerson: { params: ['java.lang.String', 'int'], returns: `${PKG}.Person` },
    returnNull: { params: [], returns: 'java.lang.String' },
    throwIllegalArgument: { params: ['java.lang.String'], returns: 'java.lang.String' },
    throwCustom: { params: ['java.lang.String', 'int'], returns: 'java.lang.String' },
    isNull: { params: ['java.lang.Object'], returns: 'boolean' },
    overloadStringInt: { name: 'overload', params: ['java.lang.String', 'int'], returns: 'java.lang.String' },
    sleep: { params: ['long'], returns: 'long' },
    echoAttachments: { params: [], returns: 'java.util.Map' },
    overloadString: { name: 'overload', params: ['java.lang.String'], returns: 'java.lang.String' },
    overloadInt: { name: 'overload', params: ['int'], returns: 'java.lang.String' },
    echo: { params: ['java.lang.String'], returns: 'java.lang.String' },
  },
});

/** A TS InteropService provider behaving like the Java InteropServiceImpl for the subset. */
export const interopServiceImpl = {
  echoString: (v: string | null) => v,
  echoInt: (v: number) => v,
  echoLong: (v: number | bigint) => v as number,
  echoDouble: (v: number) => v,
  echoIntArray: (v: number[]) => v,
  echoMap: (v: Map<string, unknown>) => v,
  echoPerson: (v: Person) => v,
  /** As Java's Fixtures.person(name, age). */
  makePerson: (name: string, age: number) => {
    const p = new Person();
    p.name = name;
    p.age = age;
    p.id = age * 1000 + 7;
    p.tags = ['a', 'b', name];
    p.attributes = new Map([
      ['k1', 'v1'],
      ['name', name],
    ]);
    const a = new Address();
    a.street = '1 Main St';
    a.city = 'Springfield';
    a.zip = 12345;
    p.address = a;
    const f = new Person();
    f.name = `friend of ${name}`;
    f.age = age + 1;
    f.tags = [];
    f.attributes = new Map();
    p.friends = [f];
    return p;
  },
  returnNull: () => null,
  throwIllegalArgument: (message: string): string => {
    throw javaException('java.lang.IllegalArgumentException', message);
  },
  sleep: async (millis: number) => {
    await new Promise((r) => setTimeout(r, millis));
    return millis;
  },
  /** As the Java impl: the `x-` attachments received (sorted), and `x-reply` = `reply:<x-trace>` sent back. */
  echoAttachments: (inv: RpcInvocation) => {
    const out = new Map<string, string>();
    for (const k of Object.keys(inv.attachments).sort()) {
      if (k.startsWith('x-')) out.set(k, String(inv.attachments[k]));
    }
    inv.setResponseAttachment('x-reply', `reply:${String(inv.getAttachment('x-trace') ?? null)}`);
    return out;
  },
  throwCustom: (message: string, code: number): string => {
    throw new InteropException(message, code);
  },
  isNull: (v: unknown) => v === null || v === undefined,
  overloadStringInt: (a: string, b: number) => `string,int:${a},${b}`,
  overloadString: (v: string) => `string:${v}`,
  overloadInt: (v: number) => `int:${v}`,
  echo: (v: string) => v,
};
