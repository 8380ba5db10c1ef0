import { getLogger } from '@dubbo-ts/gost';
import { parse as parseYaml } from 'yaml';
import type { DubboUrl } from '../../common/url.js';
import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { Router } from '../router-chain.js';

/** The fields every governance rule shares (Java's AbstractRouterRule). */
export interface RuleBase {
  /** `configVersion`, e.g. `v3.0`. */
  readonly configVersion: string | undefined;
  /** `scope`: `service` or `application`. */
  readonly scope: string | undefined;
  /** `key`: the service or application the rule is for. */
  readonly key: string | undefined;
  /** `force`. @defaultValue false */
  readonly force: boolean;
  /** `runtime`. @defaultValue true */
  readonly runtime: boolean;
  /** `enabled`. @defaultValue true */
  readonly enabled: boolean;
  /** `valid`. @defaultValue true */
  readonly valid: boolean;
  /** `priority` (parsed as Java does; Java 3.3 orders no rule by it). @defaultValue 0 */
  readonly priority: number;
}

/** Longest rule text accepted (a config-center value is far smaller; this bounds the parser's work). */
const MAX_RULE_CHARS = 1 << 20;

/** A refused rule: `DUBBO_ERR_RULE_INVALID` naming the field at fault. */
export function ruleError(path: string, message: string, cause?: unknown): DubboError {
  return new DubboError('DUBBO_ERR_RULE_INVALID', path === '' ? message : `${path}: ${message}`, { cause });
}

/**
 * The YAML body of a rule as a map (Java loads it with SnakeYAML's SafeConstructor: plain data, no tags).
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` when the text is not YAML or not a map.
 */
export function loadRuleMap(text: string): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') throw ruleError('', 'the rule is empty');
  if (text.length > MAX_RULE_CHARS) throw ruleError('', `the rule is longer than ${MAX_RULE_CHARS} characters`);
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (e) {
    throw ruleError('', `not YAML: ${(e as Error).message}`, e);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw ruleError('', 'the rule is not a YAML map');
  return doc as Record<string, unknown>;
}

/** Java's `Boolean.parseBoolean(String.valueOf(v))`. */
function javaBoolean(v: unknown, def: boolean): boolean {
  if (v === undefined || v === null) return def;
  return String(v).toLowerCase() === 'true';
}

/** A string field (Java casts to String: anything else is refused). */
export function stringField(map: Record<string, unknown>, key: string): string | undefined {
  const v = map[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw ruleError(key, `expected a string, got ${JSON.stringify(v)}`);
  return v;
}

/** The shared fields of a rule map (Java's AbstractRouterRule.parseFromMap0). */
export function ruleBase(map: Record<string, unknown>): RuleBase {
  let priority = 0;
  if (map.priority !== undefined && map.priority !== null) {
    const s = String(map.priority).trim();
    if (!/^[+-]?\d+$/.test(s) || Math.abs(Number(s)) > 0x7fffffff) {
      throw ruleError('priority', `expected an int, got ${JSON.stringify(map.priority)}`);
    }
    priority = Number(s);
  }
  return {
    configVersion: stringField(map, 'configVersion'),
    scope: stringField(map, 'scope'),
    key: stringField(map, 'key'),
    force: javaBoolean(map.force, false),
    runtime: javaBoolean(map.runtime, true),
    enabled: javaBoolean(map.enabled, true),
    valid: javaBoolean(map.valid, true),
    priority,
  };
}

/**
 * One rule read from the config center (or set directly): {@link apply} parses the new text and swaps it in, or
 * refuses it (logged with the reason) and keeps the rule in force; `null` removes it. Every rule applied, removed
 * or refused is logged with its key and version.
 */
export abstract class ListenableRule<R> {
  /** The rule in force, `null` for none. */
  protected rule: R | null = null;
  /** The version of the rule in force (`''` when none was given). */
  private ruleVersion = '';

  /**
   * @param name - The kind of rule, for logs (`condition`, `tag`, `override`).
   * @param ruleKey - The config-center key the rule is read from, for logs.
   */
  constructor(
    readonly name: string,
    public ruleKey: string,
  ) {}

  /** The rule in force, `null` for none. */
  get current(): R | null {
    return this.rule;
  }

  /** The version of the rule in force. */
  get version(): string {
    return this.ruleVersion;
  }

  /**
   * Applies a new rule text (`null`: the rule was removed).
   * @param version - The config center's version of the value (ZooKeeper's data version, etcd's revision), for logs.
   * @returns Whether the text was applied; a refused one leaves the rule in force.
   */
  apply(text: string | null | undefined, version: string | number = ''): boolean {
    const v = String(version);
    if (text === null || text === undefined) {
      if (this.rule !== null) getLogger().info(`dubbo: ${this.name} rule ${this.ruleKey} removed (version ${v})`);
      this.rule = null;
      this.ruleVersion = v;
      this.changed();
      return true;
    }
    let parsed: R;
    try {
      parsed = this.parse(text);
    } catch (e) {
      getLogger().warn(
        `dubbo: ${this.name} rule ${this.ruleKey} version ${v} refused, the rule in force stays ` +
          `(version ${this.ruleVersion || 'none'}): ${(e as Error).message}`,
      );
      return false;
    }
    this.rule = parsed;
    this.ruleVersion = v;
    this.changed();
    getLogger().info(`dubbo: ${this.name} rule ${this.ruleKey} version ${v} applied`);
    return true;
  }

  /**
   * Parses a rule text.
   * @throws DubboError `DUBBO_ERR_RULE_INVALID` naming the field at fault.
   */
  protected abstract parse(text: string): R;

  /** The rule changed (drop what was cached for the old one). */
  protected changed(): void {}
}

/** A router whose behaviour is one {@link ListenableRule}. */
export abstract class RuleRouter<R> extends ListenableRule<R> implements Router {
  /**
   * @param name - For logs.
   * @param priority - Java's order (tag 100, service conditions 140, provider app 145, consumer app 150).
   * @param ruleKey - The config-center key the rule is read from, for logs.
   */
  constructor(
    name: string,
    readonly priority: number,
    ruleKey: string,
  ) {
    super(name, ruleKey);
  }

  abstract route(invokers: readonly ProviderInvoker[], url: DubboUrl, inv: RpcInvocation): readonly ProviderInvoker[];
}

/** An empty provider list (shared). */
export const NO_PROVIDERS: readonly ProviderInvoker[] = Object.freeze([]);
