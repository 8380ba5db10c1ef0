import { getLogger, localIp } from '@dubbo-ts/gost';
import type { ExtensionRegistry } from '../../common/extensions.js';
import type { DubboUrl } from '../../common/url.js';
import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { RpcResult } from '../../rpc/result.js';
import type { ClusterOptions } from '../cluster.js';
import type { Directory } from '../directory.js';
import type { LoadBalance, LoadBalanceFactory } from '../loadbalance/load-balance.js';
import type { ProviderInvoker } from '../provider-invoker.js';

const warned = new Set<string>();

/**
 * What every cluster shares (Java's `AbstractClusterInvoker`): the directory's list (waiting for a first one when
 * it is empty), the balancer named by the first provider's `loadbalance` (default `random`), and Java's
 * selection: a lone provider is taken as is; a provider already tried in this call, or unavailable, is reselected
 * among the others. Subclasses say what happens per attempt; `value` selects the value path (no `RpcResult`).
 */
export abstract class AbstractClusterInvoker implements Invoker {
  private readonly balancers = new Map<string, LoadBalance>();
  private readonly loadBalances: ExtensionRegistry<LoadBalanceFactory>;
  private readonly waitMs: number;
  private stickyInvoker: ProviderInvoker | null = null;
  /** A balancer in use reads response times: providers are timed. */
  private timed = false;
  private lastBalancerName: string | null = null;
  private lastBalancer: LoadBalance | null = null;
  private destroyed = false;

  constructor(
    readonly directory: Directory,
    options: ClusterOptions,
  ) {
    this.loadBalances = options.loadBalances;
    this.waitMs = options.waitMs ?? 0;
  }

  get url(): DubboUrl {
    return this.directory.url;
  }

  isAvailable(): boolean {
    return !this.destroyed && this.directory.isAvailable();
  }

  invoke(inv: RpcInvocation): Promise<RpcResult> {
    return this.run(inv, false) as Promise<RpcResult>;
  }

  call(inv: RpcInvocation): Promise<unknown> {
    return this.run(inv, true);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await this.directory.destroy();
  }

  /** Calls with the providers of `list` (non-empty). */
  protected abstract doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown>;

  private run(inv: RpcInvocation, value: boolean): Promise<unknown> {
    if (this.destroyed) return Promise.reject(new DubboError('DUBBO_ERR_CLOSED', 'the reference is destroyed'));
    const list = this.directory.list(inv);
    if (list.length > 0) return this.doInvoke(inv, list, value);
    return this.runAfterWait(inv, value);
  }

  private async runAfterWait(inv: RpcInvocation, value: boolean): Promise<unknown> {
    const d = this.directory;
    if (this.waitMs > 0 && d.waitForProviders !== undefined && d.providers.length === 0) {
      await d.waitForProviders(this.waitMs);
    }
    const list = this.list(inv);
    return this.doInvoke(inv, list, value);
  }

  /**
   * The directory's list for `inv` (again before a retry, as Java does).
   * @throws DubboError `DUBBO_ERR_NO_PROVIDER` when it is empty, `DUBBO_ERR_CLOSED` after destroy.
   */
  protected list(inv: RpcInvocation): readonly ProviderInvoker[] {
    if (this.destroyed) throw new DubboError('DUBBO_ERR_CLOSED', 'the reference is destroyed');
    const list = this.directory.list(inv);
    if (list.length === 0) {
      const all = this.directory.providers.length;
      throw new DubboError(
        'DUBBO_ERR_NO_PROVIDER',
        `No provider available for the service ${this.url.serviceKey ?? this.url.path} method ${inv.methodName} on the consumer ${localIp()}` +
          (all > 0 ? ` (${all} provider(s), none left after routing)` : '') +
          (this.waitMs > 0 ? `, waited ${this.waitMs} ms` : ''),
      );
    }
    return list;
  }

  /** One attempt on `invoker`. */
  protected attempt(invoker: ProviderInvoker, inv: RpcInvocation, value: boolean): Promise<unknown> {
    if (this.timed) invoker.stats.timed = true;
    return value ? invoker.call(inv) : invoker.invoke(inv);
  }

  /** The balancer named by the first provider's `loadbalance` for this method (unknown names: random, warned once). */
  protected loadBalance(list: readonly ProviderInvoker[], inv: RpcInvocation): LoadBalance {
    const name = list[0]!.settings(settingsNameOf(inv)).loadbalance;
    if (name === this.lastBalancerName) return this.lastBalancer!;
    let lb = this.balancers.get(name);
    if (lb === undefined) {
      const factory = this.loadBalances.find(name);
      if (factory === undefined) {
        if (!warned.has(name)) {
          warned.add(name);
          getLogger().warn(`dubbo: no load balance named '${name}' (from ${list[0]!.url.address}); using random`);
        }
        lb = this.loadBalances.get('random')();
      } else {
        lb = factory();
      }
      if (lb.readsElapsed === true) this.timed = true;
      this.balancers.set(name, lb);
    }
    this.lastBalancerName = name;
    this.lastBalancer = lb;
    return lb;
  }

  /**
   * Java's `select`: a lone provider as is; with `sticky=true` the previous call's provider while it is listed,
   * available and untried; else the balancer's choice, reselected when it was already tried in
   * this call (`invoked`) or is unavailable: first among the untried available ones, then among the tried
   * available ones, else the provider after the first choice.
   */
  protected select(
    inv: RpcInvocation,
    list: readonly ProviderInvoker[],
    invoked: readonly ProviderInvoker[] | null,
  ): ProviderInvoker {
    if (list.length === 1) return list[0]!;
    // `sticky`: the provider of the previous call again while it is listed, available and not tried in this call.
    if (list[0]!.settings(settingsNameOf(inv)).sticky) {
      const s = this.stickyInvoker;
      if (s !== null && list.includes(s) && (invoked === null || !invoked.includes(s)) && s.isAvailable()) return s;
      const chosen = this.selectOne(inv, list, invoked);
      this.stickyInvoker = chosen;
      return chosen;
    }
    return this.selectOne(inv, list, invoked);
  }

  private selectOne(
    inv: RpcInvocation,
    list: readonly ProviderInvoker[],
    invoked: readonly ProviderInvoker[] | null,
  ): ProviderInvoker {
    const lb = this.loadBalance(list, inv);
    const chosen = lb.select(list, this.url, inv);
    if ((invoked === null || !invoked.includes(chosen)) && chosen.isAvailable()) return chosen;
    const fresh: ProviderInvoker[] = [];
    for (const i of list) if ((invoked === null || !invoked.includes(i)) && i.isAvailable()) fresh.push(i);
    if (fresh.length > 0) return fresh.length === 1 ? fresh[0]! : lb.select(fresh, this.url, inv);
    if (invoked !== null) {
      const tried = invoked.filter((i) => list.includes(i) && i.isAvailable());
      if (tried.length > 0) return tried.length === 1 ? tried[0]! : lb.select(tried, this.url, inv);
    }
    // Nothing available (connections still opening, or all down): the provider after the first choice, as Java.
    return list[(list.indexOf(chosen) + 1) % list.length]!;
  }
}
