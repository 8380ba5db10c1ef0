// TS consumer -> TS provider over loopback: typed calls, POJOs, errors, timeouts, attachments, generic, echo.
import {
  DubboClient,
  DubboError,
  DubboServer,
  defineService,
  type Filter,
  RpcContext,
  type RpcInvocation,
} from '@dubbo-ts/dubbo';
import type { DubboProtocol } from '@dubbo-ts/dubbo/extension';
import { JAVA_TYPE, JavaException, LocalDateTime, Long } from '@dubbo-ts/hessian2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { InteropException, makeUser, Page, Person, User } from '../support/interop-types.js';
import { UserServiceDescriptor, userServiceImpl } from '../support/user-service.js';

let server: DubboServer;
let client: DubboClient;
const seen: string[] = [];

beforeAll(async () => {
  const tracing: Filter = (next) => async (inv) => {
    seen.push(inv.methodName);
    return next(inv);
  };
  server = new DubboServer({ port: 0, filters: [tracing] });
  server.export(UserServiceDescriptor, userServiceImpl);
  server.export(InteropServiceDescriptor, interopServiceImpl);
  server.export(
    InteropServiceDescriptor,
    { ...interopServiceImpl, echo: (v: string) => `v2:${v}` },
    {
      group: 'g',
      version: '2.0.0',
    },
  );
  await server.listen();
  client = new DubboClient({ timeout: 3000 });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('TS consumer -> TS provider', () => {
  it('calls typed methods with Java types from the descriptor', async () => {
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    expect(await svc.echoString('héllo 世界 😀')).toBe('héllo 世界 😀');
    expect(await svc.echoString(null)).toBeNull();
    expect(await svc.echoInt(-262145)).toBe(-262145);
    expect(await svc.echoLong(2 ** 40)).toBe(2 ** 40);
    const big = await svc.echoLong(9007199254740993n);
    expect(Long.isLong(big) ? (big as unknown as Long).toString() : big).toBe('9007199254740993');
    expect(await svc.echoDouble(3)).toBe(3);
    expect(await svc.echoIntArray([1, 2, 3])).toEqual([1, 2, 3]);
    expect(await svc.returnNull()).toBeNull();
    expect(await svc.overloadString('x')).toBe('string:x');
    expect(await svc.overloadInt(5)).toBe('int:5');
  });

  it('sends and receives POJOs as registered classes', async () => {
    const users = client.reference(UserServiceDescriptor, { url: server.address });
    const u = await users.getUser(42);
    expect(u).toBeInstanceOf(User);
    // the provider stamps createTime = updateTime = now (as UserServiceImpl.java); the rest is makeUser's
    expect(u.createTime).toBeInstanceOf(LocalDateTime);
    expect(u).toEqual(makeUser(42, '', u.createTime!));
    expect(await users.createUser(makeUser(1))).toBe(true);
    expect(await users.existUser('someone')).toBe(true);
    const page = await users.listUser(3);
    expect(page).toBeInstanceOf(Page);
    expect(page.pageNo).toBe(3);
    expect(page.result).toHaveLength(15);
    const last = page.result![14]!;
    expect(last).toEqual(makeUser(14, '14', last.createTime!));
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    const p = await svc.makePerson('ann', 30);
    expect(p).toBeInstanceOf(Person);
    expect(p.name).toBe('ann');
    expect(await svc.echoPerson(p)).toEqual(p);
  });

  it('rejects with the Java exception the provider threw', async () => {
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    const err = await svc.throwIllegalArgument('bad input').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JavaException);
    expect((err as JavaException).javaClass).toBe('java.lang.IllegalArgumentException');
    expect((err as JavaException).message).toBe('bad input');
  });

  it('sends a registered exception class with its fields', async () => {
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    const err = (await svc.throwCustom('custom failure', 42).catch((e: unknown) => e)) as InteropException;
    expect(err).toBeInstanceOf(InteropException);
    expect(err.message).toBe('custom failure');
    expect(err.code).toBe(42);
  });

  it('turns a plain TS error into a java.lang.RuntimeException that names it', async () => {
    const Broken = defineService<{ boom(): Promise<string> }>({
      interfaceName: 'test.Broken',
      methods: { boom: [] },
    });
    server.export(Broken, {
      boom: () => {
        throw new TypeError('x is not a function');
      },
    });
    const svc = client.reference(Broken, { url: server.address });
    const err = (await svc.boom().catch((e: unknown) => e)) as JavaException;
    expect(err.javaClass).toBe('java.lang.RuntimeException');
    expect(err.message).toBe('TypeError: x is not a function');
  });

  it('fails a slow call with DUBBO_ERR_CLIENT_TIMEOUT at the per-method timeout', async () => {
    const svc = client.reference(InteropServiceDescriptor, { url: server.address, timeout: 50 });
    const err = (await svc.sleep(1000).catch((e: unknown) => e)) as DubboError;
    expect(err).toBeInstanceOf(DubboError);
    expect(err.code).toBe('DUBBO_ERR_CLIENT_TIMEOUT');
    // the connection still works after the late response arrives
    expect(await svc.echoInt(1)).toBe(1);
  });

  it('carries attachments both ways', async () => {
    const svc = client.reference(InteropServiceDescriptor, {
      url: server.address,
      attachments: { 'x-app': 'tests' },
    });
    RpcContext.setAttachment('x-trace', 'abc');
    const a = await svc.echoAttachments();
    expect([...a]).toEqual([
      ['x-app', 'tests'],
      ['x-trace', 'abc'],
    ]);
    // cleared after the call, as Java's client attachments
    expect((await svc.echoAttachments()).has('x-trace')).toBe(false);
    const echoed = await svc.$call('echoAttachments', [], { attachments: { 'x-trace': 't1' } });
    expect(echoed.attachments['x-reply']).toBe('reply:t1');

    const Tagged = defineService<{ tag(v: string): Promise<string> }>({
      interfaceName: 'test.Tagged',
      methods: { tag: { params: ['java.lang.String'], returns: 'java.lang.String' } },
    });
    server.export(Tagged, {
      tag: async (v: string, inv: RpcInvocation) => {
        await Promise.resolve();
        inv.setResponseAttachment('seen', v);
        return `${inv.getAttachment('x')}`;
      },
    });
    const t = client.reference(Tagged, { url: server.address });
    const r = await t.$call('tag', ['hi'], { attachments: { x: 'from-call' } });
    expect(r.value).toBe('from-call');
    expect(r.attachments.seen).toBe('hi');
    expect(r.attachments.dubbo).toBe('2.0.2');
  });

  it("sends what a consumer filter writes into an invocation's attachments with that call only", async () => {
    const stamping: Filter = (next) => (inv) => {
      if (inv.arguments.length === 0 && stamp !== '') inv.attachments['x-stamp'] = stamp;
      return next(inv);
    };
    let stamp = 'one';
    const c = new DubboClient({ filters: [stamping] });
    try {
      const svc = c.reference(InteropServiceDescriptor, { url: server.address });
      expect(Object.fromEntries(await svc.echoAttachments())).toEqual({ 'x-stamp': 'one' });
      stamp = '';
      expect(Object.fromEntries(await svc.echoAttachments())).toEqual({});
      stamp = 'two';
      expect(Object.fromEntries(await svc.echoAttachments())).toEqual({ 'x-stamp': 'two' });
    } finally {
      await c.close();
    }
  });

  it("gives each served call its own attachments, even when the provider's method changes them", async () => {
    const Mutating = defineService<{ take(v: string): Promise<string> }>({
      interfaceName: 'test.Mutating',
      methods: { take: { params: ['java.lang.String'], returns: 'java.lang.String' } },
    });
    server.export(Mutating, {
      take: (v: string, inv: RpcInvocation) => {
        const before = String(inv.attachments['x-mark'] ?? 'none');
        inv.attachments['x-mark'] = v;
        return before;
      },
    });
    const m = client.reference(Mutating, { url: server.address });
    // the same request bytes each time (the provider remembers them per connection)
    expect(await m.take('a')).toBe('none');
    expect(await m.take('b')).toBe('none');
    expect(await m.take('c')).toBe('none');
  });

  it('passes every argument and then the invocation to methods of any arity', async () => {
    type Arity = {
      a3(a: string, b: string, c: string): Promise<string>;
      a4(a: string, b: string, c: string, d: string): Promise<string>;
      a5(a: string, b: string, c: string, d: string, e: string): Promise<string>;
    };
    const S = 'java.lang.String';
    const ArityService = defineService<Arity>({
      interfaceName: 'test.Arity',
      methods: {
        a3: { params: [S, S, S], returns: S },
        a4: { params: [S, S, S, S], returns: S },
        a5: { params: [S, S, S, S, S], returns: S },
      },
    });
    const join = (...xs: unknown[]) => {
      const inv = xs.pop() as RpcInvocation;
      return `${xs.join('')}:${inv.methodName}:${inv.arguments.length}`;
    };
    server.export(ArityService, { a3: join, a4: join, a5: join } as never);
    const ar = client.reference(ArityService, { url: server.address });
    expect(await ar.a3('a', 'b', 'c')).toBe('abc:a3:3');
    expect(await ar.a4('a', 'b', 'c', 'd')).toBe('abcd:a4:4');
    expect(await ar.a5('a', 'b', 'c', 'd', 'e')).toBe('abcde:a5:5');
  });

  it('routes by group and version', async () => {
    const v2 = client.reference(InteropServiceDescriptor, { url: server.address, group: 'g', version: '2.0.0' });
    expect(await v2.echo('a')).toBe('v2:a');
    const plain = client.reference(InteropServiceDescriptor, { url: server.address });
    expect(await plain.echo('a')).toBe('a');
    const missing = client.reference(InteropServiceDescriptor, { url: server.address, version: '9.9.9' });
    const err = (await missing.echo('a').catch((e: unknown) => e)) as DubboError;
    expect(err.code).toBe('DUBBO_ERR_SERVICE_NOT_FOUND');
  });

  it('answers $echo and generic $invoke with POJOs as maps', async () => {
    const g = client.genericReference(UserServiceDescriptor.interfaceName, { url: server.address });
    expect(await g.$echo('ping')).toBe('ping');
    const user = (await g.$invoke('getUser', ['long'], [7])) as Map<string, unknown>;
    expect(user).toBeInstanceOf(Map);
    expect(user.get('class')).toBe('org.apache.dubbo.interop.service.User');
    expect(user.get('name')).toBe('Doug Lea');
    expect(user.get('id')).toBe(7);
    const created = await g.$invoke(
      'createUser',
      ['org.apache.dubbo.interop.service.User'],
      [{ class: 'org.apache.dubbo.interop.service.User', id: 1, name: 'x' }],
    );
    expect(created).toBe(true);
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    const echoed = (await svc.$invoke(
      'echoPerson',
      ['org.apache.dubbo.interop.service.Person'],
      [{ class: 'org.apache.dubbo.interop.service.Person', name: 'bo', age: 3, id: 1 }],
    )) as Map<string, unknown>;
    expect(echoed.get('name')).toBe('bo');
    expect(echoed.get('class')).toBe('org.apache.dubbo.interop.service.Person');
    const err = (await svc
      .$invoke('throwIllegalArgument', ['java.lang.String'], ['no'])
      .catch((e: unknown) => e)) as JavaException;
    expect(err.javaClass).toBe('org.apache.dubbo.rpc.service.GenericException');
    expect(err.message).toBe('no');
    const missing = (await svc.$invoke('nope', [], []).catch((e: unknown) => e)) as DubboError;
    expect(missing.code).toBe('DUBBO_ERR_SERVICE_NOT_FOUND');
  });

  it('shares one connection between references to the same address', async () => {
    const c = new DubboClient();
    try {
      const a = c.reference(InteropServiceDescriptor, { url: server.address });
      const b = c.reference(UserServiceDescriptor, { url: `${server.address}?timeout=2000` });
      const before = server.exported.length > 0;
      await Promise.all([a.echo('x'), b.existUser('y'), a.echoInt(2)]);
      expect(before).toBe(true);
      expect(c.isConnected('127.0.0.1', server.port)).toBe(true);
      expect((c.protocol() as DubboProtocol).connectionCount).toBe(1); // both references share one connection
    } finally {
      await c.close();
    }
  });

  it('flushes per tick over one provider connection, per event-loop turn over several', async () => {
    const other = new DubboServer({ port: 0 });
    other.export(InteropServiceDescriptor, interopServiceImpl);
    await other.listen();
    const c = new DubboClient();
    try {
      const protocol = c.protocol() as DubboProtocol;
      const one = c.reference(InteropServiceDescriptor, { url: server.address });
      await one.echo('x');
      const first = protocol.exchangeOf('127.0.0.1', server.port)!;
      expect(first.flushOn).toBe('tick');
      const both = c.refer(InteropServiceDescriptor, { url: `${server.address};${other.address}` });
      expect(await Promise.all([0, 1, 2, 3].map((i) => both.proxy.echo(`y${i}`)))).toEqual(['y0', 'y1', 'y2', 'y3']);
      const second = protocol.exchangeOf('127.0.0.1', other.port)!;
      expect([first.flushOn, second.flushOn]).toEqual(['turn', 'turn']);
      await both.destroy(); // the second provider's connection goes: one left
      expect(protocol.connectionCount).toBe(1);
      expect(first.flushOn).toBe('tick');
      expect(await one.echo('z')).toBe('z');
    } finally {
      await c.close();
      await other.close();
    }
  });

  it('runs filters around calls and rejects wrong arity locally', async () => {
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    seen.length = 0;
    await svc.echoInt(3);
    expect(seen).toEqual(['echoInt']);
    const err = (await (svc.echoInt as (...a: unknown[]) => Promise<number>)(1, 2).catch(
      (e: unknown) => e,
    )) as DubboError;
    expect(err.code).toBe('DUBBO_ERR_INVALID_ARG');
  });

  it('keeps the Java type of untyped POJOs through Object parameters', async () => {
    const svc = client.reference(InteropServiceDescriptor, { url: server.address });
    const m = new Map<string, unknown>([['k', 1]]);
    expect(await svc.echoMap(m)).toEqual(m);
    const obj = { a: 1 } as Record<string | symbol, unknown>;
    obj[JAVA_TYPE] = 'com.example.Unknown';
    const back = (await svc.echoMap(new Map([['o', obj]]))) as Map<string, Record<string | symbol, unknown>>;
    expect(back.get('o')![JAVA_TYPE]).toBe('com.example.Unknown');
  });

  it('fails calls to a closed port with a typed error', async () => {
    const c = new DubboClient({ reconnect: false, connectTimeoutMs: 500 });
    try {
      const probe = new DubboServer({ port: 0 });
      await probe.listen();
      const port = probe.port;
      await probe.close();
      const svc = c.reference(InteropServiceDescriptor, { url: `127.0.0.1:${port}` });
      const err = (await svc.echo('x').catch((e: unknown) => e)) as DubboError;
      expect(err).toBeInstanceOf(DubboError);
      expect(['DUBBO_ERR_CONNECT', 'DUBBO_ERR_CHANNEL_INACTIVE']).toContain(err.code);
    } finally {
      await c.close();
    }
  });
});
