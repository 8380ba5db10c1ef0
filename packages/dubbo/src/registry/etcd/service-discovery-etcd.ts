import type { Etcd3, Watcher } from 'etcd3';
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
  formatEtcdInstance,
  instanceId,
  parseEtcdInstance,
  type ServiceInstance,
} from '../discovery/service-instance.js';
import { type RegistryOptions, registryOptions } from '../registry-options.js';
import { childName, EtcdSession } from './etcd-session.js';

/** A watched application: its instance keys, read at one revision and kept current by a prefix watch. */
interface AppWatch {
  readonly app: string;
  readonly prefix: string;
  readonly listeners: Set<InstancesListener>;
  /** key name (`host:port`) -> raw value and parsed instance (undefined when unparsable). */
  readonly entries: Map<string, { raw: string; instance: ServiceInstance | undefined }>;
  /** Revision of the last full read; events at or below it are already in `entries`. */
  revision: number;
  watcher: Watcher | undefined;
  delivered: boolean;
  active: boolean;
}

/**
 * Application-level (Dubbo 3) service discovery on etcd (v3 API), in the layout Java's `EtcdServiceDiscovery`
 * (dubbo-spi-extensions) writes: each instance is the key `/services/{application}/{host}:{port}` holding Gson's JSON
 * of `DefaultServiceInstance` (`{"serviceName","host","port","enabled","healthy","metadata"}`), bound to a lease of
 * TTL `session` kept alive by the client, so it vanishes when the process dies. The interface -> application mapping
 * is the persistent key `/{group}/mapping/{interface}` holding `app1,app2`: dubbo-go's etcd metadata report layout,
 * the same path and value as Java's on ZooKeeper (Java's etcd metadata report keeps no readable mapping).
 *
 * Consumers read an application's prefix and watch it from the next revision (no change falls in between); after
 * the watch stream reconnects the prefix is read again to compare. When the lease is lost (expired, revoked) a new
 * one is granted and the instances (and mappings) are written again, with backoff while that fails.
 */
export class EtcdServiceDiscovery implements ServiceDiscovery {
  /** The etcd client (exposed for tests and diagnostics). */
  readonly client: Etcd3;
  readonly options: RegistryOptions;
  /** `/services` (with the registry namespace). */
  readonly servicesRoot: string;
  /** `/dubbo/mapping` (the registry `group` as root). */
  readonly mappingRoot: string;
  private readonly etcd: EtcdSession;
  private closed = false;
  private readonly instances = new Map<string, ServiceInstance>();
  private readonly watches = new Map<string, AppWatch>();
  /** The mappings this discovery added (written again after a lost lease). */
  private readonly mappings = new AddedMappings();
  private readonly mappingWatchers = new Set<Watcher>();

  constructor(readonly url: DubboUrl) {
    this.options = registryOptions(url);
    this.servicesRoot = servicesRootOf(this.options);
    this.mappingRoot = mappingRootOf(this.options);
    this.etcd = new EtcdSession(url, this.options, () => this.recover());
    this.client = this.etcd.client;
  }

  isAvailable(): boolean {
    return this.etcd.isAvailable();
  }

  /** The ID of the current lease (tests, diagnostics). */
  leaseId(): Promise<string | undefined> {
    return this.etcd.leaseId();
  }

  /** The key of an instance: `/services/{application}/{host}:{port}`. */
  instanceKey(i: Pick<ServiceInstance, 'serviceName' | 'host' | 'port'>): string {
    return `${this.servicesRoot}/${i.serviceName}/${instanceId(i)}`;
  }

  /**
   * Runs `op` again after a growing, jittered delay while it fails and this discovery is open (a write after a lost
   * lease, a watch to re-read after a reconnect): dropping it would lose an instance or a change for good.
   */
  private retrying(op: () => Promise<void>, delayMs = this.options.retryInitialMs): void {
    op().catch(() => {
      if (this.closed) return;
      const next = Math.min(delayMs * 2, this.options.retryMaxMs);
      setTimeout(() => this.retrying(op, next), delayMs * (0.5 + Math.random() / 2)).unref?.();
    });
  }

  private recover(): void {
    if (this.closed) return;
    for (const id of this.instances.keys()) this.retrying(() => this.writeInstance(id));
    for (const write of this.mappings.writes()) this.retrying(write);
  }

