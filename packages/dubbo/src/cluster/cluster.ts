import type { ExtensionRegistry } from '../common/extensions.js';
import type { Invoker } from '../rpc/invoker.js';
import type { Directory } from './directory.js';
import type { LoadBalanceFactory } from './loadbalance/load-balance.js';

/** What a cluster is given besides its directory. */
export interface ClusterOptions {
  /** Where balancers are looked up by name (the providers' `loadbalance`). */
  readonly loadBalances: ExtensionRegistry<LoadBalanceFactory>;
  /** How long a call waits for a first provider list before failing with `DUBBO_ERR_NO_PROVIDER`. @defaultValue 0 */
  readonly waitMs?: number;
}

/**
 * How a reference's calls use its several providers (Java's `Cluster`): `failover` (the default) retries an RPC
 * failure on another provider. `join` makes the one invoker the reference's proxy calls.
 */
export interface Cluster {
  /** The invoker of a reference over `directory`. */
  join(directory: Directory, options: ClusterOptions): Invoker;
}
