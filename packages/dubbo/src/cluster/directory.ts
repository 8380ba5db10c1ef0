import type { DubboUrl } from '../common/url.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import type { ProviderInvoker } from './provider-invoker.js';
import { RouterChain } from './router-chain.js';

/**
 * The providers of one reference (Java's `Directory`): a fixed list for direct URLs ({@link StaticDirectory}),
 * or the registries' live list (`RegistryDirectory`). {@link Directory.list} is what a call may choose from, after
 * the router chain.
 */
export interface Directory {
  /** The consumer URL of the reference (interface, group, version and the reference's settings). */
  readonly url: DubboUrl;
  /** The routers applied by {@link list}. */
  readonly routerChain: RouterChain;
  /** Every provider, before routing. */
  readonly providers: readonly ProviderInvoker[];
  /** The providers `inv` may go to: {@link providers} through the router chain. */
  list(inv: RpcInvocation): readonly ProviderInvoker[];
  /** Whether some provider is available. */
  isAvailable(): boolean;
  /** Resolves when there is a provider, or after `waitMs` (directories whose list comes later). */
  waitForProviders?(waitMs: number): Promise<void>;
  /** Destroys every provider invoker (their connections are released). */
  destroy(): Promise<void>;
}

/** What every directory shares: the current list and the router chain in front of it. */
export abstract class AbstractDirectory implements Directory {
  protected invokers: readonly ProviderInvoker[] = [];
  protected destroyed = false;

  constructor(
    readonly url: DubboUrl,
    readonly routerChain: RouterChain = new RouterChain(),
  ) {}

  get providers(): readonly ProviderInvoker[] {
    return this.invokers;
  }

  /** Number of providers (before routing). */
  get size(): number {
    return this.invokers.length;
  }

  list(inv: RpcInvocation): readonly ProviderInvoker[] {
    return this.routerChain.route(this.invokers, this.url, inv);
  }

  isAvailable(): boolean {
    if (this.destroyed) return false;
    for (const i of this.invokers) if (i.isAvailable()) return true;
    return false;
  }

  /** Replaces the list and tells the routers. */
  protected setInvokers(invokers: readonly ProviderInvoker[]): void {
    this.invokers = invokers;
    this.routerChain.notify(invokers);
  }

  abstract destroy(): Promise<void>;
}

/**
 * A fixed list of providers: a direct reference's URL, or Java's several URLs in one reference
 * (`dubbo://a:20880;dubbo://b:20880`).
 */
export class StaticDirectory extends AbstractDirectory {
  constructor(url: DubboUrl, invokers: readonly ProviderInvoker[], routerChain?: RouterChain) {
    super(url, routerChain);
    this.setInvokers(invokers);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const all = this.invokers;
    this.setInvokers([]);
    this.routerChain.destroy();
    await Promise.all(all.map((i) => i.destroy()));
  }
}
