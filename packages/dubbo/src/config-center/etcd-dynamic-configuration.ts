import type { Watcher } from 'etcd3';
import type { DubboUrl } from '../common/url.js';
import { EtcdSession } from '../registry/etcd/etcd-session.js';
import { registryOptions } from '../registry/registry-options.js';
import { AbstractDynamicConfiguration, type ConfigValue } from './dynamic-configuration.js';
import { configRootPath } from './zookeeper-dynamic-configuration.js';

interface KeyWatch {
  revision: number;
  watcher: Promise<Watcher> | undefined;
  onChange: () => void;
}

/**
 * The etcd (v3 API) config center. Java 3.3 has none in core; this one uses the ZooKeeper layout as keys
 * (`/dubbo/config/{group}/{key}`, namespace from `namespace`), so the same rule text sits at the same path on
 * either server. Each watched key is read, then watched from the next revision (no change falls in between); when
 * the watch stream comes back after a disconnect the key is read again and compared.
 */
export class EtcdDynamicConfiguration extends AbstractDynamicConfiguration {
  private readonly etcd: EtcdSession;
  private readonly root: string;
  private readonly watches = new Map<string, KeyWatch>();

  /** @param url - `etcd://host:2379[?backup=...&namespace=dubbo&timeout=5000]` */
  constructor(url: DubboUrl) {
    const o = registryOptions(url);
    super(url, o.retryInitialMs, o.retryMaxMs);
    this.etcd = new EtcdSession(url, o, () => {});
    this.root = configRootPath(url);
  }

  /** The key of a config key. */
  pathOf(key: string, group: string): string {
    return `${this.root}/${group}/${key}`;
  }

  protected async read(key: string, group: string, onChange: (() => void) | null): Promise<ConfigValue> {
    const path = this.pathOf(key, group);
    const res = await this.etcd.timed(`get ${path}`, this.etcd.client.get(path).exec());
    const revision = Number(res.header.revision);
    let w = this.watches.get(path);
    if (onChange === null) {
      // a plain read
    } else if (w === undefined) {
      const nw: KeyWatch = { revision, watcher: undefined, onChange };
      this.watches.set(path, nw);
      w = nw;
      nw.watcher = this.etcd
        .watch(
          { key: path },
          {
            revision: () => nw.revision,
            active: () => this.watches.get(path) === nw && !this.closed,
            onPut: () => nw.onChange(),
            onDelete: () => nw.onChange(),
            onResumed: () => nw.onChange(),
          },
        )
        .catch((err: unknown) => {
          if (this.watches.get(path) === nw) this.watches.delete(path);
          throw err;
        });
      await nw.watcher;
    } else if (w !== undefined) {
      w.onChange = onChange;
      w.revision = Math.max(w.revision, revision);
    }
    const kv = res.kvs[0];
    if (kv === undefined) return { content: null, version: '' };
    return { content: kv.value.toString('utf8'), version: String(kv.mod_revision) };
  }

  protected async write(key: string, group: string, content: string): Promise<void> {
    const path = this.pathOf(key, group);
    await this.etcd.timed(`put ${path}`, this.etcd.client.put(path).value(content).exec());
  }

  protected async delete(key: string, group: string): Promise<void> {
    const path = this.pathOf(key, group);
    await this.etcd.timed(`delete ${path}`, this.etcd.client.delete().key(path).exec());
  }

  protected override unwatched(key: string, group: string): void {
    const path = this.pathOf(key, group);
    const w = this.watches.get(path);
    this.watches.delete(path);
    w?.watcher?.then((x) => x.cancel()).catch(() => {});
  }

  protected async shutdown(): Promise<void> {
    for (const w of this.watches.values()) w.watcher?.then((x) => x.cancel()).catch(() => {});
    this.watches.clear();
    await this.etcd.close();
  }
}
