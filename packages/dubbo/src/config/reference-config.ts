import { JavaValue } from '@dubbo-ts/hessian2';
import type { Router } from '../cluster/router-chain.js';
import { DubboError } from '../errors.js';
import { buildInvokerChain, type Filter } from '../filter/filter.js';
import {
  ATTACHMENT_KEYS,
  ECHO_DESC,
  ECHO_METHOD,
  GENERIC_INVOKE,
  GENERIC_INVOKE_DESC,
} from '../protocol/dubbo/constants.js';
import type { CallOptions, ServiceProxy } from '../proxy/service-proxy.js';
import type { Registry } from '../registry/registry.js';
import { RpcInvocation } from '../rpc/invocation.js';
import { callValue, type Invoker, unwrapResult } from '../rpc/invoker.js';
import type { RpcResult } from '../rpc/result.js';
import { RpcContext } from '../rpc/rpc-context.js';
import type { MethodDescriptor, ServiceDescriptor } from './service-descriptor.js';

/** Settings of one method of a reference (Java's `<dubbo:method>`), over the reference's. */
export interface MethodOptions {
  /** Call timeout in ms. */
  timeout?: number;
  /** Retries after the first attempt (failover). */
  retries?: number;
  /** Load balancer name. */
  loadbalance?: string;
  /** Java's `mock` for this method. */
  mock?: string;
  /** Java's `merger` for this method. */
  merger?: string;
}

/**
 * Options of one reference (one remote service). Either `url` (direct: one provider, or several separated by
 * `;`) or `registry` (providers discovered). Settings left unset come from the client's defaults, then from the
 * providers' URLs (a provider's `timeout`, `retries`, `loadbalance`, `weight` reach its consumers), then Java's
 * defaults; a method's own settings (`methods`, the descriptor's `timeout`) win over all: Java's precedence.
 */
export interface ReferenceOptions {
  /**
   * Direct providers: `dubbo://host:port`, optionally with path and parameters
   * (`dubbo://127.0.0.1:20880/com.example.Foo?version=1.0.0&timeout=3000`), or `host:port`; several joined by
   * `;` (`dubbo://a:20880;dubbo://b:20880`) make one cluster. IPv6 literals in brackets (`dubbo://[::1]:20880`).
   */
  url?: string;
  /** The registries to discover providers in (lists are merged). */
  registry?: Registry | readonly Registry[];
  /** Service group. @defaultValue the URL's `group`, else none */
  group?: string;
  /** Service version. @defaultValue the URL's `version`, else none (Java writes `0.0.0`) */
  version?: string;
  /** Call timeout in ms (Java's `timeout`). @defaultValue the client's, else the provider's, else 1000 */
  timeout?: number;
  /** Retries after the first attempt on an RPC failure (Java's `retries`). @defaultValue the client's, else the provider's, else 2 */
  retries?: number;
  /** Load balancer by name (Java's `loadbalance`, see `loadBalances`). @defaultValue the client's, else the provider's, else 'random' */
  loadbalance?: string;
  /** Cluster by name (Java's `cluster`, see `clusters`). @defaultValue 'mergeable' for a group `*` or a list, else the client's, else 'zone-aware' over several registries, else 'failover' */
  cluster?: string;
  /**
   * Java's `mock`: `return X`, `throw [Class]`, `force:...`, `fail:...`, or `true` with {@link mockImpl}; answers
   * instead of the provider (`force:`) or when the call fails with an RPC failure. @defaultValue none
   */
  mock?: string;
  /** The mock implementation for `mock=true` (Java's `{Interface}Mock`). @defaultValue none */
  mockImpl?: Record<string, unknown>;
  /** Java's `sticky`: calls stay on one provider while it is available. @defaultValue false */
  sticky?: boolean;
  /** Java's `merger` for a group `*` or a list: `true`, a registered merger's name, or `.method`. @defaultValue none (one group answers) */
  merger?: string;
  /** Per-method settings, by method name. @defaultValue none */
  methods?: Readonly<Record<string, MethodOptions>>;
  /** Other URL parameters of the reference, spelled as Java spells them (`sticky`, `actives`...). @defaultValue none */
  parameters?: Readonly<Record<string, string>>;
  /** Attachments sent with every call. @defaultValue none */
  attachments?: Record<string, unknown>;
  /** Filters around the cluster: once per call, whatever the retries (after the client's). @defaultValue none */
  filters?: readonly Filter[];
  /** Filters around each call to one provider: once per attempt (after the client's). @defaultValue none */
  providerFilters?: readonly Filter[];
  /** Routers between the directory and the load balancer. @defaultValue none */
  routers?: readonly Router[];
  /** Registry references: how long a call waits for the first provider list. @defaultValue 3000 */
  waitMs?: number;
  /** Registry references: register the consumer under `consumers`, as Java does. @defaultValue true */
  registerConsumer?: boolean;
}

