import { JavaValue } from '@dubbo-ts/hessian2';
import { DubboError } from '../errors.js';
import { buildInvokerChain, type Filter, type Invoker } from '../filter/filter.js';
import { preEncode } from '../protocol/dubbo/body-codec.js';
import {
  ATTACHMENT_KEYS,
  ECHO_DESC,
  ECHO_METHOD,
  GENERIC_INVOKE,
  GENERIC_INVOKE_DESC,
} from '../protocol/dubbo/constants.js';
import type { ExchangeClient } from '../protocol/dubbo/exchange-client.js';
import type { CallOptions, ServiceProxy } from '../proxy/service-proxy.js';
import { RpcInvocation } from '../rpc/invocation.js';
import type { RpcResult } from '../rpc/result.js';
import { RpcContext } from '../rpc/rpc-context.js';
import type { MethodDescriptor, ServiceDescriptor } from './service-descriptor.js';

/** Options of one reference (one remote service). */
export interface ReferenceOptions {
  /**
   * The provider: `dubbo://host:port`, optionally with the path and parameters
   * (`dubbo://127.0.0.1:20880/com.example.Foo?version=1.0.0&group=g&timeout=3000`), or `host:port`.
   */
  url: string;
  /** Service group. @defaultValue the URL's `group`, else none */
  group?: string;
  /** Service version. @defaultValue the URL's `version`, else none (Java writes `0.0.0`) */
  version?: string;
  /** Call timeout in ms (a method's own `timeout` wins). @defaultValue the URL's `timeout`, else the client's (1000) */
  timeout?: number;
  /** Attachments sent with every call. @defaultValue none */
  attachments?: Record<string, unknown>;
  /** Filters of this reference, after the client's. @defaultValue none */
  filters?: readonly Filter[];
}

interface PreparedMethod {
  readonly md: MethodDescriptor;
  readonly timeout: number;
  readonly attachments: Record<string, unknown>;
  readonly head: Buffer;
  readonly tail: Buffer | null;
}

function unwrap(r: RpcResult): unknown {
  if (r.exception !== null) throw r.exception;
  return r.value;
}

/** @internal Builds the proxy of one reference over a shared exchange client. */
export function createReference<T>(
  descriptor: ServiceDescriptor<T> | null,
  interfaceName: string,
  exchange: ExchangeClient,
  settings: {
    path: string;
    group: string;
    version: string;
    timeout: number;
    attachments: Record<string, unknown>;
    filters: readonly Filter[];
  },
): ServiceProxy<T> {
  const { path, group, version } = settings;
  const last: Invoker = (inv) => exchange.request(inv, inv.timeout);
  const invoker = buildInvokerChain(settings.filters, last);
  // Without filters a call needs no RpcResult: the exchange settles the proxy's promise with the value directly.
  const direct = settings.filters.length === 0;
  const baseFor = (timeout: number, extra?: Record<string, unknown>): Record<string, unknown> => {
    const a: Record<string, unknown> = { ...settings.attachments };
    a[ATTACHMENT_KEYS.PATH] = path;
    a[ATTACHMENT_KEYS.INTERFACE] = interfaceName;
    if (version !== '') a[ATTACHMENT_KEYS.VERSION] = version;
    if (group !== '') a[ATTACHMENT_KEYS.GROUP] = group;
    a[ATTACHMENT_KEYS.TIMEOUT] = String(timeout);
    return extra === undefined ? a : { ...a, ...extra };
  };
  const proxy: Record<string, unknown> = {};
  const prepared = new Map<string, PreparedMethod>();
  if (descriptor !== null) {
    for (const [key, md] of descriptor.methods) {
      const timeout = md.timeout ?? settings.timeout;
      const attachments = baseFor(timeout);
      const { head, tail } = preEncode(path, version, md.name, md.desc, attachments);
      const p: PreparedMethod = { md, timeout, attachments, head, tail };
      prepared.set(key, p);
      const argc = md.parameterTypes.length;
      proxy[key] = (...args: unknown[]): Promise<unknown> => {
        if (args.length !== argc) return Promise.reject(arityError(md, args.length));
        const inv = RpcInvocation.overSharedAttachments(md.name, md.desc, args, p.attachments, path, version);
        inv.argWriters = md.argWriters;
        inv.timeout = timeout;
        inv.headBytes = head;
        inv.tailBytes = tail;
        inv.extraAttachments = RpcContext.takeAttachments();
        return direct ? exchange.call(inv, timeout) : invoker(inv).then(unwrap);
      };
    }
  }
  const genericAttachments = baseFor(settings.timeout, { [ATTACHMENT_KEYS.GENERIC]: 'true' });
  proxy.$invoke = (method: string, parameterTypes: readonly string[], args: readonly unknown[]): Promise<unknown> => {
    if (typeof method !== 'string' || !Array.isArray(parameterTypes) || !Array.isArray(args)) {
      return Promise.reject(new DubboError('DUBBO_ERR_INVALID_ARG', '$invoke(method, parameterTypes[], args[])'));
    }
    const md = descriptor?.findByTypes(method, parameterTypes);
    const inv = RpcInvocation.overSharedAttachments(
      GENERIC_INVOKE,
      GENERIC_INVOKE_DESC,
      [method, new JavaValue('[string', parameterTypes, 'list'), new JavaValue('[object', args, 'list')],
      genericAttachments,
      path,
      version,
    );
    inv.timeout = md?.timeout ?? settings.timeout;
    inv.extraAttachments = RpcContext.takeAttachments();
    return invoker(inv).then(unwrap);
  };
  const echoAttachments = baseFor(settings.timeout);
  proxy.$echo = (value: unknown): Promise<unknown> => {
    const inv = RpcInvocation.overSharedAttachments(ECHO_METHOD, ECHO_DESC, [value], echoAttachments, path, version);
    inv.timeout = settings.timeout;
    inv.extraAttachments = RpcContext.takeAttachments();
    return invoker(inv).then(unwrap);
  };
  proxy.$call = (method: string, args: readonly unknown[], options: CallOptions = {}): Promise<RpcResult> => {
    const p = prepared.get(method);
    if (p === undefined) {
      return Promise.reject(
        new DubboError('DUBBO_ERR_INVALID_ARG', `${interfaceName} has no described method ${method}`),
      );
    }
    if (args.length !== p.md.parameterTypes.length) return Promise.reject(arityError(p.md, args.length));
    const timeout = options.timeout ?? p.timeout;
    const inv = RpcInvocation.overSharedAttachments(p.md.name, p.md.desc, [...args], p.attachments, path, version);
    inv.argWriters = p.md.argWriters;
    inv.timeout = timeout;
    inv.headBytes = p.head;
    inv.tailBytes = p.tail;
    const ctx = RpcContext.takeAttachments();
    const extra = { ...ctx, ...options.attachments };
    if (options.timeout !== undefined) extra[ATTACHMENT_KEYS.TIMEOUT] = String(timeout);
    inv.extraAttachments = Object.keys(extra).length > 0 ? extra : null;
    return invoker(inv);
  };
  return proxy as ServiceProxy<T>;
}

function arityError(md: MethodDescriptor, n: number): DubboError {
  return new DubboError(
    'DUBBO_ERR_INVALID_ARG',
    `${md.name}(${md.parameterTypes.join(', ')}) takes ${md.parameterTypes.length} argument(s), got ${n}`,
  );
}
