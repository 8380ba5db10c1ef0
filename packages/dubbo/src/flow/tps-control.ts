import { getLogger } from '@dubbo-ts/gost';
import type { Clock } from '../cluster/provider-invoker.js';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { Filter, Invoke } from '../filter/filter.js';
import type { RpcInvocation } from '../rpc/invocation.js';
import { settingsNameOf } from '../rpc/method-name.js';
import { RpcResult } from '../rpc/result.js';
import { LimitExceededError, type Rejection, toJavaTpsException } from './limit-error.js';
import { type RejectedExecutionHandler, rejectedExecutionHandlers } from './rejected-handler.js';
import { DEFAULT_TPS_STRATEGY, TPS_KEYS, type TpsLimiter, tpsLimiters } from './tps-limiter.js';
import { tpsLimitStrategies } from './tps-strategy.js';

/** The limiter when `tps.limiter` is unset (dubbo-go's). */
const DEFAULT_LIMITER = 'method-service';
/** The handler when `tps.limit.rejected.handler` is unset: Java's behaviour. */
const DEFAULT_HANDLER = 'failfast';

const TPS_KEY_SUFFIXES = [
  TPS_KEYS.TPS,
  TPS_KEYS.TPS_INTERVAL,
  TPS_KEYS.LIMITER,
  TPS_KEYS.RATE,
  TPS_KEYS.INTERVAL,
  TPS_KEYS.STRATEGY,
  TPS_KEYS.REJECTED_HANDLER,
  TPS_KEYS.GRADE,
];

/** The level (`''` the service, else the method) and key of a parameter name that is a TPS key, or `null`. */
function tpsKeyOf(name: string): [string, string] | null {
  for (const k of TPS_KEY_SUFFIXES) {
    if (name === k) return ['', k];
    if (name.endsWith(`.${k}`) && !name.startsWith('tps.')) return [name.slice(0, -k.length - 1), k];
  }
  const g = name.indexOf(TPS_KEYS.GRADE_PREFIX);
  if (g === 0) return ['', TPS_KEYS.GRADE_PREFIX];
  if (g > 0 && name[g - 1] === '.') return [name.slice(0, g - 1), TPS_KEYS.GRADE_PREFIX];
  return null;
}

/** Whether `parameters` turn the TPS filter on: a rate (`tps`, `tps.limit.rate`) or `tps.limiter` at any level. */
export function hasTpsLimit(parameters: Readonly<Record<string, string>> | ReadonlyMap<string, string>): boolean {
  const names = parameters instanceof Map ? parameters.keys() : Object.keys(parameters);
  for (const n of names) {
    const k = tpsKeyOf(n);
    if (k !== null && (k[1] === TPS_KEYS.TPS || k[1] === TPS_KEYS.RATE || k[1] === TPS_KEYS.LIMITER)) return true;
  }
  return false;
}

/**
 * Checks every TPS key of `parameters`: numbers where numbers go, registered names where names go.
 * @throws DubboError `DUBBO_ERR_INVALID_ARG` naming the key, `DUBBO_ERR_UNKNOWN_EXTENSION` for an unknown name.
 */
export function validateTpsParameters(parameters: Readonly<Record<string, string>>, where: string): void {
  for (const [name, raw] of Object.entries(parameters)) {
    const k = tpsKeyOf(name);
    if (k === null) continue;
    const value = String(raw).trim();
    const bad = (what: string): never => {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `${where}.${name}: ${what}, got '${raw}'`);
    };
    switch (k[1]) {
      case TPS_KEYS.TPS:
      case TPS_KEYS.RATE:
        if (!/^-?\d+$/.test(value)) bad('an integer rate is expected');
        break;
      case TPS_KEYS.GRADE_PREFIX:
        if (!/^\d+$/.test(value)) bad('a rate >= 0 is expected');
        break;
      case TPS_KEYS.TPS_INTERVAL:
      case TPS_KEYS.INTERVAL:
        if (!/^\d+$/.test(value) || Number(value) <= 0) bad('an interval in ms > 0 is expected');
        break;
      case TPS_KEYS.STRATEGY:
        tpsLimitStrategies.get(value || DEFAULT_TPS_STRATEGY);
        break;
      case TPS_KEYS.LIMITER:
        tpsLimiters.get(value || DEFAULT_LIMITER);
        break;
      case TPS_KEYS.REJECTED_HANDLER:
        rejectedExecutionHandlers.get(value || DEFAULT_HANDLER);
        break;
      case TPS_KEYS.GRADE:
        if (value === '') bad('an attachment name is expected');
        break;
    }
  }
}

