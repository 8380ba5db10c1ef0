// The application root's config (#14): YAML with Java's / dubbo-go's key spellings, code, environment overrides,
// and bad configs refused at start with every problem listed by key path.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DubboApplication, DubboConfigError, loadDubboConfig } from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { etcdAddress, unique, zookeeperAddress } from '../support/services.js';
import { UserServiceDescriptor, userServiceImpl } from '../support/user-service.js';

const apps: DubboApplication[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.stop().catch(() => {});
});

const PKG = 'org.apache.dubbo.interop.service';

describe('application config from YAML', () => {
  it('starts a YAML app with two registries, two services and two references, and calls through them', async () => {
    const group = `app-${unique()}`;
    const yaml = `
spring:
  profile: ignored            # other top-level keys are not dubbo's
dubbo:
  application:
    name: yaml-app
  registries:
    zk:
      address: zookeeper://${zookeeperAddress()}
    etcd:
      protocol: etcd
      address: ${etcdAddress()}
      timeout: 5s
  protocols:
    dubbo:
      name: dubbo
      port: 0
      host: 127.0.0.1
  provider:
    services:
      InteropProvider:
        interface: ${PKG}.InteropService
        group: ${group}
        version: 1.0.0
      UserProvider:
        interface: ${PKG}.UserService
        group: ${group}
        registry-ids: zk
        timeout: 4000
  consumer:
    timeout: 3000
    references:
      InteropClient:
        interface: ${PKG}.InteropService
        group: ${group}
        version: 1.0.0
        registry-ids: [etcd]
      UserClient:
        interface: ${PKG}.UserService
        group: ${group}
        registry-ids: zk
  shutdown:
    step-timeout: 2s
    consumer-update-wait-time: 100ms
    internal-signal: false
`;
    const app = new DubboApplication({ yaml, env: {} });
    apps.push(app);
    app.service('InteropProvider', InteropServiceDescriptor, interopServiceImpl);
    app.service('UserProvider', UserServiceDescriptor, userServiceImpl);
    const interop = app.reference('InteropClient', InteropServiceDescriptor);
    const users = app.reference('UserClient', UserServiceDescriptor);
    await app.start(); // ready: both references were checked (check defaults to true) and found the provider
    expect(await interop.echoString('via etcd')).toBe('via etcd');
    expect(await users.existUser('ann')).toBe(true);
    expect(app.config?.registries.etcd?.timeout).toBe(5000);
    expect(app.config?.shutdown['step-timeout']).toBe(2000);
    const steps = await app.stop();
    expect(steps.map((s) => s.name)).toEqual(['unregister', 'notify', 'provider', 'consumer']);
    expect(steps[0]!.counts.registries).toBe(2);
    expect(steps.every((s) => !s.timedOut)).toBe(true);
  });

  it('starts from code alone, the environment overriding it', async () => {
    const app = new DubboApplication({
      config: { application: { name: 'from-code' }, protocols: { dubbo: { port: 20880, host: '127.0.0.1' } } },
      env: { DUBBO_PROTOCOL_PORT: '0', DUBBO_APPLICATION_NAME: 'from-env', DUBBO_SHUTDOWN_INTERNAL_SIGNAL: 'false' },
    });
    apps.push(app);
    app.service('Interop', InteropServiceDescriptor, interopServiceImpl);
    await app.start();
    expect(app.config?.application.name).toBe('from-env');
    const server = app.protocolServers.get('dubbo')!;
    expect(server.port).not.toBe(20880);
    expect(server.urlOf(server.exported[0]!).getParameter('application')).toBe('from-env');
  });

  it('reads a YAML file, laid over the YAML text; a missing file is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dubbo-ts-config-'));
    const file = join(dir, 'dubbo.yml');
    writeFileSync(file, 'dubbo:\n  application:\n    name: from-file\n  shutdown:\n    internal-signal: false\n');
    const app = new DubboApplication({
      yaml: 'dubbo:\n  application:\n    name: from-text\n    version: 1.2.3\n',
      file,
      env: {},
    });
    const config = await app.loadConfig();
    expect(config.application.name).toBe('from-file');
    expect(config.application.version).toBe('1.2.3');
    const missing = new DubboApplication({ file: join(dir, 'nope.yml'), env: {} });
    await expect(missing.start()).rejects.toThrow(/\(file\): cannot read .*nope\.yml/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('lays the environment over YAML over defaults (documented precedence)', async () => {
    const yaml =
      'dubbo:\n  application:\n    name: a\n  registries:\n    zk:\n      address: zookeeper://127.0.0.1:2181\n';
    const { config, fromEnv } = await loadDubboConfig({
      yaml,
      config: { application: { name: 'b' } },
      env: { DUBBO_REGISTRY_ADDRESS: 'zookeeper://10.0.0.1:2181', DUBBO_SHUTDOWN_STEP_TIMEOUT: '5s' },
    });
    expect(config.application.name).toBe('b'); // code over YAML
    expect(config.registries.zk?.address).toBe('zookeeper://10.0.0.1:2181'); // env over both
    expect(config.shutdown['step-timeout']).toBe(5000);
    expect(config.shutdown.timeout).toBe(60_000); // dubbo-go's default
    expect(config.consumer.check).toBe(true); // Java's default
    expect(config.protocols.dubbo?.port).toBe(20880); // Java's default
    expect(fromEnv.sort()).toEqual(['DUBBO_REGISTRY_ADDRESS', 'DUBBO_SHUTDOWN_STEP_TIMEOUT']);
  });
});

