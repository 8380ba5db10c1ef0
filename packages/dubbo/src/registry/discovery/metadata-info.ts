import { createHash } from 'node:crypto';
import { java } from '@dubbo-ts/hessian2';
import { DubboUrl } from '../../common/url.js';
import { defineService } from '../../config/service-descriptor.js';
import { urlHost } from '../../protocol/protocol.js';

/** Java's `org.apache.dubbo.metadata.MetadataService` interface name. */
export const METADATA_SERVICE_INTERFACE = 'org.apache.dubbo.metadata.MetadataService';
/** Version of the MetadataService every Dubbo 3 instance exports (its group is the application name). */
export const METADATA_SERVICE_VERSION = '1.0.0';
const METADATA_INFO_CLASS = 'org.apache.dubbo.metadata.MetadataInfo';
const SERVICE_INFO_CLASS = 'org.apache.dubbo.metadata.MetadataInfo$ServiceInfo';

/** The part of Java's MetadataService dubbo-ts calls and serves. */
export interface MetadataServiceApi {
  getMetadataInfo(revision: string): unknown;
}

/** Descriptor of Java's MetadataService (`getMetadataInfo(String)` returns a `MetadataInfo`). */
export const MetadataServiceDescriptor = defineService<MetadataServiceApi>({
  interfaceName: METADATA_SERVICE_INTERFACE,
  methods: { getMetadataInfo: { params: ['java.lang.String'], returns: METADATA_INFO_CLASS } },
});

/** One exported service of an application's metadata (Java's `MetadataInfo.ServiceInfo`). */
export interface ServiceInfo {
  readonly name: string;
  readonly group?: string | undefined;
  readonly version?: string | undefined;
  readonly protocol: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
}

/** What an application exports (Java's `MetadataInfo`), keyed by match key `group/name:version:protocol`. */
export interface MetadataInfo {
  readonly app: string;
  readonly revision: string;
  readonly services: ReadonlyMap<string, ServiceInfo>;
}

/** Java's `ServiceInfo.getMatchKey()`: the service key, then `:protocol`. */
export function matchKey(s: Pick<ServiceInfo, 'name' | 'group' | 'version' | 'protocol'>): string {
  const key = DubboUrl.buildKey(s.name, s.group, s.version);
  return s.protocol ? `${key}:${s.protocol}` : key;
}

/** The {@link ServiceInfo} of a provider URL (parameters except per-process ones). */
export function serviceInfoOf(url: DubboUrl): ServiceInfo {
  const params: Record<string, string> = {};
  for (const [k, v] of url.parameters) if (k !== 'pid' && k !== 'timestamp') params[k] = v;
  return {
    name: url.serviceInterface ?? url.path ?? '',
    group: url.group,
    version: url.version,
    protocol: url.protocol ?? 'dubbo',
    path: url.path ?? url.serviceInterface ?? '',
    params,
  };
}

/**
 * Builds an application's metadata and its revision: an MD5 (hex) over the application name and each service's
 * match key, methods and sorted parameters, in match-key order. Any change of what is exported changes it; Java
 * consumers use the revision only as a cache key, so it need not equal what Java would compute.
 */
export function buildMetadataInfo(app: string, services: readonly ServiceInfo[]): MetadataInfo {
  const map = new Map<string, ServiceInfo>();
  for (const s of services) map.set(matchKey(s), s);
  if (map.size === 0) return { app, revision: '0', services: map };
  const h = createHash('md5').update(app);
  for (const key of [...map.keys()].sort()) {
    const s = map.get(key) as ServiceInfo;
    h.update(key).update(s.path);
    for (const k of Object.keys(s.params).sort()) h.update(`${k}=${s.params[k]};`);
  }
  return { app, revision: h.digest('hex'), services: map };
}

/** The Java object a MetadataService returns for `info` (classes `MetadataInfo`, `MetadataInfo$ServiceInfo`). */
export function toJavaMetadataInfo(info: MetadataInfo): unknown {
  const services = new Map<string, unknown>();
  for (const [key, s] of info.services) {
    services.set(
      key,
      java.object(SERVICE_INFO_CLASS, {
        name: s.name,
        group: s.group ?? null,
        version: s.version ?? null,
        protocol: s.protocol,
        path: s.path,
        params: java.map('java.util.HashMap', new Map(Object.entries(s.params))),
      }),
    );
  }
  return java.object(METADATA_INFO_CLASS, {
    app: info.app,
    revision: info.revision,
    services: java.map('java.util.HashMap', services),
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function entries(v: unknown): [unknown, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (v !== null && typeof v === 'object') return Object.entries(v as Record<string, unknown>);
  return [];
}

/** Reads the `MetadataInfo` a Java (or TS) MetadataService returned, as decoded by hessian2. */
export function fromJavaMetadataInfo(value: unknown): MetadataInfo {
  const o = (value ?? {}) as Record<string, unknown>;
  const services = new Map<string, ServiceInfo>();
  for (const [key, raw] of entries(o.services)) {
    const s = (raw ?? {}) as Record<string, unknown>;
    const params: Record<string, string> = {};
    for (const [k, v] of entries(s.params)) if (v !== null && v !== undefined) params[String(k)] = String(v);
    const name = str(s.name) ?? '';
    services.set(String(key), {
      name,
      group: str(s.group),
      version: str(s.version),
      protocol: str(s.protocol) ?? 'dubbo',
      path: str(s.path) ?? name,
      params,
    });
  }
  return { app: str(o.app) ?? '', revision: str(o.revision) ?? '', services };
}

/** The provider URL a consumer builds from an instance's address and one service of its metadata. */
export function providerUrlOf(host: string, port: number, s: ServiceInfo): DubboUrl {
  let url = new DubboUrl({ protocol: s.protocol, host: urlHost(host), port, path: s.path, parameters: s.params });
  url = url.addParameterIfAbsent('interface', s.name);
  if (s.group) url = url.addParameterIfAbsent('group', s.group);
  if (s.version) url = url.addParameterIfAbsent('version', s.version);
  return url;
}
