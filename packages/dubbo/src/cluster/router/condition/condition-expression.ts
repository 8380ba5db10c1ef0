import { javaString } from '../../../common/java-string.js';
import type { DubboUrl } from '../../../common/url.js';
import { DubboError } from '../../../errors.js';
import type { RpcInvocation } from '../../../rpc/invocation.js';

/**
 * Java's ConditionStateRouter match syntax, read from apache/dubbo 3.3 (ConditionStateRouter.parseRule,
 * AbstractConditionMatcher, the Argument/Attachment/UrlParam matchers, RangeValuePattern, WildcardValuePattern,
 * UrlUtils.isMatchGlobPattern). Quirks kept on purpose, so a rule routes here as it does in Java:
 * - `arguments[N]` past the argument count, or in the then-part, reads a "not found" marker (not "absent"), so
 *   `arguments[9] != x` matches;
 * - keys are cut at the first `.` before `arguments[...]` / `attachments[...]` is read (`attachments[a.b]` never
 *   matches);
 * - `$name` resolves only in the then-part, against the consumer URL;
 * - a range (`1~9`, `~9`, `1~`) compares integers; a non-numeric value counts as 0; an open end (`1~`) or a
 *   malformed range matches in the then-part and not in the when-part.
 */

/** Where a condition key reads its value. */
type Source = 0 /* URL parameter (or the method) */ | 1 /* arguments[N] */ | 2 /* attachments[k] */;

/** One key of a condition with the values it must (`=`) and must not (`!=`) match. */
export interface ConditionMatcher {
  readonly key: string;
  readonly matches: Set<string>;
  readonly mismatches: Set<string>;
  /** @internal */
  readonly source: Source;
  /** @internal The argument index (-1: none found) or the attachment key ('' : none found). */
  readonly arg: number | string;
  /** @internal {@link matches} and {@link mismatches} as arrays, filled when parsing ends (no iterator per call). */
  matchList: string[];
  mismatchList: string[];
}

/** Java's marker for an argument or attachment that could not be read (AbstractConditionMatcher). */
const NOT_FOUND = 'dubbo_internal_not_found_argument_condition_value';
const ROUTE_PATTERN = /([&!=,]*)\s*([^&!=,\s]+)/g;
const ARGUMENTS_PATTERN = /arguments\[([0-9]+)\]/;
const ATTACHMENTS_PATTERN = /attachments\[(.+)\]/;

/** The keys of one side of a condition, by key. */
export type Conditions = ReadonlyMap<string, ConditionMatcher>;

/** A parsed `when => then` condition (Java's ConditionStateRouter.init). */
export interface ParsedCondition {
  /** Empty: matches every call. */
  readonly when: Conditions;
  /** `null`: the then-part is empty or `false` (no provider). */
  readonly thenPart: Conditions | null;
  /** Whether the when-part reads the call (method, arguments, attachments), not only the consumer URL. */
  readonly whenReadsCall: boolean;
}

function newMatcher(key: string): ConditionMatcher {
  if (key.startsWith('arguments')) {
    const m = ARGUMENTS_PATTERN.exec(key.split('.')[0]!);
    const arg = m ? Number.parseInt(m[1]!, 10) : -1;
    return { key, matches: new Set(), mismatches: new Set(), source: 1, arg, matchList: [], mismatchList: [] };
  }
  if (key.startsWith('attachments')) {
    const m = ATTACHMENTS_PATTERN.exec(key.split('.')[0]!);
    return {
      key,
      matches: new Set(),
      mismatches: new Set(),
      source: 2,
      arg: m ? m[1]! : '',
      matchList: [],
      mismatchList: [],
    };
  }
  return { key, matches: new Set(), mismatches: new Set(), source: 0, arg: -1, matchList: [], mismatchList: [] };
}

function illegal(rule: string, separator: string, index: number, content: string): DubboError {
  return new DubboError(
    'DUBBO_ERR_RULE_INVALID',
    `Illegal route rule "${rule}", The error char '${separator}' at index ${index} before "${content}".`,
  );
}

/**
 * Parses one side of a condition (`host = 1.2.3.4,1.2.3.5 & method != get*`), as Java's `parseRule`.
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` with Java's message for a misplaced `=`, `!=` or `,`.
 */
