import { getLogger } from '@dubbo-ts/gost';
import type { InvokerStats, ProviderGuard, ProviderInvoker } from '../cluster/provider-invoker.js';
import type { Router } from '../cluster/router-chain.js';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { Filter, Invoke } from '../filter/filter.js';
import { DubboStatusError, ResponseStatus } from '../protocol/dubbo/status.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { settingsNameOf } from '../rpc/method-name.js';
import type { RpcResult } from '../rpc/result.js';
import { LimitExceededError, type Rejection, toJavaExecutesMessage } from './limit-error.js';
import { type RejectedExecutionHandler, rejectedExecutionHandlers } from './rejected-handler.js';

/** The concurrency keys, Java's and dubbo-go's spelling. */
export const CONCURRENCY_KEYS = {
  /** Java's provider limit: executions at once per method (`<method>.executes` for one method); <= 0: none. */
  EXECUTES: 'executes',
  /** dubbo-go's spelling of the same (`execute.limit`); < 0: none. */
  EXECUTE_LIMIT: 'execute.limit',
  /** dubbo-go's rejected-execution handler of `execute.limit`. @defaultValue `failfast` */
  EXECUTE_REJECTED_HANDLER: 'execute.limit.rejected.handler',
  /** Java's consumer limit: calls in flight per provider and method; waits up to the call's timeout for a slot. */
  ACTIVES: 'actives',
} as const;

const EXECUTES_KEYS = [CONCURRENCY_KEYS.EXECUTES, CONCURRENCY_KEYS.EXECUTE_LIMIT];

/** Whether `parameters` set `key` (one of `keys`) at any level (`k` or `<method>.k`). */
function hasKey(parameters: Readonly<Record<string, string>>, keys: readonly string[]): boolean {
  for (const n of Object.keys(parameters)) {
    for (const k of keys) if (n === k || n.endsWith(`.${k}`)) return true;
  }
  return false;
}

/** Checks the integer keys among `keys` in `parameters`. */
function validateInts(parameters: Readonly<Record<string, string>>, keys: readonly string[], where: string): void {
  for (const [n, v] of Object.entries(parameters)) {
    for (const k of keys) {
      if ((n === k || n.endsWith(`.${k}`)) && !/^-?\d+$/.test(String(v).trim())) {
        throw new DubboError('DUBBO_ERR_INVALID_ARG', `${where}.${n}: an integer is expected, got '${v}'`);
      }
    }
  }
}

/** Whether `parameters` set `executes` or `execute.limit` (the provider's concurrency limit). */
export function hasExecutesLimit(parameters: Readonly<Record<string, string>>): boolean {
  return hasKey(parameters, EXECUTES_KEYS);
}

/** Whether `parameters` set `actives` (the consumer's per-provider concurrency limit). */
export function hasActivesLimit(parameters: Readonly<Record<string, string>>): boolean {
  return hasKey(parameters, [CONCURRENCY_KEYS.ACTIVES]);
}

/** The limit of `method`: method level first, then the service's; `0` for none. */
function maxOf(url: DubboUrl, method: string): number {
  for (const own of [true, false]) {
    const j = own ? url.getMethodParameterStrict(method, CONCURRENCY_KEYS.EXECUTES) : url.getParameter('executes');
    const g = own
      ? url.getMethodParameterStrict(method, CONCURRENCY_KEYS.EXECUTE_LIMIT)
      : url.getParameter(CONCURRENCY_KEYS.EXECUTE_LIMIT);
    if (g) return Math.max(0, Number(g));
    if (j) return Math.max(0, Number(j));
  }
  return 0;
}

/** Most methods counted apart (provider side: names come off the wire). */
const MAX_METHODS = 1024;
const OVERFLOW = '\u0000';

interface Slots {
  active: number;
  max: number;
}

