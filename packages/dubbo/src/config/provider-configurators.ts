import { getLogger } from '@dubbo-ts/gost';
import { ConfiguratorRule, configureAll } from '../cluster/configurator/configurator.js';
import type { DubboUrl } from '../common/url.js';
import { configCenterUrlOf, createDynamicConfiguration } from '../config-center/config-centers.js';
import type { DynamicConfiguration } from '../config-center/dynamic-configuration.js';
import type { Registry } from '../registry/registry.js';

/** One registered provider URL with the override rules that apply to it. */
interface Exported {
  readonly original: DubboUrl;
  current: DubboUrl;
  readonly service: ConfiguratorRule;
  /** Writes in order: one re-registration at a time. */
  queue: Promise<void>;
}

/**
 * A provider's override rules (Java's RegistryProtocol provider/service configuration listeners): the
 * application's `{app}.configurators`, then each service's `{iface}:{version}:{group}.configurators`, with
 * `side: provider`, laid over the provider URL; a URL they change is registered again (the new one first, then the
 * old one removed, so consumers never see the provider gone), hence what consumers see (`timeout`, `weight`...).
 */
export class ProviderConfigurators {
  private readonly exported: Exported[] = [];
  private readonly stops: (() => void)[] = [];
  private readonly app: ConfiguratorRule;
  private closed = false;

  /**
   * @param cc - The config center.
   * @param registries - Where the URLs are registered.
   * @param urls - The provider URLs as first registered.
   * @param application - The provider's application.
   * @param owned - Whether {@link close} closes `cc`.
   * @param onChange - Told each URL the rules change (and each revert), before it is registered again: the
   *   provider's own settings that are not only published (its flow-control limits) follow it. @defaultValue none
   */
  constructor(
    private readonly cc: DynamicConfiguration,
    private readonly registries: readonly Registry[],
    urls: readonly DubboUrl[],
    application: string,
    private readonly owned: boolean,
    private readonly onChange?: (url: DubboUrl) => void,
  ) {
    this.app = new ConfiguratorRule(`${application}.configurators`, () => this.reconfigureAll());
    for (const url of urls) {
      const e: Exported = {
        original: url,
        current: url,
        service: new ConfiguratorRule(`${url.colonSeparatedKey}.configurators`, () => this.reconfigure(e)),
        queue: Promise.resolve(),
      };
      this.exported.push(e);
    }
    if (application !== '') this.stops.push(cc.watch(this.app.ruleKey, (ev) => this.app.apply(ev.content, ev.version)));
    for (const e of this.exported) {
      this.stops.push(cc.watch(e.service.ruleKey, (ev) => e.service.apply(ev.content, ev.version)));
    }
  }

  /** The provider URLs as registered now. */
  get urls(): DubboUrl[] {
    return this.exported.map((e) => e.current);
  }

  private reconfigureAll(): void {
    for (const e of this.exported) this.reconfigure(e);
  }

  private reconfigure(e: Exported): void {
    if (this.closed) return;
    const next = configureAll(e.service.urls, configureAll(this.app.urls, e.original, e.original.host ?? ''), '');
    if (next.toFullString() === e.current.toFullString()) return;
    const old = e.current;
    e.current = next;
    this.onChange?.(next);
    e.queue = e.queue.then(async () => {
      if (this.closed) return;
      getLogger().info(
        `dubbo: provider URL of ${next.serviceKey} re-registered by override rules: ${next.toFullString()}`,
      );
      // A failed write is retried by the registry in the background.
      await Promise.allSettled(this.registries.map((r) => r.register(next)));
      await Promise.allSettled(this.registries.map((r) => r.unregister(old)));
    });
  }

  /** Stops watching; closes the config center when it was made for these URLs. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.stops) s();
    await Promise.allSettled(this.exported.map((e) => e.queue));
    if (this.owned) await this.cc.close();
  }
}

/**
 * The provider-side override rules of registered URLs: from `configCenter`, else (as Java) the first registry's
 * server. `null` when there is none or it is `false`.
 */
export function providerConfigurators(
  configCenter: DynamicConfiguration | string | false | undefined,
  registries: readonly Registry[],
  urls: readonly DubboUrl[],
  application: string,
  onChange?: (url: DubboUrl) => void,
): ProviderConfigurators | null {
  if (configCenter === false || urls.length === 0) return null;
  if (configCenter !== undefined && typeof configCenter !== 'string') {
    return new ProviderConfigurators(configCenter, registries, urls, application, false, onChange);
  }
  const url =
    typeof configCenter === 'string'
      ? configCenter
      : registries[0] && configCenterUrlOf(registries[0].url)?.toFullString();
  if (url === undefined) return null;
  return new ProviderConfigurators(createDynamicConfiguration(url), registries, urls, application, true, onChange);
}