export function parseConditions(rule: string): Map<string, ConditionMatcher> {
  const condition = new Map<string, ConditionMatcher>();
  if (rule.trim() === '') return condition;
  let pair: ConditionMatcher | null = null;
  let values: Set<string> | null = null;
  ROUTE_PATTERN.lastIndex = 0;
  for (let m = ROUTE_PATTERN.exec(rule); m !== null; m = ROUTE_PATTERN.exec(rule)) {
    const separator = m[1]!;
    const content = m[2]!;
    if (separator === '') {
      pair = newMatcher(content);
      condition.set(content, pair);
    } else if (separator === '&') {
      pair = condition.get(content) ?? null;
      if (pair === null) {
        pair = newMatcher(content);
        condition.set(content, pair);
      }
    } else if (separator === '=') {
      if (pair === null) throw illegal(rule, separator, m.index, content);
      values = pair.matches;
      values.add(content);
    } else if (separator === '!=') {
      if (pair === null) throw illegal(rule, separator, m.index, content);
      values = pair.mismatches;
      values.add(content);
    } else if (separator === ',') {
      if (values === null || values.size === 0) throw illegal(rule, separator, m.index, content);
      values.add(content);
    } else {
      throw illegal(rule, separator, m.index, content);
    }
  }
  for (const c of condition.values()) {
    c.matchList = [...c.matches];
    c.mismatchList = [...c.mismatches];
  }
  return condition;
}

/**
 * Parses a condition `when => then` (Java's ConditionStateRouter.init): `consumer.` and `provider.` are dropped
 * from the text; no `=>` means a then-part only; an empty or `true` when-part matches every call; an empty or
 * `false` then-part leaves no provider.
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` for an empty rule or a misplaced separator.
 */
export function parseCondition(text: string): ParsedCondition {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new DubboError('DUBBO_ERR_RULE_INVALID', 'Illegal route rule!');
  }
  const rule = text.replaceAll('consumer.', '').replaceAll('provider.', '');
  const i = rule.indexOf('=>');
  const whenRule = i < 0 ? null : rule.slice(0, i).trim();
  const thenRule = i < 0 ? rule.trim() : rule.slice(i + 2).trim();
  const when = whenRule === null || whenRule === '' || whenRule === 'true' ? new Map() : parseConditions(whenRule);
  const then = thenRule === '' || thenRule === 'false' ? null : parseConditions(thenRule);
  return { when, thenPart: then, whenReadsCall: readsCall(when) };
}

/** Whether matching `conditions` reads the call (method, arguments, attachments). */
export function readsCall(conditions: Conditions): boolean {
  for (const m of conditions.values()) {
    if (m.source !== 0 || m.key === 'method' || m.key === 'methods') return true;
  }
  return false;
}

/** The method a call is for; a generic `$invoke` is for its first argument (Java's RpcUtils.getMethodName). */
function methodOf(inv: RpcInvocation): string {
  const n = inv.methodName;
  if ((n === '$invoke' || n === '$invokeAsync') && typeof inv.arguments[0] === 'string') return inv.arguments[0];
  return n;
}

/**
 * A URL's value for a key: parameters, and protocol, username, password, host, port and path from the URL itself.
 * `original` (Java's `toOriginalMap`, what a condition key reads): `address` too, and a port of 0 falls back to
 * the `port` parameter; otherwise Java's `URL.getRawParameter` (what `$name` resolves to): the port as it is.
 */
function urlValue(url: DubboUrl, key: string, original: boolean): string | undefined {
  switch (key) {
    case 'protocol':
      return url.protocol;
    case 'username':
      return url.username;
    case 'password':
      return url.password;
    case 'host':
      return url.host;
    case 'port':
      return original && url.port <= 0 ? url.parameters.get(key) : String(url.port);
    case 'path':
      return url.path;
    case 'address':
      return original ? url.address : url.parameters.get(key);
    default:
      return url.parameters.get(key);
  }
}

function sampleValue(m: ConditionMatcher, sample: DubboUrl, inv: RpcInvocation | null): string | undefined {
  if (m.source === 1) {
    const idx = m.arg as number;
    if (inv === null || idx < 0 || idx >= inv.arguments.length) return NOT_FOUND;
    return javaString(inv.arguments[idx], inv.method?.parameterTypes[idx]);
  }
  if (m.source === 2) {
    if (m.arg === '') return NOT_FOUND;
    return inv === null ? NOT_FOUND : inv.getAttachmentString(m.arg as string);
  }
  if (inv !== null && (m.key === 'method' || m.key === 'methods')) return methodOf(inv);
  return urlValue(sample, m.key, true);
}

