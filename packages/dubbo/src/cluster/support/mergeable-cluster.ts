import { getLogger } from '@dubbo-ts/gost';
import { DubboError } from '../../errors.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import { RpcResult } from '../../rpc/result.js';
import type { Cluster } from '../cluster.js';
import { mergerFor, mergers } from '../merger.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { FailoverClusterInvoker } from './failover-cluster.js';

/**
 * Java's `mergeable`, chosen for references whose group is `*` or a list (`a,b`): the providers are grouped by
 * their `group`. Without `merger` one group answers: the group of the first available provider, through failover
 * inside that group (Java calls the group's own cluster). With `merger` every group is called (one provider each,
 * by the balancer; a refused connection is retried inside the group, `retries`, as Java's asynchronous per-group
 * failover does) and the answers merged: `merger=true` by the return type, `merger=<name>` by a registered merger,
 * `merger=.method` by calling `first.method(other)` for each other answer. As Java 3.3's
 * `MergeableClusterInvoker`: a group whose provider throws (a service exception) is logged and left out; an RPC
 * failure of any group (timeout, connection refused) fails the whole call with that group's error; no answer left
 * (every group threw) is `null`.
 */
export class MergeableClusterInvoker extends FailoverClusterInvoker {
  /** Per call without merger in progress: the group its retries keep to. */
  private readonly scopes = new WeakMap<RpcInvocation, string>();

  protected override async doInvoke(
    inv: RpcInvocation,
    list: readonly ProviderInvoker[],
    value: boolean,
  ): Promise<unknown> {
    const merger = list[0]!.url.getMethodParameter(settingsNameOf(inv), 'merger') ?? this.url.getParameter('merger');
    if (merger === undefined || merger === '' || merger === 'false') {
      const group = (list.find((i) => i.isAvailable()) ?? list[0]!).url.group ?? '';
      this.scopes.set(inv, group);
      return super.doInvoke(
        inv,
        list.filter((p) => (p.url.group ?? '') === group),
        value,
      );
    }
    const groups = new Map<string, ProviderInvoker[]>();
    for (const p of list) {
      const g = p.url.group ?? '';
      let l = groups.get(g);
      if (l === undefined) groups.set(g, (l = []));
      l.push(p);
    }
    const answers = await Promise.all(
      [...groups].map(async ([group, members]) => {
        // An RPC failure (a DubboError) rejects: the whole call fails with it, as Java's does.
        const r = await this.callGroup(inv, members);
        if (r.exception === null) return { ok: true as const, value: r.value };
        getLogger().error(`dubbo: mergeable: group '${group}' failed ${inv.methodName}: ${r.exception.message}`);
        return { ok: false as const };
      }),
    );
    const values = answers.filter((a) => a.ok).map((a) => (a as { value: unknown }).value);
    const merged = values.length === 0 ? null : merge(merger, values, inv);
    return value ? merged : new RpcResult(merged);
  }

  /**
   * One group's call. Java makes it through a failover cluster of the group's providers, asynchronously, so only a
   * failure at send (a refused connection) is retried there, `retries` times, on another provider of the group when
   * there is one; a timeout or a provider's error answer is not.
   */
  private async callGroup(inv: RpcInvocation, members: readonly ProviderInvoker[]): Promise<RpcResult> {
    let p = this.select(inv, members, null);
    const invoked = [p];
    const retries = members[0]!.settings(settingsNameOf(inv)).retries;
    for (let i = 0; ; i++) {
      try {
        return (await this.attempt(p, inv, false)) as RpcResult;
      } catch (err) {
        if (i >= retries || !(err instanceof DubboError) || err.code !== 'DUBBO_ERR_CONNECT') throw err;
        p = this.select(inv, members, invoked);
        invoked.push(p);
      }
    }
  }

  /** The list a retry without merger reads again: only the providers of the group the call started in. */
  protected override list(inv: RpcInvocation): readonly ProviderInvoker[] {
    const all = super.list(inv);
    const group = this.scopes.get(inv);
    if (group === undefined) return all;
    const mine = all.filter((p) => (p.url.group ?? '') === group);
    if (mine.length === 0) {
      throw new DubboError('DUBBO_ERR_NO_PROVIDER', `no provider left in group '${group}' for ${inv.methodName}`);
    }
    return mine;
  }
}

function merge(merger: string, values: unknown[], inv: RpcInvocation): unknown {
  if (merger.startsWith('.')) {
    const name = merger.slice(1);
    let result = values[0] as Record<string, unknown>;
    for (const v of values.slice(1)) {
      const fn = result?.[name];
      if (typeof fn !== 'function') {
        throw new DubboError('DUBBO_ERR_INVALID_ARG', `merger ${merger}: the result has no method ${name}`);
      }
      const r = (fn as (o: unknown) => unknown).call(result, v);
      if (r !== undefined) result = r as Record<string, unknown>;
    }
    return result;
  }
  const m =
    merger === 'true' || merger === 'default' ? mergerFor(inv.method?.returnType, values[0]) : mergers.get(merger);
  if (m === undefined) {
    throw new DubboError('DUBBO_ERR_UNKNOWN_EXTENSION', `no merger for the return type of ${inv.methodName}`);
  }
  return m(values);
}

/** Java's `mergeable`. */
export const mergeableCluster: Cluster = {
  join: (d, o): Invoker => new MergeableClusterInvoker(d, o),
};
