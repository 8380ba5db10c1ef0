import { loadRuleMap, type RuleBase, ruleBase, ruleError } from '../router-rule.js';
import {
  type Conditions,
  type ParsedCondition,
  parseCondition,
  parseConditions,
  readsCall,
} from './condition-expression.js';

/** A `configVersion: v3.0` condition rule (or no version): each condition applied in turn. */
export interface ConditionRuleV30 extends RuleBase {
  readonly kind: 'v3.0';
  /** The conditions as written. */
  readonly texts: readonly string[];
  readonly conditions: readonly ParsedCondition[];
}

/** One subset of a v3.1 destination list: a then-part and its weight. */
export interface ConditionSubset {
  readonly thenPart: Conditions;
  /** @defaultValue 100 (also for 0 or less, as Java) */
  readonly weight: number;
}

/** One `from`/`to` condition of a v3.1 rule. */
export interface MultiDestCondition {
  /** Empty: every call. */
  readonly when: Conditions;
  readonly whenReadsCall: boolean;
  /** Empty: no provider. */
  readonly to: readonly ConditionSubset[];
}

/** A `configVersion: v3.1` rule (Java's MultiDestConditionRouterRule): weighted destination subsets. */
export interface ConditionRuleV31 extends RuleBase {
  readonly kind: 'v3.1';
  readonly conditions: readonly MultiDestCondition[];
}

/** A condition rule of either version. */
export type ConditionRule = ConditionRuleV30 | ConditionRuleV31;

/** Java's DefaultRouteConditionSubSetWeight. */
const DEFAULT_SUBSET_WEIGHT = 100;

/** A value Java reads as a String through Jackson (`match`, `weight`): scalars become their text. */
function scalar(v: unknown, path: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  throw ruleError(path, `expected a string, got ${JSON.stringify(v)}`);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw ruleError(path, (e as Error).message, e);
  }
}

function parseV31(map: Record<string, unknown>, base: RuleBase): ConditionRuleV31 {
  const list = map.conditions;
  if (!Array.isArray(list)) throw ruleError('conditions', 'expected a list of from/to conditions');
  if (list.length === 0) throw ruleError('conditions', 'no condition');
  const conditions = list.map((c: unknown, i): MultiDestCondition => {
    const path = `conditions[${i}]`;
    if (!isMap(c)) throw ruleError(path, 'expected a map with from and to');
    if (c.from !== undefined && c.from !== null && !isMap(c.from))
      throw ruleError(`${path}.from`, 'expected a map with match');
    if (c.to !== undefined && c.to !== null && !Array.isArray(c.to))
      throw ruleError(`${path}.to`, 'expected a list of destinations');
    const from = (c.from ?? {}) as Record<string, unknown>;
    const whenText = scalar(from.match, `${path}.from.match`)?.trim() ?? '';
    const when =
      whenText === '' || whenText === 'true'
        ? new Map()
        : withPath(`${path}.from.match`, () => parseConditions(whenText));
    const to = ((c.to ?? []) as unknown[]).map((d, j): ConditionSubset => {
      const dp = `${path}.to[${j}]`;
      if (!isMap(d)) throw ruleError(dp, 'expected a map with match and weight');
      const thenText = scalar(d.match, `${dp}.match`)?.trim() ?? '';
      const then =
        thenText === '' || thenText === 'false' ? new Map() : withPath(`${dp}.match`, () => parseConditions(thenText));
      const w = scalar(d.weight, `${dp}.weight`);
      let weight = DEFAULT_SUBSET_WEIGHT;
      if (w !== undefined) {
        if (!/^[+-]?\d+$/.test(w) || Math.abs(Number(w)) > 0x7fffffff)
          throw ruleError(`${dp}.weight`, `expected an int, got ${w}`);
        weight = Number(w) <= 0 ? DEFAULT_SUBSET_WEIGHT : Number(w);
      }
      return { thenPart: then, weight };
    });
    return { when, whenReadsCall: readsCall(when), to };
  });
  return { ...base, kind: 'v3.1', conditions };
}

/**
 * Parses a condition rule body (Java's ConditionRuleParser): `configVersion` starting with `v3.1` is a
 * multi-destination rule, a later version is refused, anything else (or none) is v3.0.
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` naming the field at fault: not YAML, no conditions, a condition
 *   that does not parse, an unsupported version.
 */
export function parseConditionRule(text: string): ConditionRule {
  const map = loadRuleMap(text);
  const base = ruleBase(map);
  const version = base.configVersion?.toLowerCase();
  if (version?.startsWith('v3.1')) return parseV31(map, base);
  if (version !== undefined && version > 'v3.1') {
    throw ruleError('configVersion', `${base.configVersion} is not supported (v3.1 and below are)`);
  }
  const list = map.conditions;
  if (!Array.isArray(list) || list.length === 0)
    throw ruleError('conditions', 'expected a non-empty list of conditions');
  const texts = list.map((c) =>
    c === null || c === undefined ? 'null' : typeof c === 'object' ? JSON.stringify(c) : String(c),
  );
  const conditions = texts.map((t, i) => withPath(`conditions[${i}]`, () => parseCondition(t)));
  return { ...base, kind: 'v3.0', texts, conditions };
}