const NUMBER = /^\d+$/;

/** Java's StringUtils.parseInteger: digits only, else 0; past the int range Java throws (we return NaN). */
function parseInteger(s: string): number {
  if (!NUMBER.test(s)) return 0;
  const n = Number(s);
  return n > 0x7fffffff ? Number.NaN : n;
}

/** Java's RangeValuePattern. */
function matchRange(pattern: string, value: string, isWhen: boolean): boolean {
  const fallback = !isWhen;
  const v = parseInteger(value);
  // Java's String.split drops trailing empty strings: '1~' has one part, '~' none.
  const arr = pattern.split('~');
  while (arr.length > 0 && arr[arr.length - 1] === '') arr.pop();
  if (arr.length < 2 || Number.isNaN(v)) return fallback;
  const rawStart = arr[0]!;
  const rawEnd = arr[1]!;
  if (rawStart === '') {
    const end = parseInteger(rawEnd);
    if (Number.isNaN(end)) return fallback;
    return !(v > end);
  }
  const start = parseInteger(rawStart);
  const end = parseInteger(rawEnd);
  if (Number.isNaN(start) || Number.isNaN(end)) return fallback;
  return !(v < start || v > end);
}

/** Java's UrlUtils.isMatchGlobPattern: `*`, a prefix/suffix/infix `*`, or equality. */
export function isMatchGlobPattern(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === '*') return true;
  const pe = pattern === undefined || pattern === '';
  const ve = value === undefined || value === '';
  if (pe && ve) return true;
  if (pe || ve) return false;
  const i = pattern.lastIndexOf('*');
  if (i === -1) return value === pattern;
  if (i === pattern.length - 1) return value.startsWith(pattern.slice(0, i));
  if (i === 0) return value.endsWith(pattern.slice(1));
  return value.startsWith(pattern.slice(0, i)) && value.endsWith(pattern.slice(i + 1));
}

function patternMatch(pattern: string, value: string, param: DubboUrl | null, isWhen: boolean): boolean {
  if (pattern.includes('~')) return matchRange(pattern, value, isWhen);
  const p = param !== null && pattern.startsWith('$') ? urlValue(param, pattern.slice(1), false) : pattern;
  return isMatchGlobPattern(p, value);
}

/** Java's AbstractConditionMatcher.isMatch: mismatches win over matches; an absent value never matches. */
function isMatch(
  m: ConditionMatcher,
  sample: DubboUrl,
  param: DubboUrl | null,
  inv: RpcInvocation | null,
  isWhen: boolean,
): boolean {
  const value = sampleValue(m, sample, inv);
  if (value === undefined) return false;
  const mis = m.mismatchList;
  const mat = m.matchList;
  if (mis.length > 0) {
    for (let i = 0; i < mis.length; i++) if (patternMatch(mis[i]!, value, param, isWhen)) return false;
    if (mat.length === 0) return true;
  }
  for (let i = 0; i < mat.length; i++) if (patternMatch(mat[i]!, value, param, isWhen)) return true;
  return false;
}

/** Whether a call from `consumer` matches the when-part (an empty one matches every call). */
export function matchWhen(when: Conditions, consumer: DubboUrl, inv: RpcInvocation | null): boolean {
  for (const m of when.values()) if (!isMatch(m, consumer, null, inv, true)) return false;
  return true;
}

/** {@link matchWhen} over the when-part's matchers as an array (the per-call path: no iterator). */
export function matchWhenList(
  when: readonly ConditionMatcher[],
  consumer: DubboUrl,
  inv: RpcInvocation | null,
): boolean {
  for (let i = 0; i < when.length; i++) if (!isMatch(when[i]!, consumer, null, inv, true)) return false;
  return true;
}

/**
 * Whether `provider` matches a then-part for `consumer` (`$name` reads the consumer URL). `emptyMatches`: an empty
 * then-part matches (v3.1) or not (v3.0).
 */
export function matchThen(then: Conditions, provider: DubboUrl, consumer: DubboUrl, emptyMatches: boolean): boolean {
  if (then.size === 0) return emptyMatches;
  for (const m of then.values()) if (!isMatch(m, provider, consumer, null, false)) return false;
  return true;
}
