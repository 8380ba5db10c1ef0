import type { BackoffOptions, TimingWheel } from '@dubbo-ts/gost';
import type { ClassRegistry, DecoderOptions } from '@dubbo-ts/hessian2';
import type { DubboUrl } from '../common/url.js';
import type { ServiceDescriptor } from '../config/service-descriptor.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import type { Invoker } from '../rpc/invoker.js';
import type { RpcResult } from '../rpc/result.js';

/** Connection settings a protocol's consumer side uses for every provider (Java's reference / consumer keys). */
export interface ProtocolOptions {
  /** Connections per provider address, shared by every reference to it. @defaultValue 1 (Java's shared connection) */
  connections?: number;
  /** Heartbeat period in ms (a connection silent for 3 periods is reopened); 0 turns it off. @defaultValue 60000 */
  heartbeatMs?: number;
  /** Payload limit in bytes. @defaultValue 8388608 (8 MiB) */
  payload?: number;
  /** Connection attempt timeout in ms. @defaultValue 3000 */
  connectTimeoutMs?: number;
  /** Reconnect backoff; `false` turns reconnecting off. @defaultValue getty's (100 ms .. 5 s, jitter) */
  reconnect?: false | BackoffOptions;
  /** Registry of the Java classes written and read. @defaultValue hessian2's `defaultRegistry` */
  registry?: ClassRegistry;
  /** How responses are decoded. @defaultValue `{ longAs: 'number' }` */
  decoder?: DecoderOptions;
  /** The timing wheel for call timeouts and heartbeats. @defaultValue gost's `defaultTimingWheel()` */
  wheel?: TimingWheel;
}

/** Serves decoded calls of a protocol server. */
export type ServeHandler = (inv: RpcInvocation) => Promise<RpcResult> | RpcResult;

/** A listening server of a protocol (the provider side). */
export interface ProtocolServer {
  /** Starts listening. */
  listen(): Promise<void>;
  /** The port listened on. */
  readonly port: number;
  /** The host listened on. */
  readonly host: string;
  /** Calls accepted and not answered yet. */
  readonly callsInFlight: number;
  /**
   * Stops taking calls (telling connected consumers, where the protocol can) and closes, waiting up to
   * `timeoutMs` for what is in flight.
   */
  close(timeoutMs?: number): Promise<ServerCloseReport>;
}

/** What a {@link ProtocolServer.close} waited for. */
export interface ServerCloseReport {
  /** Calls in flight when the close started. */
  readonly waitedFor: number;
  /** Calls still running when the wait ended (their consumers see the connection close). */
  readonly abandoned: number;
  /** Connections told the provider is going away (by this call). */
  readonly connections: number;
  /** Requests refused unrun while closing (their consumers' failover retried them elsewhere). */
  readonly refused: number;
}

/**
 * A wire protocol (Java's `Protocol`): `refer` turns a provider URL into an {@link Invoker}, `export` serves calls.
 * A protocol instance owns its connections: references to one provider address share them (reference-counted)
 * and {@link Protocol.destroy} closes what is left.
 */
export interface Protocol {
  /** The protocol name, the scheme of its URLs (`dubbo`). */
  readonly name: string;
  /**
   * An invoker calling the provider at `url` (its host, port, path and parameters: `timeout`, method-level
   * `m.timeout`...). `service` describes the methods (how to write their arguments); `null` for generic calls.
   */
  refer(url: DubboUrl, service: ServiceDescriptor | null): Invoker;
  /** A server handing every decoded call to `handler`. `options` are the protocol's server settings. */
  export(handler: ServeHandler, options: object): ProtocolServer;
  /** Whether a connection to `host:port` is open right now. */
  isConnected(host: string, port: number): boolean;
  /** Calls sent and not answered yet, over every connection (a graceful shutdown waits for them). @defaultValue 0 */
  readonly callsInFlight?: number;
  /** Closes every connection (calls in flight fail with `DUBBO_ERR_CLOSED`). */
  destroy(): Promise<void>;
}

/** Makes a protocol instance for one owner (a client or an application). */
export type ProtocolFactory = (options: ProtocolOptions) => Protocol;

/**
 * The host to open a socket to: a URL's IPv6 literal without its brackets (`[::1]` -> `::1`), as Java's
 * `NetUtils` does before connecting.
 */
export function socketHost(host: string): string {
  return host.length > 1 && host.charCodeAt(0) === 0x5b && host.charCodeAt(host.length - 1) === 0x5d
    ? host.slice(1, -1)
    : host;
}

/** The host as a URL writes it: an IPv6 literal in brackets (`::1` -> `[::1]`). */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
