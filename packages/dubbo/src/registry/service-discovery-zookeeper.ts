import type { DubboUrl } from '../common/url.js';
import { type RegistryOptions, registryOptions } from './registry-options.js';
import {
  formatZookeeperInstance,
  instanceId,
  parseZookeeperInstance,
  type ServiceInstance,
} from './service-instance.js';
import { ZookeeperConnection } from './zookeeper-connection.js';

/** Called with the full current instance list of an application each time it changes. */
export type InstancesListener = (instances: readonly ServiceInstance[]) => void;

interface AppWatch {
  readonly app: string;
  readonly listeners: Set<InstancesListener>;
  /** node name -> parsed instance (undefined when unparsable). */
  nodes: Map<string, ServiceInstance | undefined>;
  armedGeneration: number;
  delivered: boolean;
}

/**
 * Application-level (Dubbo 3) service discovery on ZooKeeper, in the layout Java 3.3 writes through
 * curator-x-discovery: instances as ephemeral JSON nodes under `/services/{application}/{host:port}`, and the
 * interface -> application mapping as the comma-separated data of `/dubbo/mapping/{interface}`. The instance is
 * written again and watches re-armed after a session is re-created.
 */
export class ZookeeperServiceDiscovery {
  /** The connection (exposed for tests and diagnostics). */
  readonly connection: ZookeeperConnection;
  readonly options: RegistryOptions;
  private readonly instances = new Map<string, ServiceInstance>();
  private readonly watches = new Map<string, AppWatch>();
  private readonly mappingReaders = new Set<() => Promise<void>>();
  private closed = false;

  constructor(readonly url: DubboUrl) {
    this.options = registryOptions(url);
    this.connection = new ZookeeperConnection(
      {
        servers: url.getBackupAddress(2181),
        sessionMs: this.options.sessionMs,
        timeoutMs: this.options.timeoutMs,
        retryInitialMs: this.options.retryInitialMs,
        retryMaxMs: this.options.retryMaxMs,
      },
      {
        onConnected: (newSession) => {
          for (const r of this.mappingReaders) void r().catch(() => {});
          if (!newSession || this.connection.generation === 1) {
            for (const w of this.watches.values()) void this.read(w).catch(() => {});
            return;
          }
          for (const i of this.instances.values()) void this.writeInstance(i).catch(() => {});
          for (const w of this.watches.values()) void this.read(w).catch(() => {});
        },
        onDisconnected: () => {},
      },
    );
  }

  /** `/services` (with the registry namespace). */
  get servicesRoot(): string {
    return `${this.options.namespace}/services`;
  }

  /** `/dubbo/mapping` (the registry `group` as root). */
  get mappingRoot(): string {
    const root = this.options.root === '/' ? '' : this.options.root;
    return `${this.options.namespace}${root}/mapping`;
  }

  private instancePath(i: ServiceInstance): string {
    return `${this.servicesRoot}/${i.serviceName}/${instanceId(i)}`;
  }

  private async writeInstance(i: ServiceInstance): Promise<void> {
    const path = this.instancePath(i);
    await this.connection.mkdirp(path.slice(0, path.lastIndexOf('/')));
    await this.connection.create(path, true, Buffer.from(formatZookeeperInstance(i)));
  }

  /** Registers (or updates) this process's instance; kept across session loss until unregistered. */
  async register(instance: ServiceInstance): Promise<void> {
    const id = `${instance.serviceName}/${instanceId(instance)}`;
    const old = this.instances.get(id);
    this.instances.set(id, instance);
    if (old !== undefined) {
      await this.connection.setData(this.instancePath(instance), Buffer.from(formatZookeeperInstance(instance)));
      return;
    }
    await this.writeInstance(instance);
  }

  /** Removes an instance. */
  async unregister(instance: ServiceInstance): Promise<void> {
    this.instances.delete(`${instance.serviceName}/${instanceId(instance)}`);
    await this.connection.remove(this.instancePath(instance));
  }

  /** The instances of an application, read once. */
  async getInstances(app: string): Promise<ServiceInstance[]> {
    const dir = `${this.servicesRoot}/${app}`;
    const out: ServiceInstance[] = [];
    for (const name of await this.connection.getChildren(dir)) {
      const data = await this.connection.getData(`${dir}/${name}`);
      if (data === undefined) continue;
      try {
        out.push(parseZookeeperInstance(data));
      } catch {
        // a node of another writer: skipped
      }
    }
    return out;
  }

