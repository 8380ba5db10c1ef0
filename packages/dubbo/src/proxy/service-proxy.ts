import type { RpcResult } from '../rpc/result.js';

/** Java's `GenericService` and `EchoService`, available on every reference. */
export interface GenericService {
  /**
   * Calls any method by name with Java parameter type names and arguments, POJOs as maps (plain objects or
   * `Map`s, with an optional `class` entry), as Java's `GenericService.$invoke`. Results come back as the
   * provider generalized them (POJOs as `Map`s with a `class` entry).
   */
  $invoke(method: string, parameterTypes: readonly string[], args: readonly unknown[]): Promise<unknown>;
  /** Java's `EchoService.$echo`: the provider sends `value` back (a liveness check). */
  $echo<V>(value: V): Promise<V>;
}

/** Per-call options of {@link ServiceProxy.$call}. */
export interface CallOptions {
  /** Timeout of this call in ms. @defaultValue the method's, else the reference's */
  timeout?: number;
  /** Attachments of this call. */
  attachments?: Record<string, unknown>;
}

/** Extra members of a typed reference. */
export interface ReferenceExtras {
  /**
   * Calls a described method with per-call options and resolves with the whole {@link RpcResult}
   * (value or exception, and the response attachments) instead of throwing the service exception.
   */
  $call(method: string, args: readonly unknown[], options?: CallOptions): Promise<RpcResult>;
}

/**
 * The typed proxy of an interface `T`: each method returns a promise of its result; rejects with the Java
 * exception the provider threw (a {@link JavaException} or a registered class) or a `DubboError` for RPC failures.
 */
export type ServiceProxy<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
} & GenericService &
  ReferenceExtras;
