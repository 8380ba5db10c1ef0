import { createContext, Script } from 'node:vm';
import { getLogger } from '@dubbo-ts/gost';
import type { DubboUrl } from '../../../common/url.js';
import { DubboError } from '../../../errors.js';
import type { RpcInvocation } from '../../../rpc/invocation.js';
import type { ProviderInvoker } from '../../provider-invoker.js';
import { routers } from '../../registries.js';
import { loadRuleMap, type RuleBase, RuleRouter, ruleBase, ruleError, stringField } from '../router-rule.js';

/** Java's script router priority. */
export const SCRIPT_PRIORITY = 200;

/** Settings of the script router (off unless {@link enableScriptRouter} was called). */
export interface ScriptRouterSettings {
  /** Longest a script may run per call, in ms; past it the call goes to every provider. @defaultValue 100 */
  readonly timeoutMs: number;
}

let settings: ScriptRouterSettings | null = null;

/**
 * Turns the script router on for references made afterwards (`{providerApp}.script-router` rules, `script://`
 * registry URLs). Off by default: a script rule is code from the config center run in this process. It runs in a
 * `node:vm` context holding only its bindings, bounded by `timeoutMs` per call; `node:vm` is not a security
 * boundary, so enable it only where whoever writes the config center may run code here.
 * @param options - @defaultValue `{ timeoutMs: 100 }`
 */
export function enableScriptRouter(options: Partial<ScriptRouterSettings> = {}): void {
  const timeoutMs = options.timeoutMs ?? 100;
  if (!(timeoutMs > 0)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `timeoutMs must be > 0, got ${timeoutMs}`);
  settings = { timeoutMs };
  routers.register('script', scriptRouterOfUrl);
}

/** Turns the script router off again (references made afterwards get none). */
export function disableScriptRouter(): void {
  settings = null;
  routers.unregister('script');
}

/** The script router settings, `null` while it is off. */
export function scriptRouterSettings(): ScriptRouterSettings | null {
  return settings;
}

/** A script rule (Java's ScriptRule): `type` (only `javascript`), `script`, `enabled`, `force`. */
export interface ScriptRule extends RuleBase {
  readonly type: string;
  readonly script: string;
}

/** Parses a script rule body. @throws DubboError `DUBBO_ERR_RULE_INVALID` (no script, another language, bad syntax). */
export function parseScriptRule(text: string): ScriptRule {
  const map = loadRuleMap(text);
  const base = ruleBase(map);
  const type = stringField(map, 'type') ?? 'javascript';
  if (type !== 'javascript' && type !== 'js')
    throw ruleError('type', `unsupported script type ${type} (javascript only)`);
  const script = stringField(map, 'script');
  if (script === undefined || script.trim() === '') throw ruleError('script', 'missing');
  return { ...base, type, script };
}

/** What a script sees of a provider URL (Java's URL getters). */
function urlView(u: DubboUrl) {
  return Object.freeze({
    getHost: () => u.host,
    getPort: () => u.port,
    getAddress: () => u.address,
    getIp: () => u.host,
    getPath: () => u.path,
    getProtocol: () => u.protocol,
    getServiceKey: () => u.serviceKey,
    getParameter: (k: string, d?: string) => u.getParameter(k) ?? d ?? null,
    toString: () => u.toFullString(),
  });
}

/** A JS array with Java's List methods, for scripts written for Java's engine. */
class JavaList<T> extends Array<T> {
  add(x: T): boolean {
    this.push(x);
    return true;
  }
  size(): number {
    return this.length;
  }
  get(i: number): T {
    return this[i] as T;
  }
  isEmpty(): boolean {
    return this.length === 0;
  }
}

interface Compiled {
  readonly script: Script;
  readonly context: object;
}

/**
 * Java's ScriptStateRouter for JavaScript rules, behind {@link enableScriptRouter}: the script's value is the list
 * of providers a call may go to. It sees `invokers` (a list with `size()`/`get(i)`, each with `getUrl()`),
 * `invocation` (`getMethodName()`, `getArguments()`, `getAttachment(k)`), `context` (the call's attachments) and
 * `java.util.ArrayList`, so Java's documented scripts run unchanged. An error or a timeout sends the call to every
 * provider (Java's behaviour on a script error), logged.
 */
