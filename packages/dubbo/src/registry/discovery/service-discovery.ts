import type { DubboUrl } from '../../common/url.js';
import type { RegistryOptions } from '../registry-options.js';
import type { ServiceInstance } from './service-instance.js';

/** Called with the full current instance list of an application each time it changes. */
export type InstancesListener = (instances: readonly ServiceInstance[]) => void;

/** Called with the applications providing an interface, now and each time the mapping changes. */
export type MappingListener = (apps: string[]) => void;

/**
 * Application-level (Dubbo 3) service discovery on one registry server (Java's `ServiceDiscovery` plus the
 * interface -> application part of its `ServiceNameMapping`): instances of applications, and which applications
 * provide an interface. Implemented on ZooKeeper ({@link ZookeeperServiceDiscovery}) and etcd
 * ({@link EtcdServiceDiscovery}), in the layouts Java writes there. Used by `ServiceDiscoveryRegistry` (consumer
 * side) and `registerServer` (provider side).
 *
 * Registered instances and watches are kept across reconnects and session / lease loss until unregistered or
 * closed; a fault never produces a notification (the last good list stays).
 */
export interface ServiceDiscovery {
  /** The registry URL. */
  readonly url: DubboUrl;
  /** Settings read from the registry URL (timeouts, backoff, root, namespace). */
  readonly options: RegistryOptions;
  /** Whether the server is reachable right now. */
  isAvailable(): boolean;
  /** Registers this process's instance; registering the same `host:port` again updates it. */
  register(instance: ServiceInstance): Promise<void>;
  /** Writes a changed instance (same application, host and port). */
  update(instance: ServiceInstance): Promise<void>;
  /** Removes an instance. */
  unregister(instance: ServiceInstance): Promise<void>;
  /** The instances of an application, read once. */
  getInstances(app: string): Promise<ServiceInstance[]>;
  /**
   * Watches the instances of an application: the listener gets the full list once read and on each change.
   * Resolves with a function that stops watching; rejects when the first read failed (nothing is watched then).
   */
  watchInstances(app: string, listener: InstancesListener): Promise<() => void>;
  /** The applications that provide `serviceInterface`, [] when unknown. */
  getMapping(serviceInterface: string): Promise<string[]>;
  /**
   * Watches the mapping of `serviceInterface`: the listener gets the application list now and whenever it changes.
   * Resolves with a function that stops watching; rejects when the first read failed (nothing is watched then).
   */
  watchMapping(serviceInterface: string, listener: MappingListener): Promise<() => void>;
  /**
   * Adds `app` to the mapping of `serviceInterface` (kept when already there). The mapping is persistent, as Java's
   * is; this discovery writes it again after a new session / lease (a server restarted without its data).
   */
  addMapping(serviceInterface: string, app: string): Promise<void>;
  /** Unregisters this discovery's instances and closes the connection. */
  close(): Promise<void>;
}

/**
 * Where application-level discovery keeps its instances, the same on ZooKeeper and etcd:
 * `{namespace}/services` (Curator's base path; Java's etcd discovery uses it too).
 */
export function servicesRootOf(options: RegistryOptions): string {
  return `${options.namespace}/services`;
}

/**
 * Where the interface -> application mappings are kept, the same on ZooKeeper and etcd: `{namespace}{root}/mapping`,
 * the registry `group` as root (`/dubbo/mapping` by default).
 */
export function mappingRootOf(options: RegistryOptions): string {
  const root = options.root === '/' ? '' : options.root;
  return `${options.namespace}${root}/mapping`;
}

/** Splits a mapping value (`app1,app2`) into application names. */
export function parseMapping(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * The interface -> application mappings a discovery added, each with the function that writes it, so they can be
 * written again after a new session / lease (a server that restarted without its data lost them).
 */
export class AddedMappings {
  private readonly byKey = new Map<string, () => Promise<void>>();

  /**
   * Records a mapping and writes it; a failed write rejects and is handed to `retry` (to run again in the background).
   */
  async add(
    serviceInterface: string,
    app: string,
    write: () => Promise<void>,
    retry: (write: () => Promise<void>) => void,
  ): Promise<void> {
    const key = `${serviceInterface}\n${app}`;
    if (!this.byKey.has(key)) this.byKey.set(key, write);
    try {
      await write();
    } catch (err) {
      retry(write);
      throw err;
    }
  }

  /** The write of every mapping recorded. */
  writes(): IterableIterator<() => Promise<void>> {
    return this.byKey.values();
  }
}
