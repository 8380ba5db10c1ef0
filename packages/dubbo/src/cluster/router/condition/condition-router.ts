import { getLogger } from '@dubbo-ts/gost';
import type { DubboUrl } from '../../../common/url.js';
import { DubboError } from '../../../errors.js';
import type { RpcInvocation } from '../../../rpc/invocation.js';
import { settingsNameOf } from '../../../rpc/method-name.js';
import type { ProviderInvoker } from '../../provider-invoker.js';
import { NO_PROVIDERS, RuleRouter } from '../router-rule.js';
import { type ConditionMatcher, type Conditions, matchThen, matchWhen, matchWhenList } from './condition-expression.js';
import { type ConditionRule, parseConditionRule } from './condition-rule.js';

/** Most methods whose when-part answers one condition keeps (a generic caller may name any number). */
const MAX_METHODS = 256;

/** Java's condition router priorities: service rules 140, provider application 145, consumer application 150. */
export const CONDITION_PRIORITY = { service: 140, providerApp: 145, app: 150 } as const;

/**
 * One side of a condition with what was worked out for it: the when-part's answer for the consumer URL (when it
 * reads no call), each provider's then-part answer, and the filtered list per input list. A new provider list costs
 * the new providers only; an unchanged one costs a map lookup.
 */
class Compiled {
  private whenUrl: DubboUrl | null = null;
  private whenAnswer = false;
  private thenUrl: DubboUrl | null = null;
  private perProvider = new WeakMap<ProviderInvoker, boolean>();
  private perList = new WeakMap<readonly ProviderInvoker[], readonly ProviderInvoker[]>();
  /** The last list asked for and its answer (the common case: the same list call after call). */
  private lastIn: readonly ProviderInvoker[] | null = null;
  private lastOut: readonly ProviderInvoker[] = NO_PROVIDERS;
  private readonly whenList: readonly ConditionMatcher[];
  /** The when-part reads the call through its method only (no arguments, no attachments): answers by method. */
  private readonly byMethod: Map<string, boolean> | null;

  constructor(
    readonly when: Conditions,
    private readonly whenReadsCall: boolean,
    /** An empty then-part matches every provider (v3.1) or none (v3.0). */
    private readonly emptyThenMatches: boolean,
  ) {
    this.whenList = [...when.values()];
    this.byMethod = whenReadsCall && this.whenList.every((m) => m.source === 0) ? new Map() : null;
  }

  matchWhen(url: DubboUrl, inv: RpcInvocation): boolean {
    if (this.whenUrl !== url) {
      this.whenUrl = url;
      this.byMethod?.clear();
      if (!this.whenReadsCall) this.whenAnswer = matchWhen(this.when, url, null);
    }
    if (!this.whenReadsCall) return this.whenAnswer;
    const byMethod = this.byMethod;
    if (byMethod === null) return matchWhenList(this.whenList, url, inv);
    const method = settingsNameOf(inv);
    let answer = byMethod.get(method);
    if (answer === undefined) {
      answer = matchWhenList(this.whenList, url, inv);
      if (byMethod.size < MAX_METHODS) byMethod.set(method, answer);
    }
    return answer;
  }

  /** The providers of `invokers` the then-part keeps (`invokers` itself when it keeps them all). */
  filter(then: Conditions, invokers: readonly ProviderInvoker[], url: DubboUrl): readonly ProviderInvoker[] {
    if (this.thenUrl !== url) {
      this.perProvider = new WeakMap();
      this.perList = new WeakMap();
      this.lastIn = null;
      this.thenUrl = url;
    }
    if (invokers === this.lastIn) return this.lastOut;
    let out = this.perList.get(invokers);
    if (out !== undefined) {
      this.lastIn = invokers;
      this.lastOut = out;
      return out;
    }
    const kept: ProviderInvoker[] = [];
    for (const i of invokers) {
      let ok = this.perProvider.get(i);
      if (ok === undefined) {
        ok = matchThen(then, i.url, url, this.emptyThenMatches);
        this.perProvider.set(i, ok);
      }
      if (ok) kept.push(i);
    }
    out = kept.length === invokers.length ? invokers : kept.length === 0 ? NO_PROVIDERS : kept;
    this.perList.set(invokers, out);
    this.lastIn = invokers;
    this.lastOut = out;
    return out;
  }
}

interface V30 {
  readonly kind: 'v3.0';
  readonly items: readonly { readonly c: Compiled; readonly thenPart: Conditions | null }[];
}

interface V31 {
  readonly kind: 'v3.1';
  readonly items: readonly {
    readonly c: Compiled;
    readonly to: readonly { c: Compiled; thenPart: Conditions; weight: number }[];
  }[];
}

/**
 * Java's condition routers (ConditionStateRouter for `configVersion: v3.0`, MultiDestConditionRouter for v3.1,
 * held as ListenableStateRouter holds them): a rule of conditions `when => then`, each applied to the previous
 * one's result.
 * - v3.0: a call matching the when-part goes to the providers matching the then-part; if none match, to all of them
 *   unless `force: true` (then to none). An empty or `false` then-part sends the call nowhere.
 * - v3.1: the `to` subsets that hold a provider are weighed (`weight`, default 100) and one is picked at random
 *   per call; none: all providers unless `force`. A `from` without `to` sends the call nowhere.
 * - `enabled: false`: the rule routes nothing.
 *
 * Results are cached per provider list and rule: a call whose when-part reads only the consumer URL costs a few
 * lookups.
 */
