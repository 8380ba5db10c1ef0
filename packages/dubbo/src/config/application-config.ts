import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { DubboConfigSchemaInput, DubboConfigSchemaOutput } from './application-schema.js';

/** An application config as written (YAML or code): the `dubbo:` tree, keys spelled as Java and dubbo-go do. */
export type DubboConfig = DubboConfigSchemaInput;
/** An application config with every default filled in and durations in milliseconds. */
export type ResolvedDubboConfig = DubboConfigSchemaOutput;

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

/** An environment value as YAML reads a scalar (`20880` a number, `true` a boolean, else the string). */
function envValue(raw: string, parseYaml: (text: string) => unknown): unknown {
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
function applyEnv(
  tree: Tree,
  env: Readonly<Record<string, string | undefined>>,
  parseYaml: (text: string) => unknown,
  leaves: { map: Readonly<Record<string, readonly string[]>>; fixed: readonly string[][] },
): string[] {
  const applied: string[] = [];
  const take = (path: string[]): void => {
    const name = envNameOf(['dubbo', ...path]);
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    setPath(tree, path, envValue(raw, parseYaml));
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
    for (const id of ids) setPath(tree, ['protocols', id, 'port'], envValue(protocolPort, parseYaml));
    applied.push('DUBBO_PROTOCOL_PORT');
  }
  for (const p of leaves.fixed) take(p);
  for (const [at, names] of Object.entries(leaves.map)) {
    const mapPath = at.split('.');
    let node: unknown = tree;
    for (const k of mapPath) node = isTree(node) ? node[k] : undefined;
    if (!isTree(node)) continue;
    for (const id of Object.keys(node)) for (const leaf of names) take([...mapPath, id, leaf]);
  }
  return applied;
}

/**
 * Reads an application config from its sources, lowest precedence first: the schema's defaults, the YAML, the
 * config from code, the environment. Every problem is reported at once, each with its key path. The YAML parser
 * and the schema (zod) are loaded on the first call, so an application that never reads a config never loads them.
 * @throws DubboConfigError `DUBBO_ERR_CONFIG` listing every problem.
 */
export async function loadDubboConfig(
  sources: ConfigSources,
): Promise<{ config: ResolvedDubboConfig; fromEnv: string[] }> {
  const [{ parse: parseYaml }, schema] = await Promise.all([import('yaml'), import('./application-schema.js')]);
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
  const fromEnv = applyEnv(tree, sources.env ?? process.env, parseYaml, {
    map: schema.MAP_LEAVES,
    fixed: schema.FIXED_LEAVES,
  });
  const checked = schema.validateDubboConfig(tree);
  if (!checked.ok) throw new DubboConfigError(checked.problems);
  const problems = crossCheck(checked.config);
  if (problems.length > 0) throw new DubboConfigError(problems);
  return { config: checked.config, fromEnv };
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
