import type { DubboUrl } from '../../common/url.js';
import {
  AddedMappings,
  type InstancesListener,
  type MappingListener,
  mappingRootOf,
  parseMapping,
  type ServiceDiscovery,
  servicesRootOf,
} from '../discovery/service-discovery.js';
import {
  formatZookeeperInstance,
  instanceId,
  parseZookeeperInstance,
  type ServiceInstance,
} from '../discovery/service-instance.js';
import { type RegistryOptions, registryOptions } from '../registry-options.js';
import { ZookeeperConnection } from './zookeeper-connection.js';

/** One instance node of a watched application, with the data watch that keeps it current. */
interface InstanceNode {
  /** The node's data as last read (undefined when it was gone). */
  raw: string | undefined;
  /** The parsed instance (undefined when missing or unparsable). */
  instance: ServiceInstance | undefined;
  /**
   * The connection generation the node's data watch is armed in; -1 once it fired (or its read failed): the data is
   * then read again, re-arming the watch.
   */
  armedGeneration: number;
}

interface AppWatch {
  readonly app: string;
  readonly listeners: Set<InstancesListener>;
  /** node name -> its last data and data watch. */
  nodes: Map<string, InstanceNode>;
  armedGeneration: number;
  delivered: boolean;
  /** A read is in flight. */
  reading: boolean;
  /** Another read was asked for while one was in flight. */
  again: boolean;
}

/**
 * Application-level (Dubbo 3) service discovery on ZooKeeper, in the layout Java 3.3 writes through
 * curator-x-discovery: instances as ephemeral JSON nodes under `/services/{application}/{host:port}`, and the
 * interface -> application mapping as the comma-separated data of `/dubbo/mapping/{interface}`. The instance is
 * written again and watches re-armed after a session is re-created.
 *
 * A watched application has a child watch on its directory (instances added, removed) and a data watch on each
 * instance node (an instance updated in place, e.g. a new `dubbo.metadata.revision`), as Curator's `ServiceCache`
 * that Java's discovery uses; either delivers the full list again.
 */
export class ZookeeperServiceDiscovery implements ServiceDiscovery {
  /** The connection (exposed for tests and diagnostics). */
  readonly connection: ZookeeperConnection;
  readonly options: RegistryOptions;
  /** `/services` (with the registry namespace). */
  readonly servicesRoot: string;
  /** `/dubbo/mapping` (the registry `group` as root). */
  readonly mappingRoot: string;
  private readonly instances = new Map<string, ServiceInstance>();
  private readonly watches = new Map<string, AppWatch>();
  private readonly mappingReaders = new Set<() => Promise<void>>();
  /** The mappings this discovery added (written again after a new session). */
  private readonly mappings = new AddedMappings();
  private closed = false;

