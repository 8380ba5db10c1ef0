import type { DubboUrl } from '../common/url.js';
import { registryOptions } from '../registry/registry-options.js';
import { ZookeeperConnection } from '../registry/zookeeper/zookeeper-connection.js';
import { AbstractDynamicConfiguration, type ConfigValue } from './dynamic-configuration.js';

/**
 * The root of a config center's keys, Java's TreePathDynamicConfiguration layout: `/{namespace}/config`, namespace
 * from the URL's `namespace` (default `dubbo`); a key is `{root}/{group}/{key}`, so governance rules are at
 * `/dubbo/config/dubbo/{key}`.
 */
export function configRootPath(url: DubboUrl): string {
  const ns = (url.getParameter('namespace') || 'dubbo').replace(/^\/+|\/+$/g, '');
  return `/${ns}/config`;
}

/**
 * The ZooKeeper config center (Java's ZookeeperDynamicConfiguration layout): one persistent node per key, its data
 * the value (UTF-8). Each watched key has one `exists` watch armed per session (it fires on creation, change and
 * deletion); the connection survives reconnects and session expiry as the registry's does, and every watched key is
 * read again after either, so a change made meanwhile is not lost and nothing is dropped for a lost connection.
 */
export class ZookeeperDynamicConfiguration extends AbstractDynamicConfiguration {
  /** The connection (exposed for tests and diagnostics). */
  readonly connection: ZookeeperConnection;
  private readonly root: string;
  /** Per path, the connection generation whose watch is armed on it. */
  private readonly armed = new Map<string, number>();

  /** @param url - `zookeeper://host:2181[?backup=...&namespace=dubbo&timeout=5000&session=60000]` */
  constructor(url: DubboUrl) {
    const o = registryOptions(url);
    super(url, o.retryInitialMs, o.retryMaxMs);
    this.root = configRootPath(url);
    this.connection = new ZookeeperConnection(
      {
        servers: url.getBackupAddress(2181),
        sessionMs: o.sessionMs,
        timeoutMs: o.timeoutMs,
        retryInitialMs: o.retryInitialMs,
        retryMaxMs: o.retryMaxMs,
      },
      {
        // First connection: the reads already under way succeed. Later ones (same or new session): compare.
        onConnected: () => {
          if (this.connection?.generation > 1 || this.armed.size > 0) this.refreshAll();
        },
        onDisconnected: () => {},
      },
    );
  }

  /** The node of a key. */
  pathOf(key: string, group: string): string {
    return `${this.root}/${group}/${key}`;
  }

  protected async read(key: string, group: string, onChange: (() => void) | null): Promise<ConfigValue> {
    const path = this.pathOf(key, group);
    const gen = this.connection.generation;
    const arm = onChange !== null && this.armed.get(path) !== gen;
    if (arm) this.armed.set(path, gen); // before the call: the event may come in the same chunk as the reply
    try {
      const stat = await this.connection.exists(
        path,
        arm
          ? () => {
              if (this.armed.get(path) === gen) this.armed.delete(path);
              onChange?.();
            }
          : undefined,
      );
      if (stat === undefined) return { content: null, version: '' };
      const data = await this.connection.getData(path);
      if (data === undefined) return { content: null, version: '' };
      return { content: data.toString('utf8'), version: String(stat.version) };
    } catch (err) {
      if (arm && this.armed.get(path) === gen) this.armed.delete(path);
      throw err;
    }
  }

  protected async write(key: string, group: string, content: string): Promise<void> {
    const path = this.pathOf(key, group);
    await this.connection.mkdirp(path.slice(0, path.lastIndexOf('/')));
    await this.connection.create(path, false, Buffer.from(content, 'utf8'));
  }

  protected delete(key: string, group: string): Promise<void> {
    return this.connection.remove(this.pathOf(key, group));
  }

  protected override unwatched(key: string, group: string): void {
    // The armed watch fires once more at most; its read finds no listener and stops.
    this.armed.delete(this.pathOf(key, group));
  }

  protected async shutdown(): Promise<void> {
    this.connection.close();
  }
}