/**
 * Java's `ExecuteLimitFilter` (and dubbo-go's `execute.limit`) on a provider: at most `executes` calls of a
 * method run at once (the method's own limit, else the service's, counted per method as Java does); a call past
 * it is refused at once. The default refusal answers as Java does: status 70 (SERVICE_ERROR) with
 * `org.apache.dubbo.rpc.RpcException: Failed to invoke method ... executes="N" /> limited.`, which a TS consumer
 * reads as a retryable {@link LimitExceededError}. {@link update} changes the limits at runtime.
 */
export class ExecutesControl {
  /** Calls let through. */
  accepted = 0;
  /** Calls refused. */
  rejected = 0;
  private url: DubboUrl;
  private handler: RejectedExecutionHandler;
  private readonly byMethod = new Map<string, Slots>();
  /** The filter (built once). */
  readonly filter: Filter;

  constructor(
    parameters: Readonly<Record<string, string>>,
    readonly service: string,
  ) {
    this.url = this.parse(parameters);
    this.handler = this.handlerOf(this.url);
    this.filter = (next) => this.wrap(next);
  }

  /** Calls running now, by method. */
  active(method: string): number {
    return this.byMethod.get(method)?.active ?? 0;
  }

  /**
   * Replaces the limits (the `executes` / `execute.limit` keys of `parameters`), logging the change.
   * @throws DubboError for a malformed value; the old limits stay.
   */
  update(parameters: Readonly<Record<string, string>>): void {
    const url = this.parse(parameters);
    const handler = this.handlerOf(url);
    const before = this.url.toParameterString();
    this.url = url;
    this.handler = handler;
    for (const [m, s] of this.byMethod) s.max = maxOf(url, m);
    getLogger().info(
      `flow control: executes of ${this.service} changed from {${before}} to {${url.toParameterString()}}`,
    );
  }

  private parse(parameters: Readonly<Record<string, string>>): DubboUrl {
    validateInts(parameters, EXECUTES_KEYS, this.service);
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(parameters)) {
      if (hasKey({ [k]: v }, [...EXECUTES_KEYS, CONCURRENCY_KEYS.EXECUTE_REJECTED_HANDLER])) own[k] = String(v).trim();
    }
    return new DubboUrl({ protocol: 'dubbo', path: this.service }).addParameters(own);
  }

  private handlerOf(url: DubboUrl): RejectedExecutionHandler {
    return rejectedExecutionHandlers.get(url.getParameter(CONCURRENCY_KEYS.EXECUTE_REJECTED_HANDLER) || 'failfast');
  }

  private slots(method: string): Slots {
    let s = this.byMethod.get(method);
    if (s === undefined) {
      // Method names come off the wire: past MAX_METHODS (a client inventing names) they share one count.
      const key = this.byMethod.size < MAX_METHODS ? method : OVERFLOW;
      s = this.byMethod.get(key);
      if (s === undefined) {
        s = { active: 0, max: maxOf(this.url, key === OVERFLOW ? '' : method) };
        this.byMethod.set(key, s);
      }
    }
    return s;
  }

  private wrap(next: Invoke): Invoke {
    return (inv) => {
      const s = this.slots(settingsNameOf(inv));
      if (s.max > 0 && s.active >= s.max) {
        this.rejected++;
        return this.refuse(inv, s.max);
      }
      this.accepted++;
      s.active++;
      let p: Promise<RpcResult>;
      try {
        p = next(inv);
      } catch (err) {
        s.active--;
        return Promise.reject(err);
      }
      return p.then(
        (r) => {
          s.active--;
          return r;
        },
        (err: unknown) => {
          s.active--;
          throw err;
        },
      );
    };
  }

  private async refuse(inv: RpcInvocation, max: number): Promise<RpcResult> {
    const rejection: Rejection = {
      kind: 'executes',
      service: this.service,
      method: settingsNameOf(inv),
      limit: String(max),
      side: 'provider',
    };
    try {
      return await this.handler.rejected(this.url, inv, rejection);
    } catch (err) {
      // Java's server answers a thrown RpcException with status 70 and the exception printed.
      if (err instanceof LimitExceededError) {
        throw new DubboStatusError(ResponseStatus.SERVICE_ERROR, toJavaExecutesMessage(err), { cause: err });
      }
      throw err;
    }
  }
}

