// The consumer side of application-level discovery (ServiceDiscoveryRegistry) over an in-memory discovery: how an
// instance's metadata revision is resolved through its MetadataService, when instances are listed with a revision
// their MetadataService no longer has (rewritten in place since).

import { DubboServer, DubboUrl, ServiceDiscoveryRegistry } from '@dubbo-ts/dubbo';
import {
  buildMetadataInfo,
  DubboProtocol,
  fetchMetadata,
  type InstancesListener,
  type MappingListener,
  MetadataServiceDescriptor,
  type RegistryOptions,
  registryOptions,
  type ServiceDiscovery,
  type ServiceInstance,
  serviceInfoOf,
  toJavaMetadataInfo,
  withProvidedBy,
} from '@dubbo-ts/dubbo/extension';
import { type Logger, setLogger } from '@dubbo-ts/gost';
import { afterEach, describe, expect, it } from 'vitest';
import { consumerUrl, providerUrl, RecordingListener } from './registry-helpers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

/** Instances set by the test, delivered to watchers at once; no mapping. */
class MemoryDiscovery implements ServiceDiscovery {
  readonly options: RegistryOptions;
  private readonly lists = new Map<string, ServiceInstance[]>();
  private readonly listeners = new Map<string, Set<InstancesListener>>();

  constructor(readonly url: DubboUrl) {
    this.options = registryOptions(url);
  }

  /** Replaces the instances of `app` and notifies its watchers. */
  set(app: string, instances: ServiceInstance[]): void {
    this.lists.set(app, instances);
    for (const l of this.listeners.get(app) ?? []) l(instances);
  }

  isAvailable(): boolean {
    return true;
  }
  async register(): Promise<void> {}
  async update(): Promise<void> {}
  async unregister(): Promise<void> {}
  async getInstances(app: string): Promise<ServiceInstance[]> {
    return this.lists.get(app) ?? [];
  }
  async watchInstances(app: string, listener: InstancesListener): Promise<() => void> {
    let set = this.listeners.get(app);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(app, set);
    }
    set.add(listener);
    listener(this.lists.get(app) ?? []);
    return () => set.delete(listener);
  }
  async getMapping(): Promise<string[]> {
    return [];
  }
  async watchMapping(_serviceInterface: string, listener: MappingListener): Promise<() => void> {
    listener([]);
    return () => {};
  }
  async addMapping(): Promise<void> {}
  async close(): Promise<void> {}
}

const app = 'dubbo-ts-memory-app';
const iface = 'org.apache.dubbo.tstest.MemoryRevision';

/** A server whose MetadataService (group = app) answers `answer(revision)`. */
async function metadataServer(answer: (revision: string) => unknown): Promise<DubboServer> {
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(MetadataServiceDescriptor, { getMetadataInfo: answer }, { group: app, version: '1.0.0' });
  await server.listen();
  cleanups.push(() => server.close(100));
  return server;
}

function instanceOf(port: number, revision: string): ServiceInstance {
  return {
    serviceName: app,
    host: '127.0.0.1',
    port,
    metadata: {
      'dubbo.metadata.revision': revision,
      'dubbo.endpoints': JSON.stringify([{ port, protocol: 'dubbo' }]),
      'dubbo.metadata-service.url-params': JSON.stringify({ port: String(port), protocol: 'dubbo', version: '1.0.0' }),
    },
  };
}

/** The metadata of `app` exporting `iface` (its revision depends on the services only). */
const metadata = buildMetadataInfo(app, [serviceInfoOf(providerUrl(iface, 1))]);
const revision = metadata.revision;

