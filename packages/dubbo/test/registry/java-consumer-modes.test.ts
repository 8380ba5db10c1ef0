// A TS provider registered in ZooKeeper with registerServer's defaults (register mode `all`, as Java's: interface
// URLs, application instance, mapping and MetadataService) found and called by a Java Dubbo 3.3 consumer in its
// default migration mode and in each forced one.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  createRegistry,
  DubboServer,
  defineService,
  registerBuiltinRegistries,
  registerServer,
  type ServerRegistration,
  type ZookeeperRegistry,
} from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique, zookeeperAddress } from '../support/services.js';

registerBuiltinRegistries();
const script = fileURLToPath(new URL('../../../../tools/interop/java/registry-consumer.sh', import.meta.url));

interface Greeter {
  greet(name: string): string;
}
const GreeterDescriptor = defineService<Greeter>({
  interfaceName: 'org.apache.dubbo.interop.GreeterService',
  methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
});

function javaConsumer(mode: string, group: string, name: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'bash',
      [script, 'call', `zookeeper://${zookeeperAddress()}`, mode, group, name],
      { timeout: 150_000, maxBuffer: 1 << 22 },
      (err, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('RESULT ') || l.startsWith('FAIL '));
        if (line?.startsWith('RESULT ')) resolve(line.slice(7));
        else reject(new Error(`java consumer ${mode}: ${line ?? err?.message}\n${stderr.slice(-2000)}`));
      },
    ),
  );
}

describe('Java consumer finds a TS provider through ZooKeeper', () => {
  const group = `g${unique().replace(/-/g, '')}`;
  let server: DubboServer;
  let registration: ServerRegistration;
  let registry: ZookeeperRegistry;

  beforeAll(async () => {
    registry = createRegistry(`zookeeper://${zookeeperAddress()}?session=10000`) as ZookeeperRegistry;
    server = new DubboServer({ host: '127.0.0.1', port: 0 });
    server.export(GreeterDescriptor, { greet: (n: string) => `TS says hi to ${n}` }, { group });
    await server.listen();
    registration = await registerServer(server, {
      registry, // a plain zookeeper:// registry: register mode `all` by default
      application: 'dubbo-ts-registry-test-java', // fixed: the interface -> application mapping is persistent
      // Java consumers replace a 127.x provider host with the machine's address (NetUtils.filterLocalHost); the
      // IPv4-mapped literal keeps their calls on loopback (as tools/interop/java/interop.sh does for Java providers).
      host: '[::ffff:127.0.0.1]',
    });
    expect(registration.urls).toHaveLength(1);
    expect(registration.instance?.serviceName).toBe('dubbo-ts-registry-test-java');
  });
  afterAll(async () => {
    await registration.unregister();
    await server.close(200);
    await registry.destroy();
  });

  it.each(['DEFAULT', 'FORCE_INTERFACE', 'FORCE_APPLICATION', 'APPLICATION_FIRST'])(
    'in migration mode %s',
    async (mode) => {
      expect(await javaConsumer(mode, group, mode)).toBe(`TS says hi to ${mode}`);
    },
    160_000,
  );
});
