import type { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';

/**
 * Settings of a registry, read from the registry URL parameters (the same names a Dubbo user sets on
 * `<dubbo:registry>`), e.g. `zookeeper://127.0.0.1:2181?timeout=5000&session=30000&group=dubbo`.
 */
export interface RegistryOptions {
  /** Root node / key prefix (Java `group`, `/` prepended). @defaultValue `/dubbo` */
  readonly root: string;
  /**
   * Extra path prepended to every path (`namespace` parameter); lets several isolated environments share one
   * server. Java's ZooKeeper and etcd registries have no such setting: leave it unset next to Java services.
   * @defaultValue `''`
   */
  readonly namespace: string;
  /**
   * Connect and per-operation timeout in ms (`timeout`): Java 3.3's default for its ZooKeeper client (Curator's
   * connection timeout), so a registry on a busy machine or network is given as long as Java gives it.
   * @defaultValue 30000
   */
  readonly timeoutMs: number;
  /** ZooKeeper session timeout, and etcd lease TTL, in ms (`session`). @defaultValue 60000 */
  readonly sessionMs: number;
  /** First delay of the retry/reconnect backoff in ms (`retry-period`, jittered). @defaultValue 500 */
  readonly retryInitialMs: number;
  /**
   * Whether, for `timeout` + `retry-max-period` ms after a session or lease was re-created (time for the other
   * processes to re-create theirs and write themselves back), a subscription keeps its last list instead of
   * dropping to zero providers (`empty-protection`). @defaultValue true
   */
  readonly emptyProtection: boolean;
  /** Largest retry/reconnect delay in ms (`retry-max-period`). @defaultValue 10000 */
  readonly retryMaxMs: number;
}

function positive(url: DubboUrl, key: string, def: number): number {
  const v = url.getIntParameter(key, def);
  if (v <= 0) throw new DubboError('DUBBO_ERR_INVALID_ARG', `registry parameter ${key} must be > 0, got ${v}`);
  return v;
}

/** Reads {@link RegistryOptions} from a registry URL. @throws DubboError `DUBBO_ERR_INVALID_ARG` on bad values. */
export function registryOptions(url: DubboUrl): RegistryOptions {
  let root = url.getParameter('group', 'dubbo');
  if (!root.startsWith('/')) root = `/${root}`;
  let namespace = url.getParameter('namespace', '');
  if (namespace !== '' && !namespace.startsWith('/')) namespace = `/${namespace}`;
  if (namespace.endsWith('/')) namespace = namespace.slice(0, -1);
  return {
    root: root === '/' ? root : root.replace(/\/+$/, ''),
    namespace,
    timeoutMs: positive(url, 'timeout', 30_000),
    sessionMs: positive(url, 'session', 60_000),
    retryInitialMs: positive(url, 'retry-period', 500),
    emptyProtection: url.getBooleanParameter('empty-protection', true),
    retryMaxMs: positive(url, 'retry-max-period', 10_000),
  };
}
