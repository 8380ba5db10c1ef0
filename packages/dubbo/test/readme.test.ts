// The README's quick start, kept here so it stays true.
import { DubboClient, DubboServer, defineService, RpcContext, type RpcInvocation } from '@dubbo-ts/dubbo';
import { defaultRegistry, type JavaException, javaException } from '@dubbo-ts/hessian2';
import { expect, it } from 'vitest';

it('README quick start works', async () => {
  // README:begin
  // A Java POJO, registered under its Java class name.
  class User {
    id = 0;
    name = '';
  }
  defaultRegistry.registerClass(User, 'com.example.User', [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
  ]);

  // The Java interface, described once (for consumers and providers).
  interface UserService {
    getUser(id: number): Promise<User>;
    rename(user: User, name: string): Promise<User>;
  }
  const UserServiceDescriptor = defineService<UserService>({
    interfaceName: 'com.example.UserService',
    methods: {
      getUser: { params: ['long'], returns: 'com.example.User' },
      rename: { params: ['com.example.User', 'java.lang.String'], returns: 'com.example.User', timeout: 3000 },
    },
  });

  // Provider: a plain object implements it (methods may be async; the invocation comes last).
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(
    UserServiceDescriptor,
    {
      getUser: (id, inv: RpcInvocation) => {
        if (id < 0) throw javaException('java.lang.IllegalArgumentException', `bad id ${id}`);
        inv.setResponseAttachment('served-by', 'ts');
        return Object.assign(new User(), { id, name: `user ${id} (trace ${inv.getAttachment('trace')})` });
      },
      rename: async (user, name) => Object.assign(user, { name }),
    },
    { version: '1.0.0' },
  );
  await server.listen();

  // Consumer: a typed proxy; Java parameter types come from the descriptor.
  const client = new DubboClient({ timeout: 1000 });
  const users = client.reference(UserServiceDescriptor, { url: server.address, version: '1.0.0' });
  RpcContext.setAttachment('trace', 't-1'); // attachments of the next call
  const u = await users.getUser(42); // User { id: 42, name: 'user 42 (trace t-1)' }
  const renamed = await users.rename(u, 'ann'); // User { id: 42, name: 'ann' }
  const failed = await users.getUser(-1).catch((e: JavaException) => `${e.javaClass}: ${e.message}`);
  // -> 'java.lang.IllegalArgumentException: bad id -1'
  const generic = await users.$invoke('getUser', ['long'], [7]); // Map { 'class' => 'com.example.User', ... }

  // Several providers behind one reference (Java's `url=a;b`), a balancer chosen by name; retries go to the other.
  const replica = new DubboServer({ host: '127.0.0.1', port: 0 });
  replica.export(
    UserServiceDescriptor,
    { getUser: (id) => Object.assign(new User(), { id, name: 'from the replica' }), rename: async (user) => user },
    { version: '1.0.0' },
  );
  await replica.listen();
  const fleet = client.refer(UserServiceDescriptor, {
    url: `${server.address};${replica.address}`,
    version: '1.0.0',
    loadbalance: 'roundrobin',
  });
  await fleet.ready; // both connections up
  const both = [await fleet.proxy.getUser(1), await fleet.proxy.getUser(2)].map((x) => x.name); // one from each
  await client.close();
  await replica.close();
  await server.close();
  // README:end
  expect(u).toBeInstanceOf(User);
  expect(u.name).toBe('user 42 (trace t-1)');
  expect(renamed.name).toBe('ann');
  expect(failed).toBe('java.lang.IllegalArgumentException: bad id -1');
  expect((generic as Map<string, unknown>).get('class')).toBe('com.example.User');
  expect(both).toEqual(['user 1 (trace undefined)', 'from the replica']);
});