/** Options of an {@link ActivesControl}. */
export interface ActivesControlOptions {
  /** The call timeout by method when the call sets none (the reference's settings). */
  timeoutOf: (method: string) => number;
  /** The clock in ms, for the elapsed time in the refusal. @defaultValue `Date.now` */
  clock?: () => number;
}

interface Waiter {
  readonly resolve: () => void;
  timer: ReturnType<typeof setTimeout> | null;
}

interface ActiveSlots {
  active: number;
  readonly waiters: Waiter[];
  /** The settle handlers of a call let through (made once per slot table: no closure per call). */
  readonly onValue: (v: unknown) => unknown;
  readonly onError: (err: unknown) => never;
}

/**
 * Java's `ActiveLimitFilter` on a consumer: at most `actives` calls in flight per provider and method (the
 * method's own `<method>.actives`, else the reference's). A call past it waits for a slot up to its timeout (the
 * call's `timeout` attachment, else the reference's), first come first served, then fails with a retryable
 * {@link LimitExceededError} carrying Java's message, so failover tries another provider (as Java's does).
 * One instance per reference; its {@link filter} keeps counts per provider (it is a provider filter).
 */
export class ActivesControl {
  /** Calls let through. */
  accepted = 0;
  /** Calls refused. */
  rejected = 0;
  private url: DubboUrl;
  private readonly maxByMethod = new Map<string, number>();
  private readonly clock: () => number;
  /** The provider filter (one count table per provider it wraps), for references that also have breakers. */
  readonly filter: Filter;
  /**
   * The router that hands each listed provider its `actives` guard, on the value path (it routes nothing away):
   * what a reference without breakers uses instead of {@link filter} (a provider filter takes every call off the
   * value path: an RpcResult and three promises more per call).
   */
  readonly router: Router;
  private readonly guards = new WeakMap<InvokerStats, ActivesGuard>();
  private guardedList: readonly ProviderInvoker[] | null = null;

  constructor(
    parameters: Readonly<Record<string, string>>,
    readonly service: string,
    private readonly options: ActivesControlOptions,
  ) {
    this.url = this.parse(parameters);
    this.clock = options.clock ?? Date.now;
    this.filter = (next) => this.wrap(next);
    this.router = {
      name: 'actives',
      priority: Number.MAX_SAFE_INTEGER, // last: it sees the providers the balancer will choose among
      notify: (invokers) => this.guard(invokers),
      route: (invokers) => {
        if (invokers !== this.guardedList) this.guard(invokers);
        return invokers;
      },
    };
  }

  private guard(invokers: readonly ProviderInvoker[]): void {
    for (const p of invokers) {
      let g = this.guards.get(p.stats);
      if (g === undefined) {
        g = new ActivesGuard(this);
        this.guards.set(p.stats, g);
      }
      if (p.guard !== g) p.guard = g;
    }
    this.guardedList = invokers;
  }

  /**
   * Replaces the limits (the `actives` keys of `parameters`), logging the change; waiting calls keep waiting.
   * @throws DubboError for a malformed value; the old limits stay.
   */
  update(parameters: Readonly<Record<string, string>>): void {
    const url = this.parse(parameters);
    const before = this.url.toParameterString();
    this.url = url;
    getLogger().info(
      `flow control: actives of ${this.service} changed from {${before}} to {${url.toParameterString()}}`,
    );
  }