/** Each broken config, the key path its message must name, and what was expected. */
const broken: [what: string, yaml: string, path: RegExp][] = [
  ['unknown key', 'dubbo:\n  application:\n    name: a\n    nmae: b\n', /dubbo\.application\.nmae: unknown key/],
  ['missing application name', 'dubbo:\n  application: {}\n', /dubbo\.application\.name: /],
  [
    'wrong type',
    'dubbo:\n  application:\n    name: a\n  protocols:\n    dubbo:\n      port: "x"\n',
    /dubbo\.protocols\.dubbo\.port: .*number/,
  ],
  [
    'port out of range',
    'dubbo:\n  application:\n    name: a\n  protocols:\n    dubbo:\n      port: 70000\n',
    /dubbo\.protocols\.dubbo\.port: /,
  ],
  [
    'bad registry URL',
    'dubbo:\n  application:\n    name: a\n  registries:\n    zk:\n      address: "http://x:1"\n',
    /dubbo\.registries\.zk\.address: expected a zookeeper:\/\/ or etcd:\/\//,
  ],
  [
    'registry without port',
    'dubbo:\n  application:\n    name: a\n  registries:\n    zk:\n      address: zookeeper://host\n',
    /dubbo\.registries\.zk\.address: expected host:port/,
  ],
  [
    'bad duration',
    'dubbo:\n  application:\n    name: a\n  shutdown:\n    step-timeout: soon\n',
    /dubbo\.shutdown\.step-timeout: expected a duration/,
  ],
  [
    'duplicate service',
    `dubbo:\n  application:\n    name: a\n  provider:\n    services:\n      A:\n        interface: ${PKG}.InteropService\n      B:\n        interface: ${PKG}.InteropService\n`,
    /dubbo\.provider\.services\.B: duplicate service/,
  ],
  [
    'unknown registry id',
    `dubbo:\n  application:\n    name: a\n  consumer:\n    references:\n      R:\n        interface: x.Y\n        url: dubbo://127.0.0.1:1\n        registry-ids: nope\n`,
    /dubbo\.consumer\.references\.R\.registry-ids: unknown registry 'nope'/,
  ],
  [
    'reference with no way to find providers',
    'dubbo:\n  application:\n    name: a\n  consumer:\n    references:\n      R:\n        interface: x.Y\n',
    /dubbo\.consumer\.references\.R: expected a url, or a registry/,
  ],
  [
    'protocol other than dubbo',
    'dubbo:\n  application:\n    name: a\n  protocols:\n    tri:\n      name: tri\n      port: 50051\n',
    /dubbo\.protocols\.tri\.name: expected 'dubbo'/,
  ],
  [
    'two protocols on one port',
    'dubbo:\n  application:\n    name: a\n  protocols:\n    a:\n      port: 20880\n    b:\n      port: 20880\n',
    /dubbo\.protocols\.b\.port: 20880 is already the port of protocol a/,
  ],
  ['not YAML', 'dubbo: [\n', /\(yaml\): not valid YAML/],
];

describe('a bad config is refused at start, every problem named by key path', () => {
  it.each(broken)('%s', async (_what, yaml, path) => {
    const app = new DubboApplication({ yaml, env: {} });
    app.service('A', InteropServiceDescriptor, interopServiceImpl);
    app.service('B', InteropServiceDescriptor, interopServiceImpl);
    const err = await app.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DubboConfigError);
    expect((err as DubboConfigError).code).toBe('DUBBO_ERR_CONFIG');
    expect((err as DubboConfigError).message).toMatch(path);
    expect(app.protocolServers.size).toBe(0); // nothing was started
  });

  it('lists every problem at once', async () => {
    const yaml =
      'dubbo:\n  application:\n    nmae: a\n  protocols:\n    dubbo:\n      port: -1\n  shutdown:\n    timeout: later\n';
    let err: DubboConfigError | null = null;
    try {
      await loadDubboConfig({ yaml, env: {} });
    } catch (e) {
      err = e as DubboConfigError;
    }
    expect(err?.problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining([
        'dubbo.application.nmae',
        'dubbo.application.name',
        'dubbo.protocols.dubbo.port',
        'dubbo.shutdown.timeout',
      ]),
    );
  });

  it('refuses a configured service with no implementation bound', async () => {
    const yaml = `dubbo:\n  application:\n    name: a\n  provider:\n    services:\n      Missing:\n        interface: ${PKG}.InteropService\n`;
    const app = new DubboApplication({ yaml, env: {} });
    await expect(app.start()).rejects.toThrow(/dubbo\.provider\.services\.Missing: no implementation bound/);
  });

  it('refuses to start when a checked reference has no provider, and starts with check: false', async () => {
    const yaml = `dubbo:\n  application:\n    name: a\n  consumer:\n    references:\n      R:\n        interface: ${PKG}.InteropService\n        url: dubbo://127.0.0.1:1\n  shutdown:\n    internal-signal: false\n`;
    const app = new DubboApplication({ yaml, env: {}, checkTimeoutMs: 200 });
    await expect(app.start()).rejects.toMatchObject({ code: 'DUBBO_ERR_NO_PROVIDER' });
    const lenient = new DubboApplication({ yaml: yaml.replace('url:', 'check: false\n        url:'), env: {} });
    apps.push(lenient);
    await lenient.start();
  });
});