  /** Watches the instances of an application; the listener gets the full list now and on each change. */
  async watchInstances(app: string, listener: InstancesListener): Promise<() => void> {
    let w = this.watches.get(app);
    if (w === undefined) {
      w = { app, listeners: new Set(), nodes: new Map(), armedGeneration: -1, delivered: false };
      this.watches.set(app, w);
      w.listeners.add(listener);
      await this.read(w);
    } else {
      w.listeners.add(listener);
      if (w.delivered) listener(this.list(w));
    }
    const watch = w;
    return () => {
      watch.listeners.delete(listener);
      if (watch.listeners.size === 0) this.watches.delete(app);
    };
  }

  private list(w: AppWatch): ServiceInstance[] {
    const out: ServiceInstance[] = [];
    for (const i of w.nodes.values()) if (i !== undefined) out.push(i);
    return out;
  }

  private async read(w: AppWatch): Promise<void> {
    if (this.closed || this.watches.get(w.app) !== w) return;
    const gen = this.connection.generation;
    const arm = w.armedGeneration !== gen;
    const dir = `${this.servicesRoot}/${w.app}`;
    // A child watch needs the node: create the application's directory (as the first instance would) if missing.
    if (arm) await this.connection.mkdirp(dir);
    const names = await this.connection.getChildren(
      dir,
      arm
        ? () => {
            if (w.armedGeneration !== gen) return;
            w.armedGeneration = -1;
            this.read(w).catch(() => setTimeout(() => this.read(w).catch(() => {}), 1000).unref?.());
          }
        : undefined,
    );
    if (arm) w.armedGeneration = gen;
    const next = new Map<string, ServiceInstance | undefined>();
    for (const name of names) {
      if (w.nodes.has(name)) {
        next.set(name, w.nodes.get(name));
        continue;
      }
      const data = await this.connection.getData(`${dir}/${name}`);
      let inst: ServiceInstance | undefined;
      try {
        inst = data === undefined ? undefined : parseZookeeperInstance(data);
      } catch {
        inst = undefined;
      }
      next.set(name, inst);
    }
    const changed = !w.delivered || next.size !== w.nodes.size || [...next.keys()].some((k) => !w.nodes.has(k));
    w.nodes = next;
    if (!changed) return;
    w.delivered = true;
    const list = this.list(w);
    for (const l of w.listeners) l(list);
  }

  /** The applications that provide `serviceInterface` (`/dubbo/mapping/{interface}`), [] when unknown. */
  async getMapping(serviceInterface: string): Promise<string[]> {
    const data = await this.connection.getData(`${this.mappingRoot}/${serviceInterface}`);
    if (data === undefined) return [];
    return data
      .toString('utf8')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  }

  /**
   * Watches the mapping of `serviceInterface`: the listener gets the application list now and whenever the mapping
   * node changes (re-armed after reconnects and new sessions). Returns a function that stops watching.
   */
  async watchMapping(serviceInterface: string, listener: (apps: string[]) => void): Promise<() => void> {
    const path = `${this.mappingRoot}/${serviceInterface}`;
    let active = true;
    let armed = -1;
    let last = '';
    const read = async (): Promise<void> => {
      if (!active || this.closed) return;
      const gen = this.connection.generation;
      const arm = armed !== gen;
      // exists-or-data watch: getData on a missing node fails, so watch the parent's children until it appears.
      const data = await this.connection.getData(
        path,
        arm
          ? () => {
              if (armed !== gen) return;
              armed = -1;
              read().catch(() => setTimeout(() => read().catch(() => {}), 1000).unref?.());
            }
          : undefined,
      );
      if (data === undefined) {
        await this.connection.mkdirp(this.mappingRoot).catch(() => {});
        await this.connection.getChildren(this.mappingRoot, () => {
          if (active) read().catch(() => {});
        });
      } else if (arm) {
        armed = gen;
      }
      const apps = (data?.toString('utf8') ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0);
      const key = apps.join(',');
      if (key === last && key !== '') return;
      last = key;
      listener(apps);
    };
    this.mappingReaders.add(read);
    await read();
    return () => {
      active = false;
      this.mappingReaders.delete(read);
    };
  }

  /** Adds `app` to the mapping of `serviceInterface` (kept when already there). */
  async addMapping(serviceInterface: string, app: string): Promise<void> {
    const path = `${this.mappingRoot}/${serviceInterface}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.getMapping(serviceInterface);
      if (current.includes(app)) return;
      const value = Buffer.from([...current, app].join(','));
      try {
        if (current.length === 0) {
          await this.connection.mkdirp(this.mappingRoot);
          await this.connection.create(path, false, value);
        } else {
          await this.connection.setData(path, value);
        }
        return;
      } catch {
        // raced with another writer: read again
      }
    }
  }

  /** Unregisters the instances and closes the connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.instances.values()].map((i) => this.unregister(i)));
    this.closed = true;
    this.watches.clear();
    this.connection.close();
  }
}
