import type { BackoffOptions, TimingWheel } from '@dubbo-ts/gost';
import type { ClassRegistry, DecoderOptions } from '@dubbo-ts/hessian2';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { Filter } from '../filter/filter.js';
import { ExchangeClient } from '../protocol/dubbo/exchange-client.js';
import type { GenericService, ReferenceExtras, ServiceProxy } from '../proxy/service-proxy.js';
import { createReference, type ReferenceOptions } from './reference-config.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** Options of a {@link DubboClient} (the consumer side), shared by all its references. */
export interface DubboClientOptions {
  /** Application name, sent as the `remote.application` attachment. @defaultValue 'dubbo-ts-consumer' */
  application?: string;
  /** Default call timeout in ms (Java's default). @defaultValue 1000 */
  timeout?: number;
  /** Connections per provider address, shared by every reference to it. @defaultValue 1 */
  connections?: number;
  /** Heartbeat period in ms (a connection silent for 3 periods is reopened); 0 turns it off. @defaultValue 60000 */
  heartbeatMs?: number;
  /** Payload limit in bytes. @defaultValue 8388608 (8 MiB) */
  payload?: number;
  /** Connection attempt timeout in ms. @defaultValue 3000 */
  connectTimeoutMs?: number;
  /** Reconnect backoff; `false` turns reconnecting off. @defaultValue getty's (100 ms .. 5 s, jitter) */
  reconnect?: false | BackoffOptions;
  /** Registry of the Java classes (POJOs, exceptions) written and read. @defaultValue hessian2's `defaultRegistry` */
  registry?: ClassRegistry;
  /** How responses are decoded. @defaultValue `{ longAs: 'number' }` */
  decoder?: DecoderOptions;
  /** Filters run around every call of every reference (first = outermost). @defaultValue none */
  filters?: readonly Filter[];
  /** The timing wheel for call timeouts and heartbeats. @defaultValue gost's `defaultTimingWheel()` */
  wheel?: TimingWheel;
}

/**
 * The consumer: makes typed references to Dubbo services (Java, Go or TS providers) over the dubbo protocol.
 * References to the same address share connections.
 *
 * ```ts
 * const client = new DubboClient();
 * const users = client.reference(UserServiceDescriptor, { url: 'dubbo://127.0.0.1:20880' });
 * const user = await users.getUser(1);
 * await client.close();
 * ```
 */
export class DubboClient {
  private readonly options: DubboClientOptions;
  private readonly exchanges = new Map<string, ExchangeClient>();
  private closed = false;

  constructor(options: DubboClientOptions = {}) {
    if (options.timeout !== undefined && !(options.timeout > 0)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `timeout must be > 0, got ${options.timeout}`);
    }
    this.options = options;
  }

  /**
   * A typed reference to the service `descriptor` describes.
   * @throws DubboError `DUBBO_ERR_INVALID_ARG` for a bad URL or options, `DUBBO_ERR_CLOSED` after {@link close}.
   */
  reference<T>(descriptor: ServiceDescriptor<T>, options: ReferenceOptions): ServiceProxy<T> {
    return this.refer(descriptor, descriptor.interfaceName, options);
  }

  /** A generic reference (Java's `GenericService`): only `$invoke` and `$echo`, no descriptor needed. */
  genericReference(interfaceName: string, options: ReferenceOptions): GenericService & ReferenceExtras {
    return this.refer<unknown>(null, interfaceName, options);
  }

  private refer<T>(descriptor: ServiceDescriptor<T> | null, interfaceName: string, options: ReferenceOptions) {
    if (this.closed) throw new DubboError('DUBBO_ERR_CLOSED', 'the client is closed');
    if (options === null || typeof options !== 'object' || typeof options.url !== 'string') {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', 'a reference needs options.url (dubbo://host:port)');
    }
    const raw = options.url.includes('://') ? options.url : `dubbo://${options.url}`;
    const url = DubboUrl.valueOf(raw);
    if (!url.host || !(url.port > 0)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `the reference URL needs host and port: ${options.url}`);
    }
    const timeout =
      options.timeout ?? (url.hasParameter('timeout') ? url.getTimeout() : (this.options.timeout ?? 1000));
    if (!(timeout > 0)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `timeout must be > 0, got ${timeout}`);
    const exchange = this.exchange(url.host, url.port);
    const attachments: Record<string, unknown> = { ...options.attachments };
    attachments['remote.application'] ??= this.options.application ?? 'dubbo-ts-consumer';
    return createReference(descriptor, interfaceName, exchange, {
      path: url.path || interfaceName,
      group: options.group ?? url.group ?? '',
      version: options.version ?? url.version ?? '',
      timeout,
      attachments,
      filters: [...(this.options.filters ?? []), ...(options.filters ?? [])],
    });
  }

  /** The shared exchange client of an address (created on first use). */
  exchange(host: string, port: number): ExchangeClient {
    const key = `${host}:${port}`;
    let ex = this.exchanges.get(key);
    if (ex === undefined) {
      const o = this.options;
      ex = new ExchangeClient({
        host,
        port,
        connections: o.connections,
        heartbeatMs: o.heartbeatMs,
        payload: o.payload,
        connectTimeoutMs: o.connectTimeoutMs,
        reconnect: o.reconnect,
        registry: o.registry,
        decoder: o.decoder,
        wheel: o.wheel,
      });
      this.exchanges.set(key, ex);
    }
    return ex;
  }

  /** Closes every connection; pending calls fail with `DUBBO_ERR_CLOSED`. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.exchanges.values()];
    this.exchanges.clear();
    await Promise.all(all.map((e) => e.close()));
  }
}