  /** Writes the instance registered under `id` (nothing when it was unregistered meanwhile). */
  private async writeInstance(id: string): Promise<void> {
    const i = this.instances.get(id);
    if (i === undefined || this.closed) return;
    const lease = await this.etcd.lease();
    if (this.instances.get(id) !== i) return; // changed or removed while the lease was granted
    const key = this.instanceKey(i);
    await this.etcd.timed(`put ${key}`, lease.put(key).value(formatEtcdInstance(i)).exec());
  }

  /**
   * Registers (or updates) an instance, kept across lease loss until unregistered. When etcd cannot be reached it
   * rejects, and the write is retried in the background anyway.
   */
  async register(instance: ServiceInstance): Promise<void> {
    const id = this.instanceKey(instance);
    this.instances.set(id, instance);
    try {
      await this.writeInstance(id);
    } catch (err) {
      this.retrying(() => this.writeInstance(id));
      throw err;
    }
  }

  update(instance: ServiceInstance): Promise<void> {
    return this.register(instance);
  }

  async unregister(instance: ServiceInstance): Promise<void> {
    const key = this.instanceKey(instance);
    this.instances.delete(key);
    await this.etcd.timed(`delete ${key}`, this.client.delete().key(key).exec());
  }

  async getInstances(app: string): Promise<ServiceInstance[]> {
    const prefix = `${this.servicesRoot}/${app}/`;
    const res = await this.etcd.timed(`get ${prefix}`, this.client.getAll().prefix(prefix).exec());
    const out: ServiceInstance[] = [];
    for (const kv of res.kvs) {
      if (childName(prefix, kv.key) === undefined) continue;
      const inst = parse(kv.value);
      if (inst !== undefined) out.push(inst);
    }
    return out;
  }

  async watchInstances(app: string, listener: InstancesListener): Promise<() => void> {
    let w = this.watches.get(app);
    if (w === undefined) {
      w = {
        app,
        prefix: `${this.servicesRoot}/${app}/`,
        listeners: new Set([listener]),
        entries: new Map(),
        revision: 0,
        watcher: undefined,
        delivered: false,
        active: true,
      };
      this.watches.set(app, w);
      try {
        await this.readAll(w);
        w.watcher = await this.watchPrefix(w);
      } catch (err) {
        // Not watched after all: the caller gets the error and may ask again.
        this.stopWatch(w);
        throw err;
      }
      this.deliver(w);
    } else {
      w.listeners.add(listener);
      if (w.delivered) listener(list(w));
    }
    const watch = w;
    return () => {
      watch.listeners.delete(listener);
      if (watch.listeners.size === 0) this.stopWatch(watch);
    };
  }

  private stopWatch(w: AppWatch): void {
    w.active = false;
    if (this.watches.get(w.app) === w) this.watches.delete(w.app);
    const watcher = w.watcher;
    w.watcher = undefined;
    watcher?.cancel().catch(() => {});
  }

  /** Full read of an application's prefix at one revision; returns whether the instances changed. */
  private async readAll(w: AppWatch): Promise<boolean> {
    const res = await this.etcd.timed(`get ${w.prefix}`, this.client.getAll().prefix(w.prefix).exec());
    const seen = new Set<string>();
    let changed = false;
    for (const kv of res.kvs) {
      const name = childName(w.prefix, kv.key);
      if (name === undefined) continue;
      seen.add(name);
      changed = this.setEntry(w, name, kv.value) || changed;
    }
    for (const name of [...w.entries.keys()]) {
      if (!seen.has(name)) {
        w.entries.delete(name);
        changed = true;
      }
    }
    w.revision = Math.max(w.revision, Number(res.header.revision));
    return changed;
  }

  private setEntry(w: AppWatch, name: string, value: Buffer): boolean {
    const raw = value.toString('utf8');
    if (w.entries.get(name)?.raw === raw) return false;
    w.entries.set(name, { raw, instance: parse(raw) });
    return true;
  }

  private deliver(w: AppWatch): void {
    if (!w.active || this.closed) return;
    w.delivered = true;
    const instances = list(w);
    for (const l of w.listeners) l(instances);
  }

