import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import type { Cluster } from '../cluster.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { FailoverClusterInvoker } from './failover-cluster.js';

type Scope = (p: ProviderInvoker) => boolean;

const isPreferred: Scope = (p) => p.url.getParameter('registry.preferred') === 'true';

/**
 * Java's `zone-aware` over the providers of several registries: the available ones of a `preferred=true` registry
 * first; else the available ones whose registry `zone` equals the call's `registry_zone` attachment (when there is
 * none and `registry_zone_force` is `true`, the call fails); else all. Then failover and the balancer among them.
 * A provider carries its registry's `registry.zone` / `registry.preferred` (set by the registry directory from the
 * registry URL). Java picks a registry (a cluster of its providers) the same way and fails over inside it; so do
 * we: a retry stays among the providers of the preferred registry or of the zone chosen first.
 */
export class ZoneAwareClusterInvoker extends FailoverClusterInvoker {
  /** Per call in progress: the providers its retries keep to (the registry or zone chosen first). */
  private readonly scopes = new WeakMap<RpcInvocation, Scope>();

  protected override doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const preferred = list.filter((p) => isPreferred(p) && p.isAvailable());
    if (preferred.length > 0) return this.within(inv, isPreferred, preferred, value);
    const zone = inv.getAttachmentString('registry_zone');
    if (zone !== undefined && zone !== '') {
      const sameZone: Scope = (p) => p.url.getParameter('registry.zone') === zone;
      const inZone = list.filter((p) => sameZone(p) && p.isAvailable());
      if (inZone.length > 0) return this.within(inv, sameZone, inZone, value);
      if (inv.getAttachmentString('registry_zone_force') === 'true') {
        return Promise.reject(
          new DubboError(
            'DUBBO_ERR_NO_PROVIDER',
            `no provider in zone ${zone} for ${inv.methodName} (registry_zone_force)`,
          ),
        );
      }
    }
    this.scopes.delete(inv);
    return super.doInvoke(inv, list, value);
  }

  private within(inv: RpcInvocation, scope: Scope, list: ProviderInvoker[], value: boolean): Promise<unknown> {
    this.scopes.set(inv, scope);
    return super.doInvoke(inv, list, value);
  }

  /** The list a retry reads again: only the providers of the registry or zone the call started in. */
  protected override list(inv: RpcInvocation): readonly ProviderInvoker[] {
    const all = super.list(inv);
    const scope = this.scopes.get(inv);
    if (scope === undefined) return all;
    const mine = all.filter(scope);
    if (mine.length === 0) {
      throw new DubboError('DUBBO_ERR_NO_PROVIDER', `no provider left in the chosen registry for ${inv.methodName}`);
    }
    return mine;
  }
}

/** Java's `zone-aware`. */
export const zoneAwareCluster: Cluster = {
  join: (d, o): Invoker => new ZoneAwareClusterInvoker(d, o),
};
