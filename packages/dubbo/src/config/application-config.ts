import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';

/** A Go-style duration (`3s`, `500ms`, `1m30s`) or a number of milliseconds (Java's spelling). */
const DURATION_RE = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration as {@link DURATION_RE} spells it. */
function durationMs(v: number | string): number {
  if (typeof v === 'number') return v;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return Math.round(ms);
}

const duration = z
  .union([
    z.number().int().nonnegative(),
    z.string().regex(DURATION_RE, { message: 'expected a duration such as 3s, 500ms, 1m30s, or milliseconds' }),
  ])
  .transform(durationMs);
const positiveMs = z.number().int().positive();
const idList = z
  .union([z.array(z.string().min(1)), z.string().min(1)])
  .transform((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : v));
const port = z.number().int().min(0).max(65535);

const registrySchema = z.strictObject({
  /** `zookeeper://host:port`, `etcd://host:port`, or `host:port` with {@link protocol}. */
  address: z.string().min(1),
  /** `zookeeper`, `etcd` or `etcdv3` when the address has no scheme. */
  protocol: z.enum(['zookeeper', 'etcd', 'etcdv3']).optional(),
  /** Registry operation timeout. */
  timeout: duration.optional(),
  /** Java's `register-mode` for the providers registered here. */
  'register-mode': z.enum(['interface', 'instance', 'all']).optional(),
});

const protocolSchema = z.strictObject({
  name: z.literal('dubbo', { message: "expected 'dubbo' (the only protocol dubbo-ts serves)" }).default('dubbo'),
  port: port.default(20880),
  host: z.string().min(1).default('0.0.0.0'),
});

const serviceSchema = z.strictObject({
  interface: z.string().min(1),
  group: z.string().optional(),
  version: z.string().optional(),
  'registry-ids': idList.optional(),
  'protocol-ids': idList.optional(),
  timeout: positiveMs.optional(),
  retries: z.number().int().nonnegative().optional(),
  loadbalance: z.string().min(1).optional(),
  weight: z.number().int().nonnegative().optional(),
});

const referenceSchema = z.strictObject({
  interface: z.string().min(1),
  url: z.string().min(1).optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  'registry-ids': idList.optional(),
  check: z.boolean().optional(),
  timeout: positiveMs.optional(),
  retries: z.number().int().nonnegative().optional(),
  loadbalance: z.string().min(1).optional(),
  cluster: z.string().min(1).optional(),
});

const shutdownSchema = z.strictObject({
  timeout: duration.default(60_000),
  'step-timeout': duration.default(3000),
  'consumer-update-wait-time': duration.default(3000),
  'internal-signal': z.boolean().default(true),
});

/** The `dubbo:` tree of an application config, as Java's `application.yml` and dubbo-go's `dubbogo.yml` spell it. */
export const dubboConfigSchema = z.strictObject({
  application: z.strictObject({
    name: z.string().min(1),
    version: z.string().optional(),
    'register-mode': z.enum(['interface', 'instance', 'all']).optional(),
  }),
  registries: z.record(z.string().min(1), registrySchema).default({}),
  protocols: z
    .record(z.string().min(1), protocolSchema)
    .default({ dubbo: { name: 'dubbo', port: 20880, host: '0.0.0.0' } }),
  provider: z
    .strictObject({ services: z.record(z.string().min(1), serviceSchema).default({}) })
    .default({ services: {} }),
  consumer: z
    .strictObject({
      check: z.boolean().default(true),
      timeout: positiveMs.optional(),
      retries: z.number().int().nonnegative().optional(),
      loadbalance: z.string().min(1).optional(),
      references: z.record(z.string().min(1), referenceSchema).default({}),
    })
    .default({ check: true, references: {} }),
  shutdown: shutdownSchema.default({
    timeout: 60_000,
    'step-timeout': 3000,
    'consumer-update-wait-time': 3000,
    'internal-signal': true,
  }),
});

/** An application config as written (YAML or code): the `dubbo:` tree, keys spelled as Java and dubbo-go do. */
export type DubboConfig = z.input<typeof dubboConfigSchema>;
/** An application config with every default filled in and durations in milliseconds. */
export type ResolvedDubboConfig = z.output<typeof dubboConfigSchema>;