/** Options of a {@link TpsControl}. */
export interface TpsControlOptions {
  /** Which side the filter runs on: a provider answers a TPS refusal as Java's `TpsLimitFilter` does. */
  side: 'provider' | 'consumer';
  /** The Java interface (or path) named in refusals. */
  service: string;
  /** The clock in ms. @defaultValue `performance.now` */
  clock?: Clock;
}

/**
 * One TPS limit in force: a service's (provider) or a reference's (consumer), its limiter, handler and counts,
 * and the {@link filter} that applies it. {@link update} changes the keys at runtime (each change logged; a bad
 * value is refused and the old state kept).
 */
export class TpsControl {
  /** Calls let through. */
  accepted = 0;
  /** Calls refused. */
  rejected = 0;
  private url: DubboUrl;
  private limiter!: TpsLimiter;
  private limiterName = '';
  private handler!: RejectedExecutionHandler;
  private readonly clock: Clock;
  /** The filter (one per control; built once). */
  readonly filter: Filter;

  /**
   * @param parameters - The service's or reference's URL parameters (the TPS keys among them are used).
   * @throws DubboError for a malformed key (see {@link validateTpsParameters}).
   */
  constructor(
    parameters: Readonly<Record<string, string>>,
    readonly options: TpsControlOptions,
  ) {
    this.clock = options.clock ?? now;
    validateTpsParameters(parameters, options.service);
    this.url = toUrl(options.service, parameters);
    this.bind();
    this.filter = (next) => this.wrap(next);
  }

  /** The parameters in force. */
  get parameters(): Record<string, string> {
    return this.url.toParameterRecord();
  }

  /**
   * Replaces the TPS keys with those of `parameters` (other keys are ignored), logging the change. Counters whose
   * rate, interval and strategy are unchanged keep counting.
   * @throws DubboError for a malformed key; the old settings stay in force.
   */
  update(parameters: Readonly<Record<string, string>>): void {
    validateTpsParameters(parameters, this.options.service);
    const before = this.url.toParameterString();
    this.url = toUrl(this.options.service, parameters);
    this.bind();
    getLogger().info(
      `flow control: ${this.options.side} tps of ${this.options.service} changed from {${before}} to {${this.url.toParameterString()}}`,
    );
  }

  private bind(): void {
    const name = this.url.getParameter(TPS_KEYS.LIMITER) || DEFAULT_LIMITER;
    if (name !== this.limiterName) {
      this.limiter = tpsLimiters.get(name)(this.clock);
      this.limiterName = name;
    }
    this.handler = rejectedExecutionHandlers.get(this.url.getParameter(TPS_KEYS.REJECTED_HANDLER) || DEFAULT_HANDLER);
  }

  private wrap(next: Invoke): Invoke {
    return (inv) => {
      if (this.limiter.isAllowable(this.url, inv)) {
        this.accepted++;
        return next(inv);
      }
      this.rejected++;
      return this.refuse(inv);
    };
  }

  private refuse(inv: RpcInvocation): Promise<RpcResult> {
    const rejection: Rejection = {
      kind: 'tps',
      service: this.options.service,
      method: settingsNameOf(inv),
      limit: this.limiter.describe?.(this.url, inv) ?? 'tps',
      side: this.options.side,
    };
    let p: Promise<RpcResult>;
    try {
      p = Promise.resolve(this.handler.rejected(this.url, inv, rejection));
    } catch (err) {
      p = Promise.reject(err);
    }
    if (this.options.side === 'consumer') return p;
    // A provider answers as Java's TpsLimitFilter: an RpcException in an OK response.
    return p.catch((err: unknown) => {
      if (err instanceof LimitExceededError) return new RpcResult(null, toJavaTpsException(err));
      throw err;
    });
  }
}

function toUrl(service: string, parameters: Readonly<Record<string, string>>): DubboUrl {
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(parameters)) if (tpsKeyOf(k) !== null) own[k] = String(v).trim();
  return new DubboUrl({ protocol: 'dubbo', path: service }).addParameters(own);
}

function now(): number {
  return performance.now();
}
