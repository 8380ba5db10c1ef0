import type { Directory } from '../cluster/directory.js';
import { clusters, loadBalances } from '../cluster/registries.js';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { ConsumerFlowControl } from '../flow/flow-control.js';
import type { ServiceProxy } from '../proxy/service-proxy.js';
import type { Registry } from '../registry/registry.js';
import type { Invoker } from '../rpc/invoker.js';
import type { DubboClientOptions } from './dubbo-client.js';
import type { ReferenceOptions } from './reference-config.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** A reference and its parts, from `DubboClient.refer`. */
export interface Reference<T> {
  /** The typed proxy calls are made on. */
  readonly proxy: ServiceProxy<T>;
  /** The cluster invoker under the proxy. */
  readonly invoker: Invoker;
  /** The providers (a static list, or the registries'). */
  readonly directory: Directory;
  /** The consumer URL: interface, group, version and the reference's settings. */
  readonly url: DubboUrl;
  /**
   * Resolves once subscribed to every registry; for direct references, once every provider's first connection
   * attempt settled (connected, or failed and reconnecting). Never rejects.
   */
  readonly ready: Promise<void>;
  /**
   * Flow control of the reference (limits from its own `parameters`: `tps`, `actives`...; counts, runtime
   * changes); `null` when no key is set (no filter is installed).
   */
  readonly flow: ConsumerFlowControl | null;
  /** Unregisters the consumer, unsubscribes, releases the provider connections; calls after it fail. */
  destroy(): Promise<void>;
}

/** @internal What a reference's options come to. */
export interface ResolvedReference {
  readonly application: string;
  readonly group: string;
  readonly version: string;
  readonly cluster: string;
  readonly waitMs: number;
  /** The reference's own settings as URL parameters, laid over each provider URL's. */
  readonly overrides: Readonly<Record<string, string>>;
  readonly attachments: Record<string, unknown>;
  readonly methods: readonly string[];
  /** The mock plan's setting on the consumer URL, when any method has one. */
  readonly mocked: boolean;
  readonly directUrls: readonly DubboUrl[] | null;
  readonly registries: readonly Registry[];
}

const DEFAULT_APPLICATION = 'dubbo-ts-consumer';

/**
 * @internal Resolves a reference's options over the client's: Java's precedence, method > reference > consumer
 * defaults (then the provider URL's parameters, under these, and Java's defaults last).
 * @throws DubboError `DUBBO_ERR_INVALID_ARG`, `DUBBO_ERR_UNKNOWN_EXTENSION`.
 */
export function referenceSettings(
  descriptor: ServiceDescriptor | null,
  options: ReferenceOptions,
  client: DubboClientOptions,
): ResolvedReference {
  if (options === null || typeof options !== 'object') {
    throw new DubboError('DUBBO_ERR_INVALID_ARG', 'a reference needs options with url or registry');
  }
  const hasUrl = typeof options.url === 'string';
  const hasRegistry = options.registry !== undefined && options.registry !== null;
  if (hasUrl === hasRegistry) {
    throw new DubboError(
      'DUBBO_ERR_INVALID_ARG',
      hasUrl
        ? 'a reference takes url or registry, not both'
        : 'a reference needs options.url (dubbo://host:port) or options.registry',
    );
  }
  const o: Record<string, string> = {};
  const put = (key: string, value: string | number | undefined, what: string): void => {
    if (value === undefined) return;
    if (key.endsWith('timeout') && !(typeof value === 'number' && value > 0)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `${what} must be > 0, got ${value}`);
    }
    if (key.endsWith('retries') && !(typeof value === 'number' && Number.isInteger(value) && value >= 0)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `${what} must be an integer >= 0, got ${value}`);
    }
    if (key.endsWith('loadbalance') && !loadBalances.has(String(value))) {
      loadBalances.get(String(value)); // throws DUBBO_ERR_UNKNOWN_EXTENSION naming the registered ones
    }
    o[key] = String(value);
  };
  // Consumer defaults, then the reference's, then the methods' (later writes win).
  put('timeout', client.timeout, 'timeout');
  put('retries', client.retries, 'retries');
  put('loadbalance', client.loadbalance, 'loadbalance');
  put('timeout', options.timeout, 'timeout');
  put('retries', options.retries, 'retries');
  put('loadbalance', options.loadbalance, 'loadbalance');
  for (const [k, v] of Object.entries(options.parameters ?? {})) o[k] = String(v);
  if (options.mock !== undefined) o.mock = options.mock;
  if (options.sticky !== undefined) o.sticky = String(options.sticky);
  if (options.merger !== undefined) o.merger = options.merger;
  if (descriptor !== null) {
    for (const md of descriptor.methods.values()) put(`${md.name}.timeout`, md.timeout, `${md.name} timeout`);
  }
  for (const [m, mo] of Object.entries(options.methods ?? {})) {
    put(`${m}.timeout`, mo.timeout, `methods.${m}.timeout`);
    put(`${m}.retries`, mo.retries, `methods.${m}.retries`);
    put(`${m}.loadbalance`, mo.loadbalance, `methods.${m}.loadbalance`);
    if (mo.mock !== undefined) o[`${m}.mock`] = mo.mock;
    if (mo.merger !== undefined) o[`${m}.merger`] = mo.merger;
  }
  // Java picks `mergeable` by itself for a group `*` or a list of groups, and `zone-aware` over several registries
  // (ReferenceConfig: a registry's `zone` / `preferred` then choose among them).
  const group = options.group ?? '';
  const multiGroup = group === '*' || group.includes(',');
  const multiRegistry = Array.isArray(options.registry) && options.registry.length > 1;
  const cluster =
    options.cluster ?? (multiGroup ? 'mergeable' : (client.cluster ?? (multiRegistry ? 'zone-aware' : 'failover')));
  clusters.get(cluster); // refuses an unknown name now, not at the first call
  if (cluster !== 'failover') o.cluster = cluster;
  const application = client.application ?? DEFAULT_APPLICATION;
  const attachments: Record<string, unknown> = { ...options.attachments };
  attachments['remote.application'] ??= application;
  const methods = descriptor === null ? [] : [...new Set([...descriptor.methods.values()].map((m) => m.name))];
  let directUrls: DubboUrl[] | null = null;
  let registries: Registry[] = [];
  if (hasUrl) {
    directUrls = parseDirectUrls(options.url as string);
  } else {
    registries = (Array.isArray(options.registry) ? options.registry : [options.registry]) as Registry[];
  }
  const waitMs = options.waitMs ?? (hasRegistry ? 3000 : 0);
  if (!(waitMs >= 0)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `waitMs must be >= 0, got ${waitMs}`);
  return {
    application,
    group,
    version: options.version ?? '',
    cluster,
    waitMs,
    overrides: o,
    attachments,
    methods,
    mocked: Object.keys(o).some((k) => k === 'mock' || k.endsWith('.mock')),
    directUrls,
    registries,
  };
}

/** Java's direct URLs: one, or several separated by `;`; `host:port` means `dubbo://host:port`. */
function parseDirectUrls(spec: string): DubboUrl[] {
  const parts = spec
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new DubboError('DUBBO_ERR_INVALID_ARG', `no provider URL in '${spec}'`);
  return parts.map((p) => {
    const url = DubboUrl.valueOf(p.includes('://') ? p : `dubbo://${p}`);
    if (!url.host || !(url.port > 0)) {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `the reference URL needs host and port: ${p}`);
    }
    return url;
  });
}
