import { DubboError } from '../../errors.js';

/** Metadata keys of a Dubbo 3 service instance (Java's `ServiceInstanceMetadataUtils`). */
export const INSTANCE_METADATA_KEYS = {
  /** JSON array of `{ port, protocol }`: the ports the instance serves each protocol on. */
  ENDPOINTS: 'dubbo.endpoints',
  /** JSON object: the URL parameters of the instance's MetadataService (protocol, port, version...). */
  METADATA_SERVICE_URL_PARAMS: 'dubbo.metadata-service.url-params',
  /** The revision of the instance's metadata (which services it exports, with which parameters). */
  REVISION: 'dubbo.metadata.revision',
  /** `local` (ask the instance's MetadataService) or `remote` (read the metadata report). */
  STORAGE_TYPE: 'dubbo.metadata.storage-type',
} as const;

/** A Dubbo 3 service instance: one process of an application, as application-level discovery sees it. */
export interface ServiceInstance {
  /** The application name (Java's `ServiceInstance.serviceName`). */
  readonly serviceName: string;
  /** Host registered. */
  readonly host: string;
  /** Port registered (the first protocol's port). */
  readonly port: number;
  /** The instance metadata (string values; some hold JSON). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Registration time (ms since the epoch), when known. */
  readonly registrationTime?: number;
}

/** `host:port`, the instance id and ZooKeeper node name Java uses. */
export function instanceId(i: Pick<ServiceInstance, 'host' | 'port'>): string {
  return `${i.host}:${i.port}`;
}

/** The metadata revision of an instance (`0` when it exports nothing). */
export function instanceRevision(i: ServiceInstance): string | undefined {
  return i.metadata[INSTANCE_METADATA_KEYS.REVISION];
}

/** The port an instance serves `protocol` on (its `dubbo.endpoints`, else its registered port). */
export function endpointPort(i: ServiceInstance, protocol: string): number {
  const raw = i.metadata[INSTANCE_METADATA_KEYS.ENDPOINTS];
  if (raw) {
    try {
      const list = JSON.parse(raw) as { port?: number; protocol?: string }[];
      const e = Array.isArray(list) ? list.find((x) => x?.protocol === protocol) : undefined;
      if (e && typeof e.port === 'number') return e.port;
    } catch {
      // fall through to the registered port
    }
  }
  return i.port;
}

/** The parameters of an instance's MetadataService URL (`dubbo.metadata-service.url-params`). */
export function metadataServiceParams(i: ServiceInstance): Record<string, string> {
  const raw = i.metadata[INSTANCE_METADATA_KEYS.METADATA_SERVICE_URL_PARAMS];
  if (!raw) return {};
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
  } catch {
    return {};
  }
}

/**
 * Parses the JSON node Java 3.3's ZooKeeper service discovery writes (curator-x-discovery's `ServiceInstance` with a
 * `ZookeeperInstance` payload holding the metadata).
 *
 * @throws DubboError `DUBBO_ERR_REGISTRY_DATA` on anything else.
 */
export function parseZookeeperInstance(data: Buffer | string): ServiceInstance {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new DubboError('DUBBO_ERR_REGISTRY_DATA', 'service instance node is not JSON', { cause: err });
  }
  const payload = (o?.payload ?? {}) as Record<string, unknown>;
  const name = o?.name;
  const address = o?.address;
  const port = o?.port;
  if (typeof name !== 'string' || typeof address !== 'string' || typeof port !== 'number') {
    throw new DubboError('DUBBO_ERR_REGISTRY_DATA', 'service instance node lacks name, address or port');
  }
  const meta: Record<string, string> = {};
  const m = payload.metadata;
  if (m !== null && typeof m === 'object') for (const [k, v] of Object.entries(m)) meta[k] = String(v);
  return {
    serviceName: name,
    host: address,
    port,
    metadata: meta,
    registrationTime: typeof o.registrationTimeUTC === 'number' ? o.registrationTimeUTC : undefined,
  };
}

/** The JSON Java 3.3's ZooKeeper service discovery writes for an instance (same fields, same order). */
export function formatZookeeperInstance(i: ServiceInstance): string {
  const id = instanceId(i);
  return JSON.stringify({
    name: i.serviceName,
    id,
    address: i.host,
    port: i.port,
    sslPort: null,
    payload: {
      '@class': 'org.apache.dubbo.registry.zookeeper.ZookeeperInstance',
      id,
      name: i.serviceName,
      metadata: i.metadata,
    },
    registrationTimeUTC: i.registrationTime ?? Date.now(),
    serviceType: 'DYNAMIC',
    uriSpec: null,
  });
}

/**
 * Parses the JSON Java's etcd service discovery (dubbo-spi-extensions `EtcdServiceDiscovery`) writes: Gson's form of
 * `DefaultServiceInstance`, `{"serviceName","host","port","enabled","healthy","metadata":{...}}` (an `id` may be
 * there too).
 *
 * @throws DubboError `DUBBO_ERR_REGISTRY_DATA` on anything else.
 */
export function parseEtcdInstance(data: Buffer | string): ServiceInstance {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(typeof data === 'string' ? data : data.toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new DubboError('DUBBO_ERR_REGISTRY_DATA', 'service instance value is not JSON', { cause: err });
  }
  const name = o?.serviceName;
  const host = o?.host;
  const port = o?.port;
  if (typeof name !== 'string' || typeof host !== 'string' || typeof port !== 'number') {
    throw new DubboError('DUBBO_ERR_REGISTRY_DATA', 'service instance value lacks serviceName, host or port');
  }
  if (o.enabled === false) throw new DubboError('DUBBO_ERR_REGISTRY_DATA', `instance ${host}:${port} is disabled`);
  const meta: Record<string, string> = {};
  const m = o.metadata;
  if (m !== null && typeof m === 'object') for (const [k, v] of Object.entries(m)) meta[k] = String(v);
  return { serviceName: name, host, port, metadata: meta };
}

/** The JSON Java's etcd service discovery writes for an instance (Gson's `DefaultServiceInstance`, same field order). */
export function formatEtcdInstance(i: ServiceInstance): string {
  return JSON.stringify({
    serviceName: i.serviceName,
    host: i.host,
    port: i.port,
    enabled: true,
    healthy: true,
    metadata: i.metadata,
  });
}