describe('ServiceDiscoveryRegistry: metadata revisions', () => {
  it('fetchMetadata rejects an answer about another revision (null from Java, the current one from TS)', async () => {
    const other = buildMetadataInfo(app, [serviceInfoOf(providerUrl(`${iface}Other`, 1))]);
    const gone = await metadataServer(() => null);
    const moved = await metadataServer(() => toJavaMetadataInfo(other));
    const current = await metadataServer((r) => (r === revision ? toJavaMetadataInfo(metadata) : null));
    await expect(fetchMetadata(app, revision, instanceOf(gone.port, revision), 5000)).rejects.toMatchObject({
      code: 'DUBBO_ERR_REGISTRY',
    });
    await expect(fetchMetadata(app, revision, instanceOf(moved.port, revision), 5000)).rejects.toThrow(
      `answered revision ${other.revision}`,
    );
    const info = await fetchMetadata(app, revision, instanceOf(current.port, revision), 5000);
    expect(info.revision).toBe(revision);
    expect([...info.services.values()].map((s) => s.name)).toEqual([iface]);
  });

  it('asks the next instance of a revision when the first no longer has it, and does not cache its empty answer', async () => {
    // The first instance was listed with `revision` but has been rewritten in place since (its MetadataService, as
    // Java's, answers null for it); the second still serves it.
    const movedOn = await metadataServer(() => null);
    const serving = await metadataServer((r) => (r === revision ? toJavaMetadataInfo(metadata) : null));
    const discovery = new MemoryDiscovery(DubboUrl.valueOf('zookeeper://127.0.0.1:1?retry-period=50'));
    discovery.set(app, [instanceOf(movedOn.port, revision), instanceOf(serving.port, revision)]);
    const registry = new ServiceDiscoveryRegistry(discovery.url, discovery);
    cleanups.push(() => registry.destroy());
    const listener = new RecordingListener();
    await registry.subscribe(withProvidedBy(consumerUrl(iface), [app]), listener);
    await listener.waitForAddresses([`127.0.0.1:${movedOn.port}`, `127.0.0.1:${serving.port}`]);

    // Only the instance that moved on is left, still listed with the old revision: the metadata is cached now.
    discovery.set(app, [instanceOf(movedOn.port, revision)]);
    await listener.waitForAddresses([`127.0.0.1:${movedOn.port}`]);
    // An instance with a new revision: its MetadataService is asked for that one, and the URLs follow what it exports.
    const next = buildMetadataInfo(app, [serviceInfoOf(providerUrl(iface, 1, { methods: 'greet' }))]);
    const rewritten = await metadataServer((r) => (r === next.revision ? toJavaMetadataInfo(next) : null));
    discovery.set(app, [instanceOf(rewritten.port, next.revision)]);
    await listener.waitForAddresses([`127.0.0.1:${rewritten.port}`]);
    expect(listener.urls[0]?.getParameter('methods')).toBe('greet');
  });

  it('logs a failed MetadataService call with the instance and the cause, and calls through the subscriber protocol', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    setLogger(logger);
    cleanups.push(async () => setLogger(await import('@dubbo-ts/gost').then((g) => g.consoleLogger)));
    const probe = new DubboServer({ host: '127.0.0.1', port: 0 });
    await probe.listen();
    const deadPort = probe.port;
    await probe.close(0); // nothing listens there now: the MetadataService call fails to connect
    const serving = await metadataServer((r) => (r === revision ? toJavaMetadataInfo(metadata) : null));
    const discovery = new MemoryDiscovery(DubboUrl.valueOf('zookeeper://127.0.0.1:1?retry-period=50'));
    discovery.set(app, [instanceOf(deadPort, revision), instanceOf(serving.port, revision)]);
    const registry = new ServiceDiscoveryRegistry(discovery.url, discovery);
    cleanups.push(() => registry.destroy());
    // The subscriber's protocol: MetadataService calls borrow its connections (counted here).
    const protocol = new DubboProtocol({ reconnect: false });
    cleanups.push(() => protocol.destroy());
    const referred: string[] = [];
    const counting = Object.assign(Object.create(protocol) as DubboProtocol, {
      refer: (url: DubboUrl, service: Parameters<DubboProtocol['refer']>[1]) => {
        referred.push(url.address ?? '');
        return protocol.refer(url, service);
      },
    });
    const listener = Object.assign(new RecordingListener(), { protocol: counting });
    await registry.subscribe(withProvidedBy(consumerUrl(iface), [app]), listener);
    await listener.waitForAddresses([`127.0.0.1:${deadPort}`, `127.0.0.1:${serving.port}`]);
    const failed = warnings.find((w) => w.includes('MetadataService') && w.includes(`127.0.0.1:${deadPort}`));
    expect(failed).toBeDefined();
    expect(failed).toContain(app);
    expect(failed).toContain(revision);
    expect(failed).toMatch(/connect/i); // the cause
    expect(referred).toContain(`127.0.0.1:${deadPort}`);
    expect(referred).toContain(`127.0.0.1:${serving.port}`);
  });
});
