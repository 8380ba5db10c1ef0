import { DubboError } from '../errors.js';

/**
 * Extensions of one kind (clusters, load balancers, routers, protocols...) by name, as Java's SPI files and
 * dubbo-go's `extension.Set...` are: adding one is one file and one {@link ExtensionRegistry.register} call. The
 * built-in ones are in the registry from its definition; nothing registers itself as a side effect of an import.
 *
 * ```ts
 * loadBalances.register('first', () => ({ select: (invokers) => invokers[0]! }));
 * ```
 */
export class ExtensionRegistry<T> {
  private readonly byName = new Map<string, T>();

  /**
   * @param kind - What the registry holds, for error messages (`load balance`, `cluster`...).
   * @param builtins - The extensions present from the start.
   */
  constructor(
    readonly kind: string,
    builtins: Record<string, T> = {},
  ) {
    for (const [name, value] of Object.entries(builtins)) this.byName.set(name, value);
  }

  /**
   * Registers (or replaces) the extension `name`.
   * @throws DubboError `DUBBO_ERR_INVALID_ARG` for an empty name.
   */
  register(name: string, value: T): this {
    if (typeof name !== 'string' || name === '') {
      throw new DubboError('DUBBO_ERR_INVALID_ARG', `a ${this.kind} needs a non-empty name`);
    }
    this.byName.set(name, value);
    return this;
  }

  /** Removes the extension `name`; returns whether it was there. */
  unregister(name: string): boolean {
    return this.byName.delete(name);
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The extension `name`, or `undefined`. */
  find(name: string): T | undefined {
    return this.byName.get(name);
  }

  /**
   * The extension `name`.
   * @throws DubboError `DUBBO_ERR_UNKNOWN_EXTENSION` naming the ones that are registered.
   */
  get(name: string): T {
    const v = this.byName.get(name);
    if (v === undefined) {
      throw new DubboError(
        'DUBBO_ERR_UNKNOWN_EXTENSION',
        `no ${this.kind} named '${name}' (registered: ${[...this.byName.keys()].join(', ') || 'none'})`,
      );
    }
    return v;
  }

  /** The registered names, in registration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}
