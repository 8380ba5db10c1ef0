// Addresses of the real servers the tests use. Each comes from an environment variable (set by tools/test.sh), else
// from the state file the service script wrote (.services/<name>.addr, for a developer who started the services by
// hand), else a loopback default.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const servicesDir =
  process.env.DUBBO_TS_SERVICES_DIR ?? fileURLToPath(new URL('../../../../.services', import.meta.url));

function address(envName: string, stateName: string, fallback: string): string {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  const file = `${servicesDir}/${stateName}.addr`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return fallback;
}

/** host:port of the test ZooKeeper. */
export const zookeeperAddress = (): string => address('DUBBO_TS_ZOOKEEPER', 'zookeeper', '127.0.0.1:2181');
/** host:port of the test etcd. */
export const etcdAddress = (): string => address('DUBBO_TS_ETCD', 'etcd', '127.0.0.1:2379');
/** host:port of the Java GreeterProvider started by tools/interop/java/greeter.sh. */
export const javaGreeterAddress = (): string => address('DUBBO_TS_JAVA_GREETER', 'java-greeter', '127.0.0.1:20880');

/** A path-safe unique suffix, so tests never see each other's nodes. */
export const unique = (): string =>
  `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
