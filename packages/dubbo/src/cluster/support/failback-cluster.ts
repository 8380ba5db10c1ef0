import { getLogger } from '@dubbo-ts/gost';
import type { RpcInvocation } from '../../rpc/invocation.js';
import type { Invoker } from '../../rpc/invoker.js';
import type { Cluster, ClusterOptions } from '../cluster.js';
import type { Directory } from '../directory.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import { AbstractClusterInvoker } from './abstract-cluster-invoker.js';
import { emptyResult, intParam, isServiceException } from './simple-clusters.js';

/** Timers the failback queue runs on (tests inject their own). */
export interface FailbackTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Options of {@link failbackClusterWith}. */
export interface FailbackOptions {
  /** Delay between retries, ms (Java's `RETRY_FAILED_PERIOD`). @defaultValue 5000 */
  periodMs?: number;
  /** The timers. @defaultValue `setTimeout` (unref'd) / `clearTimeout` */
  timers?: FailbackTimers;
}

const nodeTimers: FailbackTimers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Task {
  readonly inv: RpcInvocation;
  tries: number;
  last: ProviderInvoker;
  handle: unknown;
}

/**
 * Java's `failback`: a call that fails with an RPC failure resolves empty (`null`) at once and is retried in the
 * background every 5 s, up to `retries` times (default 3 here, as Java's failback), each on another provider when
 * there is one. At most `failbacktasks` (default 100) calls wait to be retried; beyond that a failure is only
 * logged. Service exceptions are answers: returned as they are, never retried.
 */
export class FailbackClusterInvoker extends AbstractClusterInvoker {
  private readonly tasks = new Set<Task>();
  private readonly periodMs: number;
  private readonly timers: FailbackTimers;

  constructor(directory: Directory, options: ClusterOptions, failback: FailbackOptions = {}) {
    super(directory, options);
    this.periodMs = failback.periodMs ?? 5000;
    this.timers = failback.timers ?? nodeTimers;
  }

  /** Calls waiting to be retried. */
  get pendingRetries(): number {
    return this.tasks.size;
  }

  protected doInvoke(inv: RpcInvocation, list: readonly ProviderInvoker[], value: boolean): Promise<unknown> {
    const first = this.select(inv, list, null);
    return this.attempt(first, inv, value).catch((err: unknown) => {
      if (isServiceException(err)) throw err;
      const max = intParam(list[0]!, inv, 'failbacktasks', 100);
      if (this.tasks.size >= max) {
        getLogger().warn(`dubbo: failback queue full (${max}): ${inv.methodName} dropped: ${(err as Error).message}`);
      } else {
        getLogger().warn(
          `dubbo: failback: ${inv.methodName} failed, retrying in the background: ${(err as Error).message}`,
        );
        const task: Task = { inv, tries: 0, last: first, handle: undefined };
        this.tasks.add(task);
        this.schedule(task, intParam(list[0]!, inv, 'retries', 3));
      }
      return emptyResult(value);
    });
  }

  private schedule(task: Task, retries: number): void {
    task.handle = this.timers.set(() => void this.retry(task, retries), this.periodMs);
  }

  private async retry(task: Task, retries: number): Promise<void> {
    if (!this.tasks.has(task)) return;
    task.tries++;
    try {
      const list = this.list(task.inv);
      const p = this.select(task.inv, list, [task.last]);
      task.last = p;
      await this.attempt(p, task.inv, false);
      this.tasks.delete(task);
    } catch (err) {
      if (task.tries >= retries || isServiceException(err)) {
        this.tasks.delete(task);
        getLogger().warn(`dubbo: failback gave up ${task.inv.methodName} after ${task.tries} retries`);
        return;
      }
      this.schedule(task, retries);
    }
  }

  override async destroy(): Promise<void> {
    for (const t of this.tasks) this.timers.clear(t.handle);
    this.tasks.clear();
    await super.destroy();
  }
}

/** A failback cluster with its own period and timers (tests; the registered `failback` uses Java's 5 s). */
export function failbackClusterWith(options: FailbackOptions): Cluster {
  return { join: (d, o): Invoker => new FailbackClusterInvoker(d, o, options) };
}

/** Java's `failback`. */
export const failbackCluster: Cluster = failbackClusterWith({});
