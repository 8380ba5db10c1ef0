import { ExtensionRegistry } from '../common/extensions.js';
import type { Cluster } from './cluster.js';
import { ConsistentHashLoadBalance } from './loadbalance/consistent-hash.js';
import { LeastActiveLoadBalance } from './loadbalance/least-active.js';
import type { LoadBalanceFactory } from './loadbalance/load-balance.js';
import { AdaptiveLoadBalance, P2cLoadBalance } from './loadbalance/p2c.js';
import { RandomLoadBalance } from './loadbalance/random.js';
import { RoundRobinLoadBalance } from './loadbalance/round-robin.js';
import { ShortestResponseLoadBalance } from './loadbalance/shortest-response.js';
import { conditionRouterOfUrl } from './router/condition/condition-router.js';
import type { RouterFactory } from './router-chain.js';
import { failbackCluster } from './support/failback-cluster.js';
import { failoverCluster } from './support/failover-cluster.js';
import { mergeableCluster } from './support/mergeable-cluster.js';
import {
  availableCluster,
  broadcastCluster,
  failfastCluster,
  failsafeCluster,
  forkingCluster,
} from './support/simple-clusters.js';
import { zoneAwareCluster } from './support/zone-aware-cluster.js';

/**
 * The clusters by name, the reference's `cluster` (Java's names). Built in: `failover` (the default), `failfast`,
 * `failsafe`, `failback`, `forking`, `broadcast`, `available`, `mergeable` (chosen by itself for a group `*` or a
 * list), `zone-aware` (also `zoneAware`, dubbo-go's spelling). Add one with `clusters.register('name', cluster)`.
 */
export const clusters = new ExtensionRegistry<Cluster>('cluster', {
  failover: failoverCluster,
  failfast: failfastCluster,
  failsafe: failsafeCluster,
  failback: failbackCluster,
  forking: forkingCluster,
  broadcast: broadcastCluster,
  available: availableCluster,
  mergeable: mergeableCluster,
  'zone-aware': zoneAwareCluster,
  zoneAware: zoneAwareCluster,
});

/**
 * The load balancers by name, the providers' or the reference's `loadbalance` (Java's names, and dubbo-go's
 * `p2c` and `consistenthashing`). Built in: `random` (the default), `roundrobin`, `leastactive`,
 * `shortestresponse`, `consistenthash`, `p2c`, `adaptive`. Add one with `loadBalances.register('name', () => lb)`.
 */
export const loadBalances = new ExtensionRegistry<LoadBalanceFactory>('load balance', {
  random: () => new RandomLoadBalance(),
  roundrobin: () => new RoundRobinLoadBalance(),
  leastactive: () => new LeastActiveLoadBalance(),
  shortestresponse: () => new ShortestResponseLoadBalance(),
  consistenthash: () => new ConsistentHashLoadBalance(),
  consistenthashing: () => new ConsistentHashLoadBalance(),
  p2c: () => new P2cLoadBalance(),
  adaptive: () => new AdaptiveLoadBalance(),
});

/**
 * Router factories by name, for the router URLs found in a registry's `routers` category (the `router` parameter,
 * else the scheme): `condition` built in (Dubbo 2.x `condition://` URLs). Add one with
 * `routers.register('name', (url) => router)`.
 */
export const routers = new ExtensionRegistry<RouterFactory>('router', { condition: conditionRouterOfUrl });
