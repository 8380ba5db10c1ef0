import type { DubboUrl } from '../../../common/url.js';
import type { RpcInvocation } from '../../../rpc/invocation.js';
import type { ProviderInvoker } from '../../provider-invoker.js';
import {
  loadRuleMap,
  NO_PROVIDERS,
  type RuleBase,
  RuleRouter,
  ruleBase,
  ruleError,
  stringField,
} from '../router-rule.js';
import { matchAddress } from './address-match.js';

/** The tag of a provider (URL parameter) or of a request (attachment, else consumer URL parameter). */
export const TAG_KEY = 'dubbo.tag';
/** `true`: a tagged request never falls back to untagged providers (attachment, else consumer URL). */
export const FORCE_TAG_KEY = 'dubbo.force.tag';
/** Java's tag router priority. */
export const TAG_PRIORITY = 100;

/** Java's StringMatch (the first of exact, prefix, regex, wildcard, empty, noempty that is set decides). */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: RegExp;
  readonly wildcard?: string;
  readonly empty?: string;
  readonly noempty?: string;
}

/** One `match` entry of a v3.0 tag: a provider URL parameter and how its value must look. */
export interface ParamMatch {
  readonly key: string;
  readonly value: StringMatch | null;
}

/** One tag of a rule: the providers it names, by address or (v3.0) by parameters. */
export interface TagDefinition {
  readonly name: string;
  /** `null` or empty: none given. */
  readonly addresses: readonly string[] | null;
  /** v3.0 only; `null`: none given. */
  readonly match: readonly ParamMatch[] | null;
}

