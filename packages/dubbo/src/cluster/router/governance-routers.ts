import type { DubboUrl } from '../../common/url.js';
import type { DynamicConfiguration } from '../../config-center/dynamic-configuration.js';
import { ConfiguratorRule } from '../configurator/configurator.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { Router } from '../router-chain.js';
import { CONDITION_PRIORITY, ConditionRouter } from './condition/condition-router.js';
import type { ListenableRule, RuleRouter } from './router-rule.js';
import { ScriptRouter, scriptRouterSettings } from './script/script-router.js';
import { TagRouter } from './tag/tag-router.js';

/** The provider application of a list: the first provider's `remote.application`, else its `application`. */
export function providerApplication(invokers: readonly ProviderInvoker[]): string {
  if (invokers.length === 0) return '';
  const u = invokers[0]!.url;
  return u.getParameter('remote.application') || u.getParameter('application') || '';
}

/**
 * Java's ProviderAppStateRouter: conditions of `{providerApp}.condition-router`, the key known once providers are
 * (none when the provider application is the consumer's own).
 */
class ProviderAppConditionRouter extends ConditionRouter {
  private app = '';

  constructor(
    private readonly consumerApp: string,
    private readonly onRuleKey: (key: string) => void,
  ) {
    super('', CONDITION_PRIORITY.providerApp);
  }

  notify(invokers: readonly ProviderInvoker[]): void {
    const app = providerApplication(invokers);
    if (app === '' || app === this.consumerApp || app === this.app) return;
    this.app = app;
    this.ruleKey = `${app}.condition-router`;
    this.onRuleKey(this.ruleKey);
  }
}

/** A script router whose key follows the providers' application (`{providerApp}.script-router`). */
class ScriptProviderAppRouter extends ScriptRouter {
  private app = '';

  constructor(
    timeoutMs: number,
    private readonly onRuleKey: (key: string) => void,
  ) {
    super('', timeoutMs);
  }

  notify(invokers: readonly ProviderInvoker[]): void {
    const app = providerApplication(invokers);
    if (app === '' || app === this.app) return;
    this.app = app;
    this.ruleKey = `${app}.script-router`;
    this.onRuleKey(this.ruleKey);
  }
}

/** The governance routers of one reference and how to stop their watches. */
export interface GovernanceRouters {
  /** Tag (100), service conditions (140), provider-app conditions (145), consumer-app conditions (150). */
  readonly routers: readonly Router[];
  /** Stops watching the config center. */
  destroy(): void;
}

/**
 * The routers Java's consumer has by default, fed live from a config center (Java's keys in group `dubbo`), and
 * (with `onConfigurators`) the consumer's override rules `{app}.configurators` and
 * `{iface}:{version}:{group}.configurators`:
 * the tag router (`{providerApp}.tag-router`; static `dubbo.tag` filtering even without a config center), and the
 * condition routers of service scope (`{iface}:{version}:{group}.condition-router`), of the providers' application
 * and of the consumer's application (`{app}.condition-router`).
 */
export function governanceRouters(
  consumerUrl: DubboUrl,
  cc: DynamicConfiguration | null,
  onConfigurators?: (source: 'app' | 'service', urls: readonly DubboUrl[]) => void,
): GovernanceRouters {
  const stops = new Set<() => void>();
  const follow = (router: ListenableRule<unknown>, key: string): (() => void) => {
    if (cc === null || key === '') return () => {};
    const stop = cc.watch(key, (e) => router.apply(e.content, e.version));
    stops.add(stop);
    return () => {
      stops.delete(stop);
      stop();
    };
  };
  /** A router whose key follows the provider list: the old key's rule goes when the key changes. */
  const movable = () => {
    let stop = (): void => {};
    return (router: RuleRouter<unknown>) => (key: string) => {
      stop();
      if (router.current !== null) router.apply(null, 'moved');
      stop = follow(router, key);
    };
  };
  const moveTag = movable();
  const tag: TagRouter = new TagRouter(consumerUrl, { onRuleKey: (k) => moveTag(tag as RuleRouter<unknown>)(k) });
  if (cc === null) return { routers: [tag], destroy: () => {} };
  const service = new ConditionRouter(`${consumerUrl.colonSeparatedKey}.condition-router`, CONDITION_PRIORITY.service);
  follow(service as RuleRouter<unknown>, service.ruleKey);
  const app = consumerUrl.getParameter('application') ?? '';
  const moveProviderApp = movable();
  const providerApp: ProviderAppConditionRouter = new ProviderAppConditionRouter(app, (k) =>
    moveProviderApp(providerApp as RuleRouter<unknown>)(k),
  );
  const routers: Router[] = [tag, service, providerApp];
  const script = scriptRouterSettings();
  if (script !== null) {
    // Java's AppScriptStateRouter: {providerApp}.script-router, only once enableScriptRouter() was called.
    const moveScript = movable();
    const scriptRouter: ScriptRouter = new ScriptProviderAppRouter(script.timeoutMs, (k) =>
      moveScript(scriptRouter as RuleRouter<unknown>)(k),
    );
    routers.push(scriptRouter);
  }
  if (onConfigurators !== undefined) {
    // Java's RegistryDirectory: {consumerApp}.configurators, then {iface}:{version}:{group}.configurators.
    if (app !== '') {
      const appRule: ConfiguratorRule = new ConfiguratorRule(`${app}.configurators`, () =>
        onConfigurators('app', appRule.urls),
      );
      follow(appRule, appRule.ruleKey);
    }
    const serviceRule: ConfiguratorRule = new ConfiguratorRule(`${consumerUrl.colonSeparatedKey}.configurators`, () =>
      onConfigurators('service', serviceRule.urls),
    );
    follow(serviceRule, serviceRule.ruleKey);
  }
  if (app !== '') {
    const appRouter = new ConditionRouter(`${app}.condition-router`, CONDITION_PRIORITY.app);
    follow(appRouter as RuleRouter<unknown>, appRouter.ruleKey);
    routers.push(appRouter);
  }
  return {
    routers,
    destroy: () => {
      for (const s of [...stops]) s();
    },
  };
}
