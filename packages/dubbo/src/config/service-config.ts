import type { ClassRegistry } from '@dubbo-ts/hessian2';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import { buildInvokerChain, type Filter, type Invoke } from '../filter/filter.js';
import { type ProviderFlowControl, providerFlowControl } from '../flow/flow-control.js';
import { generalize, realize, toGenericException } from '../generic/generic.js';
import { ECHO_METHOD, GENERIC_INVOKE, GENERIC_INVOKE_ASYNC } from '../protocol/dubbo/constants.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { RpcResult } from '../rpc/result.js';
import { RpcContext } from '../rpc/rpc-context.js';
import type { MethodDescriptor, ServiceDescriptor } from './service-descriptor.js';

/**
 * What a TS provider implements for an interface `T`: each method may return the value or a promise of it,
 * and gets the {@link RpcInvocation} as an extra last argument (attachments, response attachments).
 */
export type ServiceImplementation<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: [...A, RpcInvocation]) => Awaited<R> | Promise<Awaited<R>>
    : never;
};

/** Options of one exported service. */
export interface ExportOptions {
  /** Service group. @defaultValue none */
  group?: string;
  /** Service version. @defaultValue none (matches consumers that send none or `0.0.0`) */
  version?: string;
  /** Service path. @defaultValue the interface name */
  path?: string;
  /** Filters of this service, after the server's (first = outermost). @defaultValue none */
  filters?: readonly Filter[];
  /**
   * URL parameters of the service (Java's `<dubbo:parameter>`; `<method>.<key>` for one method), published in its
   * provider URL. Flow-control keys among them (`tps`, `tps.limit.rate`, `executes`...: see docs/flow-control.md)
   * install their filter, outermost; without them no filter is added. @defaultValue none
   */
  parameters?: Readonly<Record<string, string>>;
}

/** Shared by results that carry no attachments (response attachments go through the invocation). */
const NO_ATTACHMENTS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function valueResult(v: unknown): RpcResult {
  return new RpcResult(v === undefined ? null : v, null, NO_ATTACHMENTS);
}
function errorResult(e: unknown): RpcResult {
  return new RpcResult(null, e instanceof Error ? e : new Error(String(e)), NO_ATTACHMENTS);
}
function genericValueResult(v: unknown): RpcResult {
  return new RpcResult(generalize(v === undefined ? null : v), null, NO_ATTACHMENTS);
}
function genericErrorResult(e: unknown): RpcResult {
  return new RpcResult(null, toGenericException(e), NO_ATTACHMENTS);
}

/** A TS implementation exported under a Java interface name, group and version (Java's `ServiceConfig`). */
export class ExportedService<T = unknown> {
  /** The descriptor. */
  readonly descriptor: ServiceDescriptor<T>;
  /** Service path. */
  readonly path: string;
  /** Group (`''` for none). */
  readonly group: string;
  /** Version (`''` for none). */
  readonly version: string;
  /** The service key (`group/path:version`) requests are matched on. */
  readonly serviceKey: string;
  /** The service's URL parameters ({@link ExportOptions.parameters}). */
  readonly parameters: Readonly<Record<string, string>>;
  /** Flow control of this service (limits in force, counts, runtime changes); `null` when no key is set. */
  readonly flow: ProviderFlowControl | null;
  /** @internal The invoker (filters around the implementation). */
  readonly invoker: Invoke;
  private readonly impl: Record<string, (...a: unknown[]) => unknown>;
  private readonly registry: ClassRegistry | undefined;