  private parse(parameters: Readonly<Record<string, string>>): DubboUrl {
    validateInts(parameters, [CONCURRENCY_KEYS.ACTIVES], this.service);
    const own: Record<string, string> = {};
    for (const [k, v] of Object.entries(parameters)) {
      if (k === CONCURRENCY_KEYS.ACTIVES || k.endsWith(`.${CONCURRENCY_KEYS.ACTIVES}`)) own[k] = String(v).trim();
    }
    return new DubboUrl({ protocol: 'consumer', path: this.service }).addParameters(own);
  }

  private max(method: string): number {
    let m = this.maxByMethod.get(method);
    if (m === undefined) {
      m = Math.max(0, Number(this.url.getMethodParameter(method, CONCURRENCY_KEYS.ACTIVES) ?? '0'));
      this.maxByMethod.set(method, m);
    }
    return m;
  }

  private wrap(next: Invoke): Invoke {
    const byMethod = new Map<string, ActiveSlots>();
    return (inv) => this.limit(byMethod, inv, () => next(inv)) as Promise<RpcResult>;
  }

  /** @internal Runs `call` within the slots of its method in `byMethod`, waiting for one up to the call's timeout. */
  limit(byMethod: Map<string, ActiveSlots>, inv: RpcInvocation, call: () => Promise<unknown>): Promise<unknown> {
    const method = settingsNameOf(inv);
    let s = byMethod.get(method);
    if (s === undefined) {
      s = newSlots();
      byMethod.set(method, s);
    }
    const max = this.max(method);
    if (max === 0 || s.active < max) {
      s.active++;
      return this.run(s, call);
    }
    const slots = s;
    const timeout = this.timeoutOf(inv);
    const start = this.clock();
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { resolve, timer: null };
      w.timer = setTimeout(() => {
        const i = slots.waiters.indexOf(w);
        if (i >= 0) slots.waiters.splice(i, 1);
        this.rejected++;
        const elapsed = this.clock() - start;
        reject(
          new LimitExceededError(
            { kind: 'actives', service: this.service, method, limit: String(max), side: 'consumer' },
            `Waiting concurrent invoke timeout in client-side for service:  ${this.service}, method: ${method}, elapsed: ${elapsed}, timeout: ${timeout}. concurrent invokes: ${slots.active}. max concurrent invoke limit: ${max}`,
          ),
        );
      }, timeout);
      slots.waiters.push(w);
    }).then(() => this.run(slots, call));
  }

  private run(s: ActiveSlots, call: () => Promise<unknown>): Promise<unknown> {
    this.accepted++;
    let p: Promise<unknown>;
    try {
      p = call();
    } catch (err) {
      releaseSlot(s);
      return Promise.reject(err);
    }
    return p.then(s.onValue, s.onError);
  }

  private timeoutOf(inv: RpcInvocation): number {
    const t = Number(inv.getAttachment('timeout'));
    return t > 0 ? t : this.options.timeoutOf(settingsNameOf(inv));
  }
}

/** The `actives` slots of one provider, by method, on the value path (a {@link ProviderGuard}). */
class ActivesGuard implements ProviderGuard {
  readonly byMethod = new Map<string, ActiveSlots>();

  constructor(private readonly control: ActivesControl) {}

  isAvailable(): boolean {
    return true;
  }

  run(inv: RpcInvocation, _value: boolean, call: () => Promise<unknown>): Promise<unknown> {
    return this.control.limit(this.byMethod, inv, call);
  }
}

function newSlots(): ActiveSlots {
  const s: ActiveSlots = {
    active: 0,
    waiters: [],
    onValue: (v: unknown) => {
      releaseSlot(s);
      return v;
    },
    onError: (err: unknown) => {
      releaseSlot(s);
      throw err;
    },
  };
  return s;
}

/** Frees a slot: it passes to the first waiter, if any. */
function releaseSlot(s: ActiveSlots): void {
  const w = s.waiters.shift();
  if (w === undefined) {
    s.active--;
    return;
  }
  if (w.timer !== null) clearTimeout(w.timer);
  w.resolve();
}