  constructor(readonly url: DubboUrl) {
    this.options = registryOptions(url);
    this.servicesRoot = servicesRootOf(this.options);
    this.mappingRoot = mappingRootOf(this.options);
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
          for (const r of this.mappingReaders) this.retrying(r);
          if (newSession && this.connection.generation > 1) {
            for (const i of this.instances.values()) void this.writeInstance(i).catch(() => {});
            // A server restarted without its data lost the (persistent) mapping too.
            for (const write of this.mappings.writes()) this.retrying(write);
          }
          for (const w of this.watches.values()) this.retrying(() => this.read(w));
        },
        onDisconnected: () => {},
      },
    );
  }

  /**
   * Runs a read, again after a delay while it fails (a timeout under load, a session being re-created) and this
   * discovery is open: a read that re-arms a watch must not be dropped, or later changes would go unseen.
   */
  private retrying(read: () => Promise<void>, delayMs = 500): void {
    read().catch(() => {
      if (this.closed) return;
      setTimeout(() => this.retrying(read, Math.min(delayMs * 2, this.options.retryMaxMs)), delayMs).unref?.();
    });
  }

  isAvailable(): boolean {
    return this.connection.isConnected;
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
    try {
      if (old !== undefined) {
        await this.connection.setData(this.instancePath(instance), Buffer.from(formatZookeeperInstance(instance)));
        return;
      }
      await this.writeInstance(instance);
    } catch (err) {
      // Written in the background while registered (a reconnect within the session would not write it again).
      this.retrying(async () => {
        if (this.instances.get(id) === instance) await this.writeInstance(instance);
      });
      throw err;
    }
  }

  update(instance: ServiceInstance): Promise<void> {
    return this.register(instance);
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
      w = {
        app,
        listeners: new Set(),
        nodes: new Map(),
        armedGeneration: -1,
        delivered: false,
        reading: false,
        again: false,
      };
      this.watches.set(app, w);
      w.listeners.add(listener);
      try {
        await this.read(w);
      } catch (err) {
        // Not watched after all: the caller gets the error and may ask again.
        w.listeners.delete(listener);
        if (w.listeners.size === 0 && this.watches.get(app) === w) this.watches.delete(app);
        throw err;
      }
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
    for (const n of w.nodes.values()) if (n.instance !== undefined) out.push(n.instance);
    return out;
  }

  /**
   * Reads an application's instances and delivers them when they changed. Reads of one watch never overlap: a read
   * asked for while one is in flight runs once more after it, so a slower, older read cannot overwrite a newer list.
   */
  private async read(w: AppWatch): Promise<void> {
    if (w.reading) {
      w.again = true;
      return;
    }
    w.reading = true;
    try {
      do {
        w.again = false;
        await this.readOnce(w);
      } while (w.again);
    } finally {
      w.reading = false;
    }
  }

  private async readOnce(w: AppWatch): Promise<void> {
    if (this.closed || this.watches.get(w.app) !== w) return;
    const gen = this.connection.generation;
    const arm = w.armedGeneration !== gen;
    const dir = `${this.servicesRoot}/${w.app}`;
    // A child watch needs the node: create the application's directory (as the first instance would) if missing.
    if (arm) await this.connection.mkdirp(dir);
    // Marked armed before the call: the watch event may reach the watcher before this function resumes.
    if (arm) w.armedGeneration = gen;
    let names: string[];
    try {
      names = await this.connection.getChildren(
        dir,
        arm
          ? () => {
              if (w.armedGeneration !== gen) return;
              w.armedGeneration = -1;
              this.retrying(() => this.read(w));
            }
          : undefined,
      );
    } catch (err) {
      if (arm && w.armedGeneration === gen) w.armedGeneration = -1;
      throw err;
    }
    const next = new Map<string, InstanceNode>();
    let changed = !w.delivered || names.length !== w.nodes.size;
    for (const name of names) {
      const old = w.nodes.get(name);
      if (old === undefined) changed = true;
      // Unchanged since its data was read: its data watch is still armed in this session.
      if (old !== undefined && old.armedGeneration === gen) {
        next.set(name, old);
        continue;
      }
      // New, changed (its data watch fired), or read before a new session: read it, arming a data watch.
      const node: InstanceNode = old ?? { raw: undefined, instance: undefined, armedGeneration: -1 };
      next.set(name, node);
      const raw = await this.readInstanceNode(w, node, `${dir}/${name}`, gen);
      if (old !== undefined && raw === node.raw) continue;
      changed = true;
      node.raw = raw;
      try {
        node.instance = raw === undefined ? undefined : parseZookeeperInstance(raw);
      } catch {
        node.instance = undefined; // a node of another writer: skipped
      }
    }
    w.nodes = next;
    if (!changed) return;
    w.delivered = true;
    const list = this.list(w);
    for (const l of w.listeners) l(list);
  }

  /**
   * Reads an instance node's data and arms a data watch on it in the same request, so no update falls between the
   * read and the watch; the (one-shot) watch marks the node for reading again and re-reads the application.
   * Undefined when the node is gone (no watch is set then: the child watch reports the deletion).
   */
  private async readInstanceNode(
    w: AppWatch,
    node: InstanceNode,
    path: string,
    gen: number,
  ): Promise<string | undefined> {
    // Marked armed before the call: the watch event may reach the watcher before this function resumes.
    node.armedGeneration = gen;
    let data: Buffer | undefined;
    try {
      data = await this.connection.getData(path, () => {
        if (node.armedGeneration !== gen) return;
        node.armedGeneration = -1;
        this.retrying(() => this.read(w));
      });
    } catch (err) {
      if (node.armedGeneration === gen) node.armedGeneration = -1;
      throw err;
    }
    if (data === undefined && node.armedGeneration === gen) node.armedGeneration = -1;
    return data?.toString('utf8');
  }

  /** The applications that provide `serviceInterface` (`/dubbo/mapping/{interface}`), [] when unknown. */
  async getMapping(serviceInterface: string): Promise<string[]> {
    const data = await this.connection.getData(`${this.mappingRoot}/${serviceInterface}`);
    return parseMapping(data?.toString('utf8'));
  }

  /**
   * Watches the mapping of `serviceInterface`: the listener gets the application list now and whenever the mapping
   * node changes (re-armed after reconnects and new sessions). Returns a function that stops watching.
   */
  async watchMapping(serviceInterface: string, listener: MappingListener): Promise<() => void> {
    const path = `${this.mappingRoot}/${serviceInterface}`;
    let active = true;
    let armed = -1;
    let last: string | undefined;
    const readOnce = async (): Promise<void> => {
      if (!active || this.closed) return;
      const gen = this.connection.generation;
      if (armed !== gen) {
        // An exists watch is set whether or not the node is there, and fires on its creation, data change or
        // deletion: no window in which the mapping can appear unseen. Marked armed before the call, since the event
        // may reach the watcher before this function resumes.
        armed = gen;
        try {
          await this.connection.exists(path, () => {
            if (armed !== gen) return;
            armed = -1;
            this.retrying(read);
          });
        } catch (err) {
          if (armed === gen) armed = -1;
          throw err;
        }
      }
      const data = await this.connection.getData(path);
      const apps = parseMapping(data?.toString('utf8'));
      const key = apps.join(',');
      if (key === last) return;
      last = key;
      if (active && !this.closed) listener(apps);
    };
    // Reads never overlap (one asked for meanwhile runs after): an older answer cannot follow a newer one.
    let reading = false;
    let again = false;
    const read = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          await readOnce();
        } while (again);
      } finally {
        reading = false;
      }
    };
    this.mappingReaders.add(read);
    try {
      await read();
    } catch (err) {
      // Not watched after all: the caller gets the error and may ask again.
      active = false;
      this.mappingReaders.delete(read);
      throw err;
    }
    return () => {
      active = false;
      this.mappingReaders.delete(read);
    };
  }

  /** Adds `app` to the mapping of `serviceInterface` (kept when already there). */
  async addMapping(serviceInterface: string, app: string): Promise<void> {
    const write = () => this.writeMapping(serviceInterface, app);
    await this.mappings.add(serviceInterface, app, write, (w) => this.retrying(w));
  }

  private async writeMapping(serviceInterface: string, app: string): Promise<void> {
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

  /**
   * Unregisters the instances and closes the connection. Not connected, it does not wait to unregister (an
   * operation would wait its whole timeout): the instances' ephemeral nodes end with the session.
   */
  async close(): Promise<void> {
    if (this.isAvailable()) await Promise.allSettled([...this.instances.values()].map((i) => this.unregister(i)));
    this.closed = true;
    this.watches.clear();
    this.connection.close();
  }
}