  constructor(
    descriptor: ServiceDescriptor<T>,
    impl: ServiceImplementation<T>,
    options: ExportOptions,
    serverFilters: readonly Filter[],
    registry?: ClassRegistry,
  ) {
    if (impl === null || typeof impl !== 'object') {
      throw new DubboError(
        'DUBBO_ERR_SERVICE_DESCRIPTOR',
        `${descriptor.interfaceName}: the implementation must be an object`,
      );
    }
    for (const key of descriptor.methods.keys()) {
      if (typeof (impl as Record<string, unknown>)[key] !== 'function') {
        throw new DubboError(
          'DUBBO_ERR_SERVICE_DESCRIPTOR',
          `${descriptor.interfaceName}: the implementation has no method ${key}`,
        );
      }
    }
    this.descriptor = descriptor;
    this.impl = impl as unknown as Record<string, (...a: unknown[]) => unknown>;
    this.registry = registry;
    this.path = options.path ?? descriptor.interfaceName;
    this.group = options.group ?? '';
    this.version = options.version ?? '';
    this.serviceKey = DubboUrl.buildKey(this.path, this.group, this.version);
    this.parameters = { ...options.parameters };
    this.flow = providerFlowControl(this.parameters, descriptor.interfaceName);
    const filters = [...(this.flow?.filters ?? []), ...serverFilters, ...(options.filters ?? [])];
    this.filtered = filters.length > 0;
    this.invoker = buildInvokerChain(filters, (inv) => {
      try {
        return Promise.resolve(this.call(inv));
      } catch (err) {
        return Promise.reject(err);
      }
    });
  }

  private readonly filtered: boolean;

  /**
   * @internal Serves an invocation: through the filters when there are some; else directly, and synchronously
   * when the method returns a plain value (no promise is made). Throws `DubboError` for an unknown method.
   */
  handle(inv: RpcInvocation): RpcResult | Promise<RpcResult> {
    return this.filtered ? this.invoker(inv) : this.call(inv);
  }

  private call(inv: RpcInvocation): RpcResult | Promise<RpcResult> {
    const name = inv.methodName;
    if (name === ECHO_METHOD && inv.arguments.length === 1) return valueResult(inv.arguments[0]);
    if ((name === GENERIC_INVOKE || name === GENERIC_INVOKE_ASYNC) && inv.arguments.length === 3) {
      return this.callGeneric(inv);
    }
    const md = this.descriptor.findMethod(name, inv.parameterTypesDesc, inv.arguments.length);
    if (md === undefined) throw noMethod(this, name, inv.parameterTypesDesc);
    inv.method = md;
    return this.run(md, inv, inv.arguments, valueResult, errorResult);
  }

  private callGeneric(inv: RpcInvocation): RpcResult | Promise<RpcResult> {
    const [method, types, args] = inv.arguments as [unknown, unknown, unknown];
    if (
      typeof method !== 'string' ||
      (types !== null && !Array.isArray(types)) ||
      (args !== null && !Array.isArray(args))
    ) {
      throw new DubboError('DUBBO_ERR_BAD_REQUEST', '$invoke(String, String[], Object[]) expected');
    }
    const argv = (args ?? []) as unknown[];
    const md = this.descriptor.findByTypes(method, (types as string[] | null) ?? null);
    if (md === undefined || md.parameterTypes.length !== argv.length) {
      throw noMethod(this, method, Array.isArray(types) ? types.join(',') : '');
    }
    const real = argv.map((a) => realize(a, this.registry));
    return this.run(md, inv, real, genericValueResult, genericErrorResult);
  }

  private run(
    md: MethodDescriptor,
    inv: RpcInvocation,
    args: unknown[],
    onValue: (v: unknown) => RpcResult,
    onError: (e: unknown) => RpcResult,
  ): RpcResult | Promise<RpcResult> {
    const fn = this.impl[md.key]!;
    const impl = this.impl;
    const prev = RpcContext.enter(inv);
    let r: unknown;
    try {
      // The invocation goes last; the common arities avoid growing the decoded argument array for it.
      switch (args.length) {
        case 0:
          r = fn.call(impl, inv);
          break;
        case 1:
          r = fn.call(impl, args[0], inv);
          break;
        case 2:
          r = fn.call(impl, args[0], args[1], inv);
          break;
        case 3:
          r = fn.call(impl, args[0], args[1], args[2], inv);
          break;
        default:
          r = fn.apply(impl, [...args, inv]);
      }
    } catch (err) {
      return onError(err);
    } finally {
      RpcContext.enter(prev);
    }
    if (r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function') {
      return (r as Promise<unknown>).then(onValue, onError);
    }
    return onValue(r);
  }
}

function noMethod(s: ExportedService, name: string, sig: string): DubboError {
  return new DubboError(
    'DUBBO_ERR_SERVICE_NOT_FOUND',
    `Not found method ${name}(${sig}) in service ${s.serviceKey} (${s.descriptor.interfaceName})`,
  );
}
