import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import type { Cluster } from '../cluster.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { FailoverClusterInvoker } from './failover-cluster.js';

/**
 * Java's `zone-aware` over the providers of several registries: the available ones of a `preferred=true` registry
 * first; else the available ones whose registry `zone` equals the call's `registry_zone` attachment (when there is
 * none and `registry_zone_force` is `true`, the call fails); else all. Then failover and the balancer among them.
 * A provider carries its registry's `registry.zone` / `registry.preferred` (set by the registry directory from the
 * registry URL). Java picks a registry (a cluster of its providers) the same way and fails over inside it; ours
 * fails over inside the chosen providers, so a retry stays in the preferred registry or the zone too.
 */
export class ZoneAwareClusterInvoker extends FailoverClusterInvoker {
  protected override doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const preferred = list.filter((p) => p.url.getParameter('registry.preferred') === 'true' && p.isAvailable());
    if (preferred.length > 0) return super.doInvoke(inv, preferred, value);
    const zone = inv.getAttachmentString('registry_zone');
    if (zone !== undefined && zone !== '') {
      const inZone = list.filter((p) => p.url.getParameter('registry.zone') === zone && p.isAvailable());
      if (inZone.length > 0) return super.doInvoke(inv, inZone, value);
      if (inv.getAttachmentString('registry_zone_force') === 'true') {
        return Promise.reject(
          new DubboError(
            'DUBBO_ERR_NO_PROVIDER',
            `no provider in zone ${zone} for ${inv.methodName} (registry_zone_force)`,
          ),
        );
      }
    }
    return super.doInvoke(inv, list, value);
  }
}

/** Java's `zone-aware`. */
export const zoneAwareCluster: Cluster = {
  join: (d, o): Invoker => new ZoneAwareClusterInvoker(d, o),
};