/** A tag rule (`{providerApp}.tag-router`). */
export interface TagRule extends RuleBase {
  readonly tags: readonly TagDefinition[];
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parseStringMatch(v: unknown, path: string): StringMatch | null {
  if (v === null || v === undefined) return null;
  if (!isMap(v)) throw ruleError(path, 'expected a map (exact, prefix, regex, wildcard, empty, noempty)');
  const s = (k: string): string | undefined => {
    const x = v[k];
    if (x === undefined || x === null) return undefined;
    if (typeof x === 'object') throw ruleError(`${path}.${k}`, 'expected a string');
    return String(x);
  };
  let regex: RegExp | undefined;
  const re = s('regex');
  if (re !== undefined) {
    try {
      regex = new RegExp(`^(?:${re})$`, 'u');
    } catch (e) {
      throw ruleError(`${path}.regex`, `not a regular expression: ${(e as Error).message}`, e);
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of ['exact', 'prefix', 'wildcard', 'empty', 'noempty']) if (s(k) !== undefined) out[k] = s(k);
  if (regex !== undefined) out.regex = regex;
  return out as StringMatch;
}

/**
 * Parses a tag rule body (Java's TagRuleParser): `match` is read only with `configVersion: v3.0`; addresses are
 * kept as text. A rule with no tags is accepted and routes as no rule, as in Java.
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` naming the field at fault.
 */
export function parseTagRule(text: string): TagRule {
  const map = loadRuleMap(text);
  const base = ruleBase(map);
  const v30 = base.configVersion?.startsWith('v3.0') ?? false;
  const list = map.tags;
  const tags: TagDefinition[] = [];
  if (Array.isArray(list)) {
    list.forEach((t: unknown, i) => {
      const path = `tags[${i}]`;
      if (!isMap(t)) throw ruleError(path, 'expected a map with name and addresses or match');
      const name = stringField(t, 'name');
      if (name === undefined || name === '') throw ruleError(`${path}.name`, 'a tag needs a name');
      let match: ParamMatch[] | null = null;
      if (v30 && t.match !== undefined && t.match !== null) {
        if (!Array.isArray(t.match)) throw ruleError(`${path}.match`, 'expected a list of {key, value}');
        match = t.match.map((m: unknown, j) => {
          const mp = `${path}.match[${j}]`;
          if (!isMap(m)) throw ruleError(mp, 'expected a map with key and value');
          const key = stringField(m, 'key');
          if (key === undefined) throw ruleError(`${mp}.key`, 'missing');
          return { key, value: parseStringMatch(m.value, `${mp}.value`) };
        });
      }
      const addresses = Array.isArray(t.addresses) ? t.addresses.map((a) => String(a)) : null;
      // Java dereferences `match` for a v3.0 tag without addresses (a NullPointerException refuses the rule).
      if (v30 && (addresses === null || addresses.length === 0) && match === null) {
        throw ruleError(path, 'a v3.0 tag needs addresses or match');
      }
      tags.push({ name, addresses, match });
    });
  } else if (list !== undefined && list !== null) {
    throw ruleError('tags', 'expected a list of tags');
  }
  return { ...base, valid: base.valid && tags.length > 0, tags };
}

/** Java's StringMatch.isMatch. */
export function stringMatches(m: StringMatch, input: string | undefined): boolean {
  if (m.exact !== undefined && input !== undefined) return input === m.exact;
  if (m.prefix !== undefined && input !== undefined) return input.startsWith(m.prefix);
  if (m.regex !== undefined && input !== undefined) return m.regex.test(input);
  if (m.wildcard !== undefined && input !== undefined) return input === m.wildcard || m.wildcard === '*';
  if (m.empty !== undefined) return input === undefined || input === '';
  if (m.noempty !== undefined) return input !== undefined && input.length > 0;
  return false;
}

/** Java's TagStateRouter.selectAddressByTagLevel: `a|b|c`, then `a|b`, then `a` (not when forced). */
export function selectAddressByTagLevel<T>(
  byTag: ReadonlyMap<string, ReadonlySet<T>>,
  selector: string,
  force: boolean,
): ReadonlySet<T> | undefined {
  if (force || !selector.includes('|')) return byTag.get(selector);
  const parts = selector.split('|').filter((p) => p !== '');
  for (let i = parts.length; i > 0; i--) {
    const s = byTag.get(parts.slice(0, i).join('|'));
    if (s !== undefined && s.size > 0) return s;
  }
  return undefined;
}

/** Options of a {@link TagRouter}. */
export interface TagRouterOptions {
  /** Called when the providers' application (hence the rule key `{app}.tag-router`) is first known or changes. */
  readonly onRuleKey?: (ruleKey: string) => void;
}

/**
 * Java's TagStateRouter: providers tagged statically (`dubbo.tag` on their URL) or by a dynamic rule
 * (`{providerApp}.tag-router`, tags by address or, in v3.0, by URL parameters); a request's tag is its `dubbo.tag`
 * attachment, else the consumer URL's.
 * - A tagged request goes to its tag's providers (a dynamic tag first, `a|b` falling back to `a`; else the static
 *   tag). None: with the rule's `force` the dynamic tag's empty list, with `dubbo.force.tag=true` nothing, else the
 *   providers with no tag of either kind.
 * - An untagged request goes to the providers with no tag of either kind (none, if the rule tags every address).
 * The lists are cached per provider list, tag and rule.
 */
export class TagRouter extends RuleRouter<TagRule> {
  private byTag = new Map<string, ReadonlySet<string>>();
  private allTagged: ReadonlySet<string> = new Set();
  private invokers: readonly ProviderInvoker[] = [];
  private app = '';
  private cache = new WeakMap<readonly ProviderInvoker[], Map<string, readonly ProviderInvoker[]>>();
  /** The last untagged call's list and answer (the common case: the same list call after call, no tag). */
  private lastUntaggedIn: readonly ProviderInvoker[] | null = null;
  private lastUntaggedOut: readonly ProviderInvoker[] = NO_PROVIDERS;

  /**
   * @param consumerUrl - The reference's URL (its `dubbo.force.tag` is the default of the attachment).
   * @param options - @defaultValue none
   */
  constructor(
    private readonly consumerUrl: DubboUrl,
    private readonly options: TagRouterOptions = {},
  ) {
    super('tag', TAG_PRIORITY, '');
  }

  protected parse(text: string): TagRule {
    return parseTagRule(text);
  }

  protected override changed(): void {
    this.rebuild();
  }

  /** The tag names and the addresses each stands for now (dynamic tags only). */
  get tagAddresses(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.byTag;
  }

  notify(invokers: readonly ProviderInvoker[]): void {
    this.invokers = invokers;
    if (invokers.length > 0) {
      const u = invokers[0]!.url;
      const app = u.getParameter('remote.application') || u.getParameter('application') || '';
      if (app !== '' && app !== this.app) {
        this.app = app;
        this.ruleKey = `${app}.tag-router`;
        this.options.onRuleKey?.(this.ruleKey);
      }
    }
    this.rebuild();
  }

  /** Java's TagRouterRule.init: the addresses of each tag, by address list or by parameters over the list. */
  private rebuild(): void {
    this.cache = new WeakMap();
    this.lastUntaggedIn = null;
    const byTag = new Map<string, ReadonlySet<string>>();
    const r = this.rule;
    if (r?.valid) {
      for (const t of r.tags)
        if (t.addresses !== null && t.addresses.length > 0) byTag.set(t.name, new Set(t.addresses));
      if (r.configVersion?.startsWith('v3.0') && this.invokers.length > 0) {
        for (const t of r.tags) {
          if ((t.addresses !== null && t.addresses.length > 0) || t.match === null) continue;
          const found = new Set<string>();
          for (const i of this.invokers) {
            const u = i.url;
            if (t.match.every((m) => m.value !== null && stringMatches(m.value, u.parameters.get(m.key)))) {
              found.add(u.address ?? '');
            }
          }
          if (found.size > 0) byTag.set(t.name, found);
        }
      }
    }
    this.byTag = byTag;
    const all = new Set<string>();
    for (const s of byTag.values()) for (const a of s) all.add(a);
    this.allTagged = all;
  }

  private filter(
    list: readonly ProviderInvoker[],
    key: string,
    keep: (u: DubboUrl) => boolean,
  ): readonly ProviderInvoker[] {
    let m = this.cache.get(list);
    if (m === undefined) {
      m = new Map();
      this.cache.set(list, m);
    }
    let out = m.get(key);
    if (out === undefined) {
      const kept = list.filter((i) => keep(i.url));
      out = kept.length === list.length ? list : kept.length === 0 ? NO_PROVIDERS : kept;
      m.set(key, out);
    }
    return out;
  }

  private untagged(list: readonly ProviderInvoker[]): readonly ProviderInvoker[] {
    return this.filter(list, '\u0000untagged', (u) => !u.getParameter(TAG_KEY));
  }

  private forceTag(inv: RpcInvocation): boolean {
    const a = inv.getAttachmentString(FORCE_TAG_KEY);
    return (a || this.consumerUrl.getParameter(FORCE_TAG_KEY) || 'false').toLowerCase() === 'true';
  }

  route(invokers: readonly ProviderInvoker[], url: DubboUrl, inv: RpcInvocation): readonly ProviderInvoker[] {
    if (invokers.length === 0) return invokers;
    const tag = inv.getAttachmentString(TAG_KEY) || url.getParameter(TAG_KEY) || '';
    const r = this.rule;
    if (r === null || !r.valid || !r.enabled) {
      // Java's filterUsingStaticTag.
      if (tag === '') return this.untagged(invokers);
      const res = this.filter(invokers, `s\u0000${tag}`, (u) => u.getParameter(TAG_KEY) === tag);
      return res.length === 0 && !this.forceTag(inv) ? this.untagged(invokers) : res;
    }
    if (tag !== '') {
      const force = this.forceTag(inv);
      const addresses = selectAddressByTagLevel(this.byTag, tag, force);
      let res: readonly ProviderInvoker[];
      if (addresses !== undefined) {
        res = this.filter(invokers, `d\u0000${tag}\u0000${force}`, (u) => hasAddress(addresses, u));
        if (res.length > 0 || r.force) return res;
      } else {
        res = this.filter(invokers, `s\u0000${tag}`, (u) => u.getParameter(TAG_KEY) === tag);
      }
      if (res.length > 0 || force) return res;
      return this.filter(invokers, '\u0000free', (u) => !hasAddress(this.allTagged, u) && !u.getParameter(TAG_KEY));
    }
    if (invokers === this.lastUntaggedIn) return this.lastUntaggedOut;
    let res = invokers;
    if (this.allTagged.size > 0) {
      res = this.filter(invokers, '\u0000undynamic', (u) => !hasAddress(this.allTagged, u));
    }
    if (res.length > 0) res = this.untagged(res);
    this.lastUntaggedIn = invokers;
    this.lastUntaggedOut = res;
    return res;
  }
}

function hasAddress(addresses: ReadonlySet<string>, u: DubboUrl): boolean {
  const host = u.host ?? '';
  for (const a of addresses) if (matchAddress(a, host, u.port)) return true;
  return false;
}