  private watchPrefix(w: AppWatch): Promise<Watcher> {
    return this.etcd.watch(
      { prefix: w.prefix },
      {
        revision: () => w.revision,
        active: () => w.active,
        onPut: (name, kv) => {
          if (this.setEntry(w, name, kv.value)) this.deliver(w);
        },
        onDelete: (name) => {
          if (w.entries.delete(name)) this.deliver(w);
        },
        // The stream resumed from its last revision; read the whole prefix again to compare.
        onResumed: () =>
          this.retrying(async () => {
            if (w.active && (await this.readAll(w))) this.deliver(w);
          }),
      },
    );
  }

  /** The mapping key of an interface: `/dubbo/mapping/{interface}`. */
  mappingKey(serviceInterface: string): string {
    return `${this.mappingRoot}/${serviceInterface}`;
  }

  async getMapping(serviceInterface: string): Promise<string[]> {
    const key = this.mappingKey(serviceInterface);
    const res = await this.etcd.timed(`get ${key}`, this.client.get(key).exec());
    return parseMapping(res.kvs[0]?.value.toString('utf8'));
  }

  async watchMapping(serviceInterface: string, listener: MappingListener): Promise<() => void> {
    const key = this.mappingKey(serviceInterface);
    let active = true;
    let last: string | undefined;
    let revision = 0;
    const emit = (value: string | undefined) => {
      const apps = parseMapping(value);
      const k = apps.join(',');
      if (!active || this.closed || k === last) return;
      last = k;
      listener(apps);
    };
    const read = async (): Promise<void> => {
      const res = await this.etcd.timed(`get ${key}`, this.client.get(key).exec());
      revision = Math.max(revision, Number(res.header.revision));
      emit(res.kvs[0]?.value.toString('utf8'));
    };
    await read(); // rejects when etcd cannot be read: nothing is watched then
    // Watched from the revision after the read: no change falls in between.
    const watcher = await this.etcd.watch(
      { key },
      {
        revision: () => revision,
        active: () => active,
        onPut: (_, kv) => emit(kv.value.toString('utf8')),
        onDelete: () => emit(undefined),
        onResumed: () =>
          this.retrying(async () => {
            if (active) await read();
          }),
      },
    );
    this.mappingWatchers.add(watcher);
    return () => {
      active = false;
      this.mappingWatchers.delete(watcher);
      watcher.cancel().catch(() => {});
    };
  }

  async addMapping(serviceInterface: string, app: string): Promise<void> {
    const write = () => this.writeMapping(serviceInterface, app);
    await this.mappings.add(serviceInterface, app, write, (w) => this.retrying(w));
  }

  /** Adds `app` to a mapping key with a compare-and-swap on its revision (several writers may race). */
  private async writeMapping(serviceInterface: string, app: string): Promise<void> {
    const key = this.mappingKey(serviceInterface);
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await this.etcd.timed(`get ${key}`, this.client.get(key).exec());
      const kv = res.kvs[0];
      const current = parseMapping(kv?.value.toString('utf8'));
      if (current.includes(app)) return;
      const value = [...current, app].join(',');
      const txn =
        kv === undefined ? this.client.if(key, 'Create', '==', 0) : this.client.if(key, 'Mod', '==', kv.mod_revision);
      const done = await this.etcd.timed(`put ${key}`, txn.then(this.client.put(key).value(value)).commit());
      if (done.succeeded) return;
      // raced with another writer: read again
    }
  }

  /** Unregisters the instances, revokes the lease and closes the client. */
  async close(): Promise<void> {
    if (this.closed) return;
    // Not connected, do not wait to unregister (each call would wait its whole timeout): the keys end with the lease.
    if (this.isAvailable()) await Promise.allSettled([...this.instances.values()].map((i) => this.unregister(i)));
    this.closed = true;
    for (const w of [...this.watches.values()]) this.stopWatch(w);
    for (const watcher of this.mappingWatchers) await watcher.cancel().catch(() => {});
    this.mappingWatchers.clear();
    await this.etcd.close();
  }
}

function parse(value: Buffer | string): ServiceInstance | undefined {
  try {
    return parseEtcdInstance(value);
  } catch {
    return undefined; // a key of another writer: skipped
  }
}

function list(w: AppWatch): ServiceInstance[] {
  const out: ServiceInstance[] = [];
  for (const e of w.entries.values()) if (e.instance !== undefined) out.push(e.instance);
  return out;
}
