import { ExtensionRegistry } from '../common/extensions.js';
import type { Cluster } from './cluster.js';
import type { LoadBalanceFactory } from './loadbalance/load-balance.js';
import { RandomLoadBalance } from './loadbalance/random.js';
import type { RouterFactory } from './router-chain.js';
import { failoverCluster } from './support/failover-cluster.js';

/**
 * The clusters by name, the reference's `cluster` (Java's names). Built in: `failover` (the default). Add one
 * with `clusters.register('name', cluster)`.
 */
export const clusters = new ExtensionRegistry<Cluster>('cluster', {
  failover: failoverCluster,
});

/**
 * The load balancers by name, the providers' or the reference's `loadbalance` (Java's names). Built in: `random`
 * (the default). Add one with `loadBalances.register('name', () => balancer)`.
 */
export const loadBalances = new ExtensionRegistry<LoadBalanceFactory>('load balance', {
  random: () => new RandomLoadBalance(),
});

/** Router factories by name, for rules and URLs that name a router (`router=`). None are built in yet. */
export const routers = new ExtensionRegistry<RouterFactory>('router');