/** Where one layer of configuration comes from, lowest precedence first. */
export interface ConfigSources {
  /** Entries under everything else (what code binds: a service's interface). */
  base?: DubboConfig | Record<string, unknown>;
  /**
   * YAML texts, lowest precedence first, each with a `dubbo:` key holding the config (other top-level keys are
   * ignored, as Spring's are).
   */
  yaml?: string | readonly string[];
  /** Config from code, laid over the YAML. */
  config?: DubboConfig;
  /** Environment variables laid over both. @defaultValue `process.env` */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A config that was refused: every problem, each with its key path. */
export class DubboConfigError extends DubboError {
  /** `dubbo.key.path: what was expected`, one per problem. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const n = problems.length;
    super(
      'DUBBO_ERR_CONFIG',
      `invalid dubbo config (${n} problem${n === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'DubboConfigError';
    this.problems = problems;
  }
}

type Tree = Record<string, unknown>;

function isTree(v: unknown): v is Tree {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `over` laid over `base`: maps merge key by key, anything else replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (!isTree(base) || !isTree(over)) return over === undefined ? base : over;
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** The environment variable of a key path: `dubbo.registries.zk.address` -> `DUBBO_REGISTRIES_ZK_ADDRESS`. */
export function envNameOf(path: readonly string[]): string {
  return path.join('_').replace(/[.-]/g, '_').toUpperCase();
}

/** Leaf keys the schema knows under each map entry, for environment lookups of keys not written anywhere. */
const LEAVES: Readonly<Record<string, readonly string[]>> = {
  registries: Object.keys(registrySchema.shape),
  protocols: Object.keys(protocolSchema.shape),
  'provider.services': Object.keys(serviceSchema.shape),
  'consumer.references': Object.keys(referenceSchema.shape),
};
const FIXED_LEAVES: readonly string[][] = [
  ['application', 'name'],
  ['application', 'version'],
  ['application', 'register-mode'],
  ['consumer', 'check'],
  ['consumer', 'timeout'],
  ['consumer', 'retries'],
  ['consumer', 'loadbalance'],
  ...Object.keys(shutdownSchema.shape).map((k) => ['shutdown', k]),
];

/** An environment value as YAML reads a scalar (`20880` a number, `true` a boolean, else the string). */
function envValue(raw: string): unknown {
  try {
    const v: unknown = parseYaml(raw);
    return v === null || typeof v === 'object' ? raw : v;
  } catch {
    return raw;
  }
}

function setPath(tree: Tree, path: readonly string[], value: unknown): void {
  let t = tree;
  for (const k of path.slice(0, -1)) {
    if (!isTree(t[k])) t[k] = {};
    t = t[k] as Tree;
  }
  t[path[path.length - 1]!] = value;
}

/**
 * Lays environment variables over `tree`: `DUBBO_` + the key path upper-cased with `.` and `-` as `_` for every key
 * the schema knows (`DUBBO_APPLICATION_NAME`, `DUBBO_REGISTRIES_ZK_ADDRESS`, `DUBBO_SHUTDOWN_STEP_TIMEOUT`), for
 * map entries (registries, protocols, services, references) that the YAML or code define; and Java's single-entry
 * shorthands `DUBBO_REGISTRY_ADDRESS` (every registry's address, or a registry `default` when none is defined) and
 * `DUBBO_PROTOCOL_PORT` (every protocol's port).
 */
function applyEnv(tree: Tree, env: Readonly<Record<string, string | undefined>>): string[] {
  const applied: string[] = [];
  const take = (path: string[]): void => {
    const name = envNameOf(['dubbo', ...path]);
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    setPath(tree, path, envValue(raw));
    applied.push(name);
  };
  const registryAddress = env.DUBBO_REGISTRY_ADDRESS;
  if (registryAddress) {
    const regs = isTree(tree.registries) ? Object.keys(tree.registries) : [];
    for (const id of regs.length > 0 ? regs : ['default'])
      setPath(tree, ['registries', id, 'address'], registryAddress);
    applied.push('DUBBO_REGISTRY_ADDRESS');
  }
  const protocolPort = env.DUBBO_PROTOCOL_PORT;
  if (protocolPort) {
    const ids = isTree(tree.protocols) ? Object.keys(tree.protocols) : ['dubbo'];
    for (const id of ids) setPath(tree, ['protocols', id, 'port'], envValue(protocolPort));
    applied.push('DUBBO_PROTOCOL_PORT');
  }
  for (const p of FIXED_LEAVES) take(p);
  for (const [at, leaves] of Object.entries(LEAVES)) {
    const mapPath = at.split('.');
    let node: unknown = tree;
    for (const k of mapPath) node = isTree(node) ? node[k] : undefined;
    if (!isTree(node)) continue;
    for (const id of Object.keys(node)) for (const leaf of leaves) take([...mapPath, id, leaf]);
  }
  return applied;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = ['dubbo', ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${path}.${k}: unknown key`).join('\n  - ');
  }
  return `${path}: ${issue.message}`;
}

/**
 * Reads an application config from its sources, lowest precedence first: the schema's defaults, the YAML, the
 * config from code, the environment. Every problem is reported at once, each with its key path.
 * @throws DubboConfigError `DUBBO_ERR_CONFIG` listing every problem.
 */
export function loadDubboConfig(sources: ConfigSources): { config: ResolvedDubboConfig; fromEnv: string[] } {
  let tree: unknown = sources.base === undefined ? {} : structuredClone(sources.base);
  const texts = sources.yaml === undefined ? [] : typeof sources.yaml === 'string' ? [sources.yaml] : sources.yaml;
  for (const text of texts) {
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw new DubboConfigError([`(yaml): not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
    }
    if (doc !== null && doc !== undefined) {
      if (!isTree(doc) || !isTree(doc.dubbo)) throw new DubboConfigError(['dubbo: expected a map under the key dubbo']);
      tree = merge(tree, doc.dubbo);
    }
  }
  if (sources.config !== undefined) tree = merge(tree, structuredClone(sources.config));
  if (!isTree(tree)) throw new DubboConfigError(['dubbo: expected a map']);
  const fromEnv = applyEnv(tree, sources.env ?? process.env);
  const parsed = dubboConfigSchema.safeParse(tree);
  if (!parsed.success) throw new DubboConfigError(parsed.error.issues.flatMap((i) => describeIssue(i).split('\n  - ')));
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new DubboConfigError(problems);
  return { config: parsed.data, fromEnv };
}

/** The registry URL of a registry entry (`address` with a scheme, or `protocol` + `address`). */
export function registryUrlOf(entry: ResolvedDubboConfig['registries'][string]): DubboUrl {
  const a = entry.address;
  const text = a.includes('://') ? a : `${entry.protocol ?? 'zookeeper'}://${a}`;
  let url = DubboUrl.valueOf(text);
  if (entry.timeout !== undefined) url = url.addParameter('timeout', String(entry.timeout));
  if (entry['register-mode'] !== undefined) url = url.addParameter('register-mode', entry['register-mode']);
  return url;
}

const REGISTRY_SCHEMES = new Set(['zookeeper', 'etcd', 'etcdv3']);

/** Checks across keys the schema cannot express: URLs, ids that must exist, duplicates. */
function crossCheck(c: ResolvedDubboConfig): string[] {
  const problems: string[] = [];
  const registryIds = Object.keys(c.registries);
  const protocolIds = Object.keys(c.protocols);
  for (const [id, r] of Object.entries(c.registries)) {
    const at = `dubbo.registries.${id}.address`;
    try {
      const url = registryUrlOf(r);
      if (!REGISTRY_SCHEMES.has(url.protocol ?? '')) {
        problems.push(`${at}: expected a zookeeper:// or etcd:// registry URL, got '${r.address}'`);
      } else if (!url.host || !(url.port > 0)) {
        problems.push(`${at}: expected host:port (e.g. zookeeper://127.0.0.1:2181), got '${r.address}'`);
      }
    } catch {
      problems.push(`${at}: expected a registry URL such as zookeeper://127.0.0.1:2181, got '${r.address}'`);
    }
  }
  const ports = new Map<number, string>();
  for (const [id, p] of Object.entries(c.protocols)) {
    if (p.port === 0) continue;
    const other = ports.get(p.port);
    if (other !== undefined)
      problems.push(`dubbo.protocols.${id}.port: ${p.port} is already the port of protocol ${other}`);
    ports.set(p.port, id);
  }
  const unknownIds = (at: string, ids: readonly string[] | undefined, known: readonly string[], what: string) => {
    for (const id of ids ?? []) {
      if (!known.includes(id)) problems.push(`${at}: unknown ${what} '${id}' (defined: ${known.join(', ') || 'none'})`);
    }
  };
  const serviceKeys = new Map<string, string>();
  for (const [name, s] of Object.entries(c.provider.services)) {
    const at = `dubbo.provider.services.${name}`;
    unknownIds(`${at}.registry-ids`, s['registry-ids'], registryIds, 'registry');
    unknownIds(`${at}.protocol-ids`, s['protocol-ids'], protocolIds, 'protocol');
    const key = DubboUrl.buildKey(s.interface, s.group ?? '', s.version ?? '');
    const other = serviceKeys.get(key);
    if (other !== undefined)
      problems.push(`${at}: duplicate service ${key}, also exported by dubbo.provider.services.${other}`);
    serviceKeys.set(key, name);
  }
  for (const [name, r] of Object.entries(c.consumer.references)) {
    const at = `dubbo.consumer.references.${name}`;
    unknownIds(`${at}.registry-ids`, r['registry-ids'], registryIds, 'registry');
    if (r.url === undefined && registryIds.length === 0) {
      problems.push(`${at}: expected a url, or a registry under dubbo.registries to find providers in`);
    }
    if (r.url !== undefined) {
      for (const part of r.url.split(';').filter((p) => p.trim() !== '')) {
        try {
          const u = DubboUrl.valueOf(part.includes('://') ? part.trim() : `dubbo://${part.trim()}`);
          if (!u.host || !(u.port > 0)) throw new Error('no host:port');
        } catch {
          problems.push(`${at}.url: expected dubbo://host:port (several joined by ;), got '${r.url}'`);
          break;
        }
      }
    }
  }
  return problems;
}