export class ScriptRouter extends RuleRouter<ScriptRule> {
  private compiled: Compiled | null = null;
  private readonly views = new WeakMap<ProviderInvoker, object>();

  constructor(
    ruleKey: string,
    private readonly timeoutMs: number,
    priority = SCRIPT_PRIORITY,
  ) {
    super('script', priority, ruleKey);
  }

  protected parse(text: string): ScriptRule {
    const rule = parseScriptRule(text);
    try {
      new Script(rule.script, { filename: this.ruleKey });
    } catch (e) {
      throw ruleError('script', `does not compile: ${(e as Error).message}`, e);
    }
    return rule;
  }

  protected override changed(): void {
    const r = this.rule;
    if (r === null || !r.enabled) {
      this.compiled = null;
      return;
    }
    const context = createContext(
      { java: Object.freeze({ util: Object.freeze({ ArrayList: JavaList }) }) },
      { codeGeneration: { strings: false, wasm: false }, microtaskMode: 'afterEvaluate' },
    );
    this.compiled = { script: new Script(r.script, { filename: this.ruleKey }), context };
  }

  private view(i: ProviderInvoker): object {
    let v = this.views.get(i);
    if (v === undefined) {
      const url = urlView(i.url);
      v = Object.freeze({ getUrl: () => url, isAvailable: () => i.isAvailable() });
      this.views.set(i, v);
    }
    return v;
  }

  route(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): readonly ProviderInvoker[] {
    const c = this.compiled;
    if (c === null || invokers.length === 0) return invokers;
    const byView = new Map<object, ProviderInvoker>();
    const list = new JavaList<object>();
    for (const i of invokers) {
      const v = this.view(i);
      byView.set(v, i);
      list.push(v);
    }
    const ctx = c.context as Record<string, unknown>;
    ctx.invokers = list;
    ctx.invocation = Object.freeze({
      getMethodName: () => inv.methodName,
      getArguments: () => [...inv.arguments],
      getAttachment: (k: string) => inv.getAttachmentString(k) ?? null,
    });
    ctx.context = Object.freeze({ ...inv.attachmentsForReading });
    let out: unknown;
    try {
      out = c.script.runInContext(c.context as never, { timeout: this.timeoutMs });
    } catch (e) {
      getLogger().error(
        `dubbo: script rule ${this.ruleKey} failed, the call goes to every provider: ${(e as Error)?.message}`,
      );
      return invokers;
    }
    if (!Array.isArray(out)) {
      getLogger().error(`dubbo: script rule ${this.ruleKey} returned no list, the call goes to every provider`);
      return invokers;
    }
    const keep = new Set<ProviderInvoker>();
    for (const v of out) {
      const i = byView.get(v as object);
      if (i !== undefined) keep.add(i);
    }
    return keep.size === invokers.length ? invokers : invokers.filter((i) => keep.has(i));
  }
}

/** A `script://` registry router URL (`rule` encoded, `type`), for the routers registry once enabled. */
export function scriptRouterOfUrl(url: DubboUrl): ScriptRouter {
  const s = settings;
  if (s === null)
    throw new DubboError('DUBBO_ERR_INVALID_ARG', 'the script router is not enabled (enableScriptRouter())');
  const r = new ScriptRouter(
    `${url.protocol}://${url.address ?? ''}/${url.path ?? ''}`,
    s.timeoutMs,
    Number.parseInt(url.getParameter('priority') ?? '0', 10) || 0,
  );
  const body = JSON.stringify({
    type: url.getParameter('type') ?? 'javascript',
    script: url.getParameterAndDecoded('rule'),
    enabled: url.getParameter('enabled') ?? 'true',
  });
  if (!r.apply(body))
    throw new DubboError('DUBBO_ERR_RULE_INVALID', `router URL ${url.toFullString()}: not a valid script rule`);
  return r;
}
