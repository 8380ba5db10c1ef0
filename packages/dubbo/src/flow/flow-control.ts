import type { Filter } from '../filter/filter.js';
import { hasTpsLimit, TpsControl } from './tps-control.js';

/**
 * The flow control of one exported service: the limits its URL parameters set, their counts, and runtime
 * changes. Only the limits whose keys are set have a filter; a service with none has no `ProviderFlowControl`.
 */
export class ProviderFlowControl {
  /** The TPS limit (`tps`, `tps.limit.*`), or `null` when no TPS key was set at export. */
  readonly tps: TpsControl | null;
  /** The filters, outermost first. */
  readonly filters: readonly Filter[];

  constructor(parameters: Readonly<Record<string, string>>, service: string) {
    this.tps = hasTpsLimit(parameters) ? new TpsControl(parameters, { side: 'provider', service }) : null;
    const filters: Filter[] = [];
    if (this.tps !== null) filters.push(this.tps.filter);
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
  /** Filters around the cluster, outermost first. */
  readonly filters: readonly Filter[];

  constructor(parameters: Readonly<Record<string, string>>, service: string) {
    this.tps = hasTpsLimit(parameters) ? new TpsControl(parameters, { side: 'consumer', service }) : null;
    const filters: Filter[] = [];
    if (this.tps !== null) filters.push(this.tps.filter);
    this.filters = filters;
  }
}

/** @internal The flow control of a reference with these parameters, or `null` when they set no limit. */
export function consumerFlowControl(
  parameters: Readonly<Record<string, string>>,
  service: string,
): ConsumerFlowControl | null {
  const f = new ConsumerFlowControl(parameters, service);
  return f.filters.length === 0 ? null : f;
}
