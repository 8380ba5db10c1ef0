import { localIp } from '@dubbo-ts/gost';
import type { DubboUrl } from '../common/url.js';
import type { DubboServer } from '../config/dubbo-server.js';
import type { Registry } from './registry.js';

/** Options of {@link registerServer}. */
export interface ServerRegistrationOptions {
  /** The registries to register in. */
  registry: Registry | readonly Registry[];
  /** Host written in the provider URLs. @defaultValue the server's host, or the machine's address when it is `0.0.0.0`/`::` */
  host?: string;
  /** Extra URL parameters of every provider URL. @defaultValue none */
  parameters?: Record<string, string>;
}

/** The provider URLs of a server in its registries; {@link ServerRegistration.unregister} on shutdown. */
export class ServerRegistration {
  private readonly registries: Registry[];

  constructor(
    registries: Registry | readonly Registry[],
    /** The provider URLs registered. */
    readonly urls: readonly DubboUrl[],
  ) {
    this.registries = (Array.isArray(registries) ? registries : [registries]) as Registry[];
  }

  /** Registers every URL in every registry (failures are retried by the registry in the background). */
  async register(): Promise<void> {
    const results = await Promise.allSettled(this.registries.flatMap((r) => this.urls.map((u) => r.register(u))));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  /**
   * Removes every URL from every registry. Call first on shutdown, before closing the server, so consumers stop
   * sending calls before the connections go.
   */
  async unregister(): Promise<void> {
    await Promise.allSettled(this.registries.flatMap((r) => this.urls.map((u) => r.unregister(u))));
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
  const host =
    options.host ?? (server.host === '0.0.0.0' || server.host === '::' || server.host === '' ? localIp() : server.host);
  const timestamp = String(Date.now());
  const urls = server.exported.map((svc) =>
    server
      .urlOf(svc)
      .withHost(host)
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
      .addParameters(options.parameters ?? {}),
  );
  const reg = new ServerRegistration(options.registry, urls);
  await reg.register();
  return reg;
}
