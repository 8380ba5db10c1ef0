/**
 * The outcome of one call: a value, or an exception the service threw (Java's `AppResponse`), plus the
 * attachments the provider sent back.
 */
export class RpcResult<T = unknown> {
  /** The returned value (`null` for a Java `null` / `void`). */
  value: T | null;
  /** The exception the service threw, or `null`. */
  exception: Error | null;
  /** Attachments sent with the response. */
  attachments: Record<string, unknown>;

  constructor(value: T | null = null, exception: Error | null = null, attachments: Record<string, unknown> = {}) {
    this.value = value;
    this.exception = exception;
    this.attachments = attachments;
  }

  /** Whether the call ended with an exception. */
  get hasException(): boolean {
    return this.exception !== null;
  }

  /** The value, or throws the exception (Java's `Result.recreate()`). */
  recreate(): T | null {
    if (this.exception !== null) throw this.exception;
    return this.value;
  }
}
