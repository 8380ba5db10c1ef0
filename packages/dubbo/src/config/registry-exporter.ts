import { getLogger, localIp } from '@dubbo-ts/gost';
import type { DubboUrl } from '../common/url.js';
import type { DynamicConfiguration } from '../config-center/dynamic-configuration.js';
import { DubboError } from '../errors.js';
import { socketHost, urlHost } from '../protocol/protocol.js';
import {
  buildMetadataInfo,
  METADATA_SERVICE_INTERFACE,
  METADATA_SERVICE_VERSION,
  type MetadataInfo,
  MetadataServiceDescriptor,
  serviceInfoOf,
  toJavaMetadataInfo,
} from '../registry/discovery/metadata-info.js';
import type { ServiceDiscovery } from '../registry/discovery/service-discovery.js';
import { INSTANCE_METADATA_KEYS, type ServiceInstance } from '../registry/discovery/service-instance.js';
import type { Registry } from '../registry/registry.js';
import type { DubboServer } from './dubbo-server.js';
import { type ProviderConfigurators, providerConfigurators } from './provider-configurators.js';

/** Where a provider registers (Java's `register-mode`): interface URLs, its application instance, or both. */
export type RegisterMode = 'interface' | 'instance' | 'all';

/** Options of {@link registerServer}. */
export interface ServerRegistrationOptions {
  /** The registries to register in. */
  registry: Registry | readonly Registry[];
  /** Host written in the provider URLs. @defaultValue the server's host, or the machine's address when it is `0.0.0.0`/`::` */
  host?: string;
  /** Extra URL parameters of every provider URL. @defaultValue none */
  parameters?: Record<string, string>;
  /**
   * Application-level discovery to register the instance in (`instance` and `all` modes). The server then also
   * exports Java's MetadataService (group = application, version 1.0.0) so Java and TS consumers can learn its
   * services. @defaultValue the discoveries of the registries that have application level attached
   * ({@link Registry.applicationLevel}: plain `zookeeper://` and `etcd://` URLs)
   */
  discovery?: ServiceDiscovery | readonly ServiceDiscovery[];
  /**
   * Java's `register-mode`. @defaultValue the registries' `register-mode` URL parameter, else `'all'` when there is
   * a discovery (Java 3.3's default), else `'interface'`
   */
  registerMode?: RegisterMode;
  /**
   * Application name (instance, metadata, and the URLs' `application`). @defaultValue the URLs' `application`
   * (the server's), else 'dubbo-ts-provider'
   */
  application?: string;
  /**
   * Where the provider's override rules (`{app}.configurators`, `{iface}:{version}:{group}.configurators`, side
   * provider) are read from, to re-register the URLs they change: a URL, a {@link DynamicConfiguration} (not closed
   * here), or `false`. @defaultValue the first registry's server, as Java (`use-as-config-center=false` opts out)
   */
  configCenter?: string | DynamicConfiguration | false;
  /**
   * Only these services, by service key (`group/interface:version`), each with extra URL parameters (a provider's
   * `timeout`, `retries`, `weight`... reach its consumers). @defaultValue every service the server exports
   */
  services?: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

/** The provider URLs of a server in its registries; {@link ServerRegistration.unregister} on shutdown. */
export class ServerRegistration {
  private readonly registries: Registry[];
  /** The application instance registered (instance/all modes). */
  instance: ServiceInstance | undefined;
  /** The application metadata served by the MetadataService (instance/all modes). */
  metadata: MetadataInfo | undefined;
  /** The discoveries the instance is registered in (instance/all modes). */
  discoveries: readonly ServiceDiscovery[] = [];
  /** @internal The override rules that re-register the URLs. */
  configurators: ProviderConfigurators | null = null;
  private readonly initialUrls: readonly DubboUrl[];

  constructor(
    registries: Registry | readonly Registry[],
    /** The provider URLs registered at interface level. */
    urls: readonly DubboUrl[],
  ) {
    this.registries = (Array.isArray(registries) ? registries : [registries]) as Registry[];
    this.initialUrls = urls;
  }