/** A reference's calls as the proxy makes them. */
export interface ProxySettings {
  /** The service path (usually the interface name). */
  readonly path: string;
  /** The Java interface name. */
  readonly interfaceName: string;
  /** Service group ('' for none). */
  readonly group: string;
  /** Service version ('' for none). */
  readonly version: string;
  /** Attachments sent with every call. */
  readonly attachments: Record<string, unknown>;
  /** Filters around the invoker. */
  readonly filters: readonly Filter[];
}

/**
 * The one proxy factory (Java's `ProxyFactory`): the typed proxy of a service over an invoker, for every kind of
 * reference (direct, registry, generic). Per method, the call's attachments are shared (copied only if a filter
 * touches them); `RpcContext` attachments are taken synchronously at the call, so they go with that call only.
 * Without filters a call takes the invoker's value path (no `RpcResult`).
 */
export function createProxy<T>(
  descriptor: ServiceDescriptor<T> | null,
  invoker: Invoker,
  settings: ProxySettings,
): ServiceProxy<T> {
  const { path, group, version, interfaceName } = settings;
  const chain = buildInvokerChain(settings.filters, (inv) => invoker.invoke(inv));
  const direct = settings.filters.length === 0;
  const baseFor = (extra?: Record<string, unknown>): Record<string, unknown> => {
    const a: Record<string, unknown> = { ...settings.attachments };
    a[ATTACHMENT_KEYS.INTERFACE] = interfaceName;
    if (version !== '') a[ATTACHMENT_KEYS.VERSION] = version;
    if (group !== '') a[ATTACHMENT_KEYS.GROUP] = group;
    return extra === undefined ? a : { ...a, ...extra };
  };
  const run = (inv: RpcInvocation): Promise<unknown> =>
    direct ? callValue(invoker, inv) : chain(inv).then(unwrapResult);
  const proxy: Record<string, unknown> = {};
  const described = new Map<string, { md: MethodDescriptor; attachments: Record<string, unknown> }>();
  if (descriptor !== null) {
    for (const [key, md] of descriptor.methods) {
      const attachments = baseFor();
      described.set(key, { md, attachments });
      const argc = md.parameterTypes.length;
      proxy[key] = (...args: unknown[]): Promise<unknown> => {
        if (args.length !== argc) return Promise.reject(arityError(md, args.length));
        const inv = RpcInvocation.overSharedAttachments(md.name, md.desc, args, attachments, path, version);
        inv.method = md;
        inv.extraAttachments = RpcContext.takeAttachments();
        return run(inv);
      };
    }
  }
  const genericAttachments = baseFor({ [ATTACHMENT_KEYS.GENERIC]: 'true' });
  proxy.$invoke = (method: string, parameterTypes: readonly string[], args: readonly unknown[]): Promise<unknown> => {
    if (typeof method !== 'string' || !Array.isArray(parameterTypes) || !Array.isArray(args)) {
      return Promise.reject(new DubboError('DUBBO_ERR_INVALID_ARG', '$invoke(method, parameterTypes[], args[])'));
    }
    const inv = RpcInvocation.overSharedAttachments(
      GENERIC_INVOKE,
      GENERIC_INVOKE_DESC,
      [method, new JavaValue('[string', parameterTypes, 'list'), new JavaValue('[object', args, 'list')],
      genericAttachments,
      path,
      version,
    );
    inv.extraAttachments = RpcContext.takeAttachments();
    return run(inv);
  };
  const echoAttachments = baseFor();
  proxy.$echo = (value: unknown): Promise<unknown> => {
    const inv = RpcInvocation.overSharedAttachments(ECHO_METHOD, ECHO_DESC, [value], echoAttachments, path, version);
    inv.extraAttachments = RpcContext.takeAttachments();
    return run(inv);
  };
  proxy.$call = (method: string, args: readonly unknown[], options: CallOptions = {}): Promise<RpcResult> => {
    const p = described.get(method);
    if (p === undefined) {
      return Promise.reject(
        new DubboError('DUBBO_ERR_INVALID_ARG', `${interfaceName} has no described method ${method}`),
      );
    }
    if (args.length !== p.md.parameterTypes.length) return Promise.reject(arityError(p.md, args.length));
    const inv = RpcInvocation.overSharedAttachments(p.md.name, p.md.desc, [...args], p.attachments, path, version);
    inv.method = p.md;
    const extra = { ...RpcContext.takeAttachments(), ...options.attachments };
    if (options.timeout !== undefined) extra[ATTACHMENT_KEYS.TIMEOUT] = String(options.timeout);
    inv.extraAttachments = Object.keys(extra).length > 0 ? extra : null;
    return chain(inv);
  };
  return proxy as ServiceProxy<T>;
}

function arityError(md: MethodDescriptor, n: number): DubboError {
  return new DubboError(
    'DUBBO_ERR_INVALID_ARG',
    `${md.name}(${md.parameterTypes.join(', ')}) takes ${md.parameterTypes.length} argument(s), got ${n}`,
  );
}
