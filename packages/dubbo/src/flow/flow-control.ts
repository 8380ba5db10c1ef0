import type { Router } from '../cluster/router-chain.js';
import type { Filter } from '../filter/filter.js';
import { AdaptiveControl, hasAdaptiveLimit } from './adaptive-limiter.js';
import { BreakerControl, hasBreaker } from './circuit-breaker.js';
import { ActivesControl, ExecutesControl, hasActivesLimit, hasExecutesLimit } from './concurrency-limits.js';
import { hasTpsLimit, TpsControl } from './tps-control.js';

/**
 * The flow control of one exported service: the limits its URL parameters set, their counts, and runtime
 * changes (each control's `update`). Only the limits whose keys are set have a filter; a service with none has no
 * `ProviderFlowControl`.
 */
export class ProviderFlowControl {
  /** The TPS limit (`tps`, `tps.limit.*`), or `null` when no TPS key was set at export. */
  readonly tps: TpsControl | null;
  /** The concurrency limit (`executes`, `execute.limit`), or `null`. */
  readonly executes: ExecutesControl | null;
  /** The adaptive concurrency limit (`flowcontrol=gradient`), or `null`. */
  readonly adaptive: AdaptiveControl | null;
  /** The filters, outermost first. */
  readonly filters: readonly Filter[];

  constructor(parameters: Readonly<Record<string, string>>, service: string) {
    this.tps = hasTpsLimit(parameters) ? new TpsControl(parameters, { side: 'provider', service }) : null;
    this.executes = hasExecutesLimit(parameters) ? new ExecutesControl(parameters, service) : null;
    this.adaptive = hasAdaptiveLimit(parameters) ? new AdaptiveControl(parameters, service) : null;
    const filters: Filter[] = [];
    if (this.tps !== null) filters.push(this.tps.filter);
    if (this.adaptive !== null) filters.push(this.adaptive.filter);
    if (this.executes !== null) filters.push(this.executes.filter);
    this.filters = filters;
  }
}

/** @internal The flow control of a service with these parameters, or `null` when they set no limit. */
export function providerFlowControl(
  parameters: Readonly<Record<string, string>>,
  service: string,
): ProviderFlowControl | null {
  const f = new ProviderFlowControl(parameters, service);
  return f.filters.length === 0 ? null : f;
}

/**
 * The flow control of one reference (consumer side), from the reference's own `parameters` (not the providers':
 * a provider's `tps` limits the provider, as in Java).
 */
export class ConsumerFlowControl {
  /** The TPS limit around the cluster (once per call), or `null`. */
  readonly tps: TpsControl | null;
  /** The in-flight limit per provider and method (`actives`), or `null`. */
  readonly actives: ActivesControl | null;
  /** The circuit breakers of the providers (`breaker`), or `null`. */
  readonly breaker: BreakerControl | null;
  /** Filters around the cluster, outermost first. */
  readonly filters: readonly Filter[];
  /** Routers added to the reference's chain (the breakers'). */
  readonly routers: readonly Router[];
  /** Filters around each provider (once per attempt), outermost first. */
  readonly providerFilters: readonly Filter[];

  /**
   * @param timeoutOf - The reference's call timeout of a method, for `actives` waits.
   */
  constructor(parameters: Readonly<Record<string, string>>, service: string, timeoutOf: (method: string) => number) {
    this.tps = hasTpsLimit(parameters) ? new TpsControl(parameters, { side: 'consumer', service }) : null;
    this.actives = hasActivesLimit(parameters) ? new ActivesControl(parameters, service, { timeoutOf }) : null;
    this.filters = this.tps === null ? [] : [this.tps.filter];
    this.providerFilters = this.actives === null ? [] : [this.actives.filter];
    this.breaker = hasBreaker(parameters) ? new BreakerControl(parameters, service) : null;
    this.routers = this.breaker === null ? [] : [this.breaker.router];
  }
}

/** @internal The flow control of a reference with these parameters, or `null` when they set no limit. */
export function consumerFlowControl(
  parameters: Readonly<Record<string, string>>,
  service: string,
  timeoutOf: (method: string) => number,
): ConsumerFlowControl | null {
  const f = new ConsumerFlowControl(parameters, service, timeoutOf);
  return f.filters.length === 0 && f.providerFilters.length === 0 && f.routers.length === 0 ? null : f;
}
