import type { DubboUrl } from '../common/url.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import type { ProviderInvoker } from './provider-invoker.js';

/**
 * Narrows the providers a call may go to (Java's `Router` / `StateRouter`): condition, tag and script routers
 * plug in here. Called per call with the directory's list; return the same array when nothing is removed.
 */
export interface Router {
  /** A name for logs. */
  readonly name: string;
  /** Routers run in ascending priority (Java's order). @defaultValue 0 */
  readonly priority?: number;
  /** The providers of `invokers` that `inv` may go to. `url` is the consumer URL. */
  route(invokers: readonly ProviderInvoker[], url: DubboUrl, inv: RpcInvocation): readonly ProviderInvoker[];
  /** The directory's provider list changed (a router may rebuild what it caches per list). */
  notify?(invokers: readonly ProviderInvoker[]): void;
  /** The reference is destroyed. */
  destroy?(): void;
}

/** Makes a router for a consumer URL. */
export type RouterFactory = (url: DubboUrl) => Router;

/**
 * The routers of one reference, applied between the directory's list and the load balancer. An empty chain
 * hands the list through untouched: routing costs nothing until a router is added.
 */
export class RouterChain {
  private list: readonly Router[] = [];
  private invokers: readonly ProviderInvoker[] = [];

  /** @param routers - The routers, sorted by priority here. @defaultValue none */
  constructor(routers: readonly Router[] = []) {
    this.setRouters(routers);
  }

  /** The routers, in the order they run. */
  get routers(): readonly Router[] {
    return this.list;
  }

  /** Replaces the routers (a rule changed); they are told the current list. */
  setRouters(routers: readonly Router[]): void {
    const old = this.list;
    this.list = [...routers].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
    for (const r of old) if (!this.list.includes(r)) r.destroy?.();
    for (const r of this.list) r.notify?.(this.invokers);
  }

  /** Adds a router. */
  addRouter(router: Router): void {
    this.setRouters([...this.list, router]);
  }

  /** The providers `inv` may go to. */
  route(invokers: readonly ProviderInvoker[], url: DubboUrl, inv: RpcInvocation): readonly ProviderInvoker[] {
    const rs = this.list;
    if (rs.length === 0) return invokers;
    let out = invokers;
    for (let i = 0; i < rs.length && out.length > 0; i++) out = rs[i]!.route(out, url, inv);
    return out;
  }

  /** The directory's list changed. */
  notify(invokers: readonly ProviderInvoker[]): void {
    this.invokers = invokers;
    for (const r of this.list) r.notify?.(invokers);
  }

  /** Destroys every router. */
  destroy(): void {
    for (const r of this.list) r.destroy?.();
    this.list = [];
  }
}
