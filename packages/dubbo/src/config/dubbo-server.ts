import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { Filter } from '../filter/filter.js';
import { ExchangeServer, type ExchangeServerOptions } from '../protocol/dubbo/exchange-server.js';
import { type ServerCloseReport, urlHost } from '../protocol/protocol.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import type { RpcResult } from '../rpc/result.js';
import { ExportedService, type ExportOptions, type ServiceImplementation } from './service-config.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** Options of a {@link DubboServer} (the provider side). */
export interface DubboServerOptions extends ExchangeServerOptions {
  /** Filters run around every call of every exported service (first = outermost). @defaultValue none */
  filters?: readonly Filter[];
  /** Application name (used in the provider URLs). @defaultValue 'dubbo-ts-provider' */
  application?: string;
  /**
   * URL parameters of every exported service (Java's `<dubbo:provider>` defaults), under each service's own
   * `parameters`: e.g. `{ tps: '1000' }` limits every service (each on its own counter). @defaultValue none
   */
  parameters?: Readonly<Record<string, string>>;
}

/**
 * The provider: serves TS implementations of Java interfaces over the dubbo protocol to Java, Go and TS
 * consumers.
 *
 * ```ts
 * const server = new DubboServer({ port: 20880 });
 * server.export(GreeterDescriptor, { greet: (name) => `hello ${name}` }, { version: '1.0.0' });
 * await server.listen();
 * ```
 */
export class DubboServer {
  private readonly options: DubboServerOptions;
  private readonly services = new Map<string, ExportedService>();
  private readonly exchange: ExchangeServer;

  constructor(options: DubboServerOptions = {}) {
    this.options = options;
    this.exchange = new ExchangeServer(options, (inv) => this.handle(inv));
  }

  /**
   * Exports `impl` as the service `descriptor` names, under `options.group` and `options.version`.
   * @throws DubboError `DUBBO_ERR_SERVICE_DESCRIPTOR` when `impl` lacks a described method;
   *   `DUBBO_ERR_INVALID_ARG` when the same service key is exported twice.
   */
  export<T>(
    descriptor: ServiceDescriptor<T>,
    impl: ServiceImplementation<T>,
    options: ExportOptions = {},
  ): ExportedService<T> {
    const defaults = this.options.parameters;
    const own = defaults === undefined ? options : { ...options, parameters: { ...defaults, ...options.parameters } };
    const svc = new ExportedService(descriptor, impl, own, this.options.filters ?? [], this.options.registry);
    if (this.services.has(svc.serviceKey)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `service ${svc.serviceKey} is already exported`);
    }
    this.services.set(svc.serviceKey, svc as ExportedService);
    return svc;
  }

  /** Stops serving a service key. */
  unexport(serviceKey: string): boolean {
    return this.services.delete(serviceKey);
  }

  /** Exported services. */
  get exported(): ExportedService[] {
    return [...this.services.values()];
  }

  /** Starts listening (`port` 0 picks a free port, see {@link port}). */
  listen(): Promise<void> {
    return this.exchange.listen();
  }

  /** The port listened on. */
  get port(): number {
    return this.exchange.port;
  }

  /** The host listened on. */
  get host(): string {
    return this.exchange.host;
  }

  /** `dubbo://host:port` of this server. */
  get address(): string {
    return `dubbo://${urlHost(this.host)}:${this.port}`;
  }

  /** The provider URL of an exported service, as a registry would publish it. */
  urlOf(svc: ExportedService): DubboUrl {
    const methods = [...new Set([...svc.descriptor.methods.values()].map((m) => m.name))].sort().join(',');
    let url = new DubboUrl({ protocol: 'dubbo', host: urlHost(this.host), port: this.port, path: svc.path })
      .addParameter('interface', svc.descriptor.interfaceName)
      .addParameter('methods', methods)
      .addParameter('side', 'provider')
      .addParameter('serialization', 'hessian2')
      .addParameter('application', this.options.application ?? 'dubbo-ts-provider');
    url = url.addParameters(svc.parameters);
    if (svc.group) url = url.addParameter('group', svc.group);
    if (svc.version) url = url.addParameter('version', svc.version);
    return url;
  }

  private handle(inv: RpcInvocation): RpcResult | Promise<RpcResult> {
    const group = inv.group;
    const key = group === '' && inv.version === '' ? inv.path : DubboUrl.buildKey(inv.path, group, inv.version);
    const svc = this.services.get(key);
    if (svc === undefined) {
      throw new DubboError(
        'DUBBO_ERR_SERVICE_NOT_FOUND',
        `Not found exported service: ${key} in [${[...this.services.keys()].join(', ')}], may be version or group mismatch`,
      );
    }
    return svc.handle(inv);
  }

  /** Calls accepted and not answered yet. */
  get callsInFlight(): number {
    return this.exchange.callsInFlight;
  }

  /**
   * Tells connected consumers this provider is going away while it keeps serving (the read-only event, and
   * `closing=true` on every response): step 2 of a graceful shutdown, before {@link close}.
   * @returns The connections told.
   */
  notifyClosing(): number {
    return this.exchange.notifyClosing();
  }

  /** Whether {@link close} has started. */
  get closing(): boolean {
    return this.exchange.closing;
  }

  /**
   * Graceful close: stops accepting connections; tells connected consumers this provider is going away (Java's
   * read-only event, and `closing=true` on each response for dubbo-go's consumers), so they stop choosing it;
   * answers a request that still arrives with an error their failover retries on another provider (status
   * `SERVER_ERROR`, the call not run); waits for the calls it accepted, up to `timeoutMs`; then closes.
   * Unregistering from registries first is the application's job.
   *
   * @param timeoutMs - How long to wait for the calls in flight. @defaultValue 3000 (dubbo-go's `step-timeout`)
   */
  close(timeoutMs = 3000): Promise<ServerCloseReport> {
    return this.exchange.close(timeoutMs);
  }
}