  /** The provider URLs registered at interface level, as override rules made them. */
  get urls(): readonly DubboUrl[] {
    return this.configurators?.urls ?? this.initialUrls;
  }

  /** Registers every URL in every registry (failures are retried by the registry in the background). */
  async register(): Promise<void> {
    const instance = this.instance;
    await allThenFirstError([
      ...(instance === undefined ? [] : this.discoveries.map((d) => d.register(instance))),
      ...this.registries.flatMap((r) => this.urls.map((u) => r.register(u))),
    ]);
  }

  /**
   * Removes every URL from every registry. Call first on shutdown, before closing the server, so consumers stop
   * sending calls before the connections go.
   */
  async unregister(): Promise<void> {
    await this.configurators?.close();
    const instance = this.instance;
    await Promise.allSettled([
      ...(instance === undefined ? [] : this.discoveries.map((d) => d.unregister(instance))),
      ...this.registries.flatMap((r) => this.urls.map((u) => r.unregister(u))),
    ]);
  }
}

/**
 * Registers every service a listening {@link DubboServer} exports, with the keys a Java 3.3 provider writes
 * (`interface`, `methods`, `side`, `dubbo`, `serialization`, `prefer.serialization`, `dynamic`, `pid`,
 * `timestamp`...), so Java and TS consumers find it.
 */
export async function registerServer(
  server: DubboServer,
  options: ServerRegistrationOptions,
): Promise<ServerRegistration> {
  // The URL writes an IPv6 literal in brackets (`dubbo://[::1]:20880`), the instance JSON without, as Java does.
  const host = socketHost(
    options.host ?? (server.host === '0.0.0.0' || server.host === '::' || server.host === '' ? localIp() : server.host),
  );
  const timestamp = String(Date.now());
  const only = options.services;
  const urls = server.exported
    .filter((svc) => svc.descriptor.interfaceName !== METADATA_SERVICE_INTERFACE)
    .filter((svc) => only === undefined || only.has(svc.serviceKey))
    .map((svc) =>
      server
        .urlOf(svc)
        .withHost(urlHost(host))
        .addParametersIfAbsent({
          anyhost: 'false',
          deprecated: 'false',
          dubbo: '2.0.2',
          dynamic: 'true',
          generic: 'false',
          pid: String(process.pid),
          'prefer.serialization': 'hessian2',
          timestamp,
        })
        .addParameters(options.application === undefined ? {} : { application: options.application })
        .addParameters(options.parameters ?? {})
        .addParameters(only?.get(svc.serviceKey) ?? {}),
    );
  const registries = (Array.isArray(options.registry) ? options.registry : [options.registry]) as Registry[];
  const discoveries = discoveriesOf(options, registries);
  const mode = registerModeOf(options, registries, discoveries.length > 0);
  const reg = new ServerRegistration(mode === 'instance' ? [] : registries, mode === 'instance' ? [] : urls);
  const mappings: Promise<void>[] = [];
  if (mode !== 'interface') {
    if (discoveries.length === 0) {
      throw new DubboError(
        'DUBBO_ERR_INVALID_ARG',
        `register mode ${mode} needs options.discovery or a registry with application level`,
      );
    }
    const app = options.application ?? urls[0]?.application ?? 'dubbo-ts-provider';
    const metadata = buildMetadataInfo(app, urls.map(serviceInfoOf));
    const served = metadataHolder(server, app);
    served.info = metadata;
    const port = server.port;
    reg.metadata = metadata;
    reg.discoveries = discoveries;
    reg.instance = {
      serviceName: app,
      host,
      port,
      metadata: {
        [INSTANCE_METADATA_KEYS.ENDPOINTS]: JSON.stringify([{ port, protocol: 'dubbo' }]),
        [INSTANCE_METADATA_KEYS.METADATA_SERVICE_URL_PARAMS]: JSON.stringify({
          'prefer.serialization': 'hessian2',
          serialization: 'hessian2',
          version: METADATA_SERVICE_VERSION,
          dubbo: '2.0.2',
          side: 'provider',
          port: String(port),
          protocol: 'dubbo',
        }),
        [INSTANCE_METADATA_KEYS.REVISION]: metadata.revision,
        [INSTANCE_METADATA_KEYS.STORAGE_TYPE]: 'local',
        'meta-v': '1.0.0',
        timestamp,
      },
    };
    // A mapping or instance that cannot be written now is written again in the background by its discovery.
    mappings.push(...discoveries.flatMap((d) => urls.map((u) => d.addMapping(u.serviceInterface ?? '', app))));
  }
  await allThenFirstError([reg.register(), ...mappings]);
  if (mode !== 'instance') {
    const app = options.application ?? urls[0]?.application ?? '';
    reg.configurators = providerConfigurators(options.configCenter, registries, urls, app, (url) =>
      applyFlowOverrides(server, url),
    );
  }
  return reg;
}

/** Waits for every one of `promises` (none is left running), then rejects with the first failure, if any. */
async function allThenFirstError(promises: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

/** The discoveries named in the options, else those of the registries with application level attached. */
function discoveriesOf(options: ServerRegistrationOptions, registries: readonly Registry[]): ServiceDiscovery[] {
  if (options.discovery !== undefined) {
    return (Array.isArray(options.discovery) ? options.discovery : [options.discovery]) as ServiceDiscovery[];
  }
  if (options.registerMode === 'interface') return [];
  const out: ServiceDiscovery[] = [];
  for (const r of registries) {
    if (r.url.getParameter('register-mode') === 'interface') continue;
    const d = r.applicationLevel?.()?.discovery;
    if (d !== undefined && !out.includes(d)) out.push(d);
  }
  return out;
}

/** The options' mode, else the registries' `register-mode` parameter, else `all` when there is a discovery. */
function registerModeOf(
  options: ServerRegistrationOptions,
  registries: readonly Registry[],
  hasDiscovery: boolean,
): RegisterMode {
  if (options.registerMode !== undefined) return options.registerMode;
  const fromUrl = registries.map((r) => r.url.getParameter('register-mode')).find((m) => m !== undefined);
  if (fromUrl === 'interface' || fromUrl === 'instance' || fromUrl === 'all') return fromUrl;
  return hasDiscovery ? 'all' : 'interface';
}

const served = new WeakMap<DubboServer, Map<string, { info: MetadataInfo | undefined }>>();

/** The MetadataService of `app` on `server`, exported once; its answer follows the latest registration. */
function metadataHolder(server: DubboServer, app: string): { info: MetadataInfo | undefined } {
  let perApp = served.get(server);
  if (perApp === undefined) {
    perApp = new Map();
    served.set(server, perApp);
  }
  let holder = perApp.get(app);
  if (holder === undefined) {
    const h: { info: MetadataInfo | undefined } = { info: undefined };
    holder = h;
    perApp.set(app, h);
    server.export(
      MetadataServiceDescriptor,
      { getMetadataInfo: (_revision: string) => (h.info === undefined ? null : toJavaMetadataInfo(h.info)) },
      { group: app, version: METADATA_SERVICE_VERSION },
    );
  }
  return holder;
}

/**
 * Lays a provider URL changed by override rules over its service's flow-control limits (`tps`, `tps.limit.*`,
 * `executes`...): the limits set at export change with the rule, and come back when it is removed. A malformed
 * value is refused (logged with the rule's URL) and the limits in force stay.
 */
function applyFlowOverrides(server: DubboServer, url: DubboUrl): void {
  const svc = server.exported.find((s) => s.serviceKey === url.serviceKey);
  if (svc?.flow == null) return;
  try {
    svc.flow.update(Object.fromEntries(url.parameters));
  } catch (err) {
    getLogger().warn(
      `dubbo: override of ${url.serviceKey} refused for its flow-control limits (${(err as Error).message}); the limits in force stay`,
    );
  }
}
