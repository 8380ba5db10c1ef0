import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import type { Cluster } from '../cluster.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { FailoverClusterInvoker } from './failover-cluster.js';

/**
 * Java's `zone-aware` over the providers of several registries: those of a `preferred=true` registry first (when
 * one is available); else those whose registry `zone` equals the call's `registry_zone` attachment (only those
 * when `registry_zone_force` is `true`); else all. Then failover and the balancer among them. A provider carries
 * its registry's `registry.zone` / `registry.preferred` (set by the registry directory from the registry URL).
 */
export class ZoneAwareClusterInvoker extends FailoverClusterInvoker {
  protected override doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const preferred = list.filter((p) => p.url.getParameter('registry.preferred') === 'true' && p.isAvailable());
    if (preferred.length > 0) return super.doInvoke(inv, preferred, value);
    const zone = inv.getAttachmentString('registry_zone');
    if (zone !== undefined && zone !== '') {
      const inZone = list.filter((p) => p.url.getParameter('registry.zone') === zone);
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
