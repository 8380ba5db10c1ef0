import type { Router } from '../cluster/router-chain.js';
import type { Filter } from '../filter/filter.js';
import { AdaptiveControl, hasAdaptiveLimit } from './adaptive-limiter.js';
import { BreakerControl, hasBreaker, validateBreakerParameters } from './circuit-breaker.js';
import { ActivesControl, ExecutesControl, hasActivesLimit, hasExecutesLimit } from './concurrency-limits.js';
import { hasTpsLimit, TpsControl, validateTpsParameters } from './tps-control.js';

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

  /** The counts of every limit in force, for metrics. */
  counters(): FlowSnapshot {
    return {
      tps: this.tps === null ? null : { accepted: this.tps.accepted, rejected: this.tps.rejected },
      executes: this.executes === null ? null : { accepted: this.executes.accepted, rejected: this.executes.rejected },
      adaptive:
        this.adaptive === null
          ? null
          : { accepted: this.adaptive.accepted, rejected: this.adaptive.rejected, limit: this.adaptive.limiter.limit },
    };
  }

  /**
   * Changes the TPS and `executes` limits of the service at runtime (each change logged). All keys are checked
   * before any is applied: a malformed one throws naming it and nothing changes. Only limits set at export can
   * change (a limit costs nothing until set; export with `tps.limit.rate=-1` or `executes=0` to change it later).
   */
  update(parameters: Readonly<Record<string, string>>): void {
    if (this.tps !== null) validateTpsParameters(parameters, this.tps.options.service);
    if (this.executes !== null) new ExecutesControl(parameters, this.executes.service); // checks only
    this.tps?.update(parameters);
    this.executes?.update(parameters);
  }
}

/** Counts of one limit. */
export interface LimitCounts {
  /** Calls let through. */
  readonly accepted: number;
  /** Calls refused. */
  readonly rejected: number;
}

/** The counts of a service's or a reference's limits (`null`: not configured). */
export interface FlowSnapshot {
  readonly tps?: LimitCounts | null;
  readonly executes?: LimitCounts | null;
  readonly adaptive?: (LimitCounts & { readonly limit: number }) | null;
  readonly actives?: LimitCounts | null;
  /** Calls refused by breakers, and breakers open now. */
  readonly breakers?: { readonly rejected: number; readonly open: number } | null;
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
  /** Routers added to the reference's chain (the breakers', the `actives` guards'). */
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
    this.breaker = hasBreaker(parameters) ? new BreakerControl(parameters, service) : null;
    // `actives` on the providers' value path (a guard) unless breakers hold that place: then as a provider filter.
    const activesAsFilter = this.actives !== null && this.breaker !== null;
    this.providerFilters = activesAsFilter ? [this.actives!.filter] : [];
    this.routers = [
      ...(this.breaker === null ? [] : [this.breaker.router]),
      ...(this.actives !== null && !activesAsFilter ? [this.actives.router] : []),
    ];
  }

  /** The counts of every limit in force, for metrics. */
  counters(): FlowSnapshot {
    return {
      tps: this.tps === null ? null : { accepted: this.tps.accepted, rejected: this.tps.rejected },
      actives: this.actives === null ? null : { accepted: this.actives.accepted, rejected: this.actives.rejected },
      breakers: this.breaker === null ? null : { rejected: this.breaker.rejected, open: this.breaker.openBreakers },
    };
  }

  /**
   * Changes the TPS, `actives` and breaker settings of the reference at runtime (each change logged); all keys
   * are checked first, a malformed one throws naming it and nothing changes. Only limits set at refer time can
   * change.
   */
  update(parameters: Readonly<Record<string, string>>): void {
    if (this.tps !== null) validateTpsParameters(parameters, this.tps.options.service);
    if (this.actives !== null) new ActivesControl(parameters, this.actives.service, { timeoutOf: () => 0 }); // checks only
    if (this.breaker !== null) validateBreakerParameters(parameters);
    this.tps?.update(parameters);
    this.actives?.update(parameters);
    this.breaker?.update(parameters);
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