export class ConditionRouter extends RuleRouter<ConditionRule> {
  private compiled: V30 | V31 | null = null;
  private readonly scratchLists: (readonly ProviderInvoker[])[] = [];
  private readonly scratchWeights: number[] = [];

  /**
   * @param ruleKey - The rule's config-center key (`<app>.condition-router`, `<iface>:<ver>:<grp>.condition-router`).
   * @param priority - @defaultValue 140 (service scope)
   * @param random - Uniform in [0, 1), for v3.1's weighted pick. @defaultValue Math.random
   */
  constructor(
    ruleKey: string,
    priority: number = CONDITION_PRIORITY.service,
    private readonly random: () => number = Math.random,
  ) {
    super('condition', priority, ruleKey);
  }

  protected parse(text: string): ConditionRule {
    return parseConditionRule(text);
  }

  protected override changed(): void {
    const r = this.rule;
    if (r === null || !r.enabled || !r.valid) {
      this.compiled = null;
    } else if (r.kind === 'v3.0') {
      this.compiled = {
        kind: 'v3.0',
        items: r.conditions.map((p) => ({ c: new Compiled(p.when, p.whenReadsCall, false), thenPart: p.thenPart })),
      };
    } else {
      this.compiled = {
        kind: 'v3.1',
        items: r.conditions.map((m) => ({
          c: new Compiled(m.when, m.whenReadsCall, true),
          to: m.to.map((s) => ({ c: new Compiled(m.when, false, true), thenPart: s.thenPart, weight: s.weight })),
        })),
      };
    }
  }

  route(invokers: readonly ProviderInvoker[], url: DubboUrl, inv: RpcInvocation): readonly ProviderInvoker[] {
    const compiled = this.compiled;
    if (compiled === null) return invokers;
    const force = this.rule!.force;
    let out = invokers;
    if (compiled.kind === 'v3.0') {
      for (const { c, thenPart: then } of compiled.items) {
        if (out.length === 0 || !c.matchWhen(url, inv)) continue;
        if (then === null) {
          getLogger().warn(
            `dubbo: condition rule ${this.ruleKey}: the then-part is empty, no provider for ${url.serviceKey}`,
          );
          out = NO_PROVIDERS;
          continue;
        }
        const r = c.filter(then, out, url);
        if (r.length > 0 || force) out = r;
      }
      return out;
    }
    for (const { c, to } of compiled.items) {
      if (out.length === 0 || !c.matchWhen(url, inv)) continue;
      if (to.length === 0) {
        out = NO_PROVIDERS;
        continue;
      }
      out = this.pickSubset(to, out, url, force);
    }
    return out;
  }

  /** Java's DestinationSet.randDestination over the non-empty subsets. */
  private pickSubset(
    to: readonly { c: Compiled; thenPart: Conditions; weight: number }[],
    invokers: readonly ProviderInvoker[],
    url: DubboUrl,
    force: boolean,
  ): readonly ProviderInvoker[] {
    const lists = this.scratchLists;
    const weights = this.scratchWeights;
    lists.length = 0;
    weights.length = 0;
    let total = 0;
    for (const s of to) {
      const r = s.c.filter(s.thenPart, invokers, url);
      if (r.length === 0) continue;
      lists.push(r);
      weights.push(s.weight);
      total += s.weight;
    }
    if (lists.length === 0) return force ? NO_PROVIDERS : invokers;
    const only = lists[0]!;
    if (lists.length === 1) {
      lists.length = 0;
      return only;
    }
    // Java: sum = nextLong(total); the first destination with (sum -= weight) <= 0.
    let sum = Math.floor(this.random() * total);
    let picked: readonly ProviderInvoker[] = NO_PROVIDERS;
    for (let i = 0; i < lists.length; i++) {
      sum -= weights[i]!;
      if (sum <= 0) {
        picked = lists[i]!;
        break;
      }
    }
    lists.length = 0;
    return picked;
  }
}

/**
 * A Dubbo 2.x `condition://` router URL (registry category `routers`): the condition in `rule` (encoded),
 * `force`, `enabled` and `priority` (default 0) as URL parameters. (Java 3.3 core has no RouterFactory left for
 * these and skips them with an error; 2.7 and dubbo-go apply them, as here.)
 * @throws DubboError `DUBBO_ERR_RULE_INVALID` when the rule is missing or malformed.
 */
export function conditionRouterOfUrl(url: DubboUrl): ConditionRouter {
  const rule = url.getParameterAndDecoded('rule');
  const priority = Number.parseInt(url.getParameter('priority') ?? '0', 10);
  const r = new ConditionRouter(
    `${url.protocol}://${url.address ?? ''}/${url.path ?? ''}`,
    Number.isFinite(priority) ? priority : 0,
  );
  const body = JSON.stringify({
    force: url.getParameter('force') ?? 'false',
    enabled: url.getParameter('enabled') ?? 'true',
    conditions: [rule],
  });
  if (!r.apply(body, url.getParameter('timestamp') ?? '')) {
    throw new DubboError('DUBBO_ERR_RULE_INVALID', `router URL ${url.toFullString()}: not a valid condition rule`);
  }
  return r;
}
