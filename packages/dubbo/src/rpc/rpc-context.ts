import type { RpcInvocation } from './invocation.js';

let nextCallAttachments: Record<string, unknown> | null = null;
let current: RpcInvocation | null = null;

/**
 * Java's `RpcContext`, for code that cannot get the {@link RpcInvocation} handed to it.
 *
 * Consumer side: {@link RpcContext.setAttachment} adds an attachment to the NEXT call made in the same
 * synchronous run of code (the call takes and clears them, as Java's client attachments do).
 *
 * Provider side: {@link RpcContext.current} is the invocation being served while the service method runs
 * synchronously (until its first `await`). Service methods also get the invocation as their last argument,
 * which stays valid across `await`: prefer that one.
 */
export class RpcContext {
  private constructor() {}

  /** Adds an attachment to the next call made (synchronously) from here. */
  static setAttachment(key: string, value: unknown): void {
    if (nextCallAttachments === null) nextCallAttachments = {};
    nextCallAttachments[key] = value;
  }

  /** Adds several attachments to the next call made (synchronously) from here. */
  static setAttachments(attachments: Record<string, unknown>): void {
    for (const k of Object.keys(attachments)) RpcContext.setAttachment(k, attachments[k]);
  }

  /** Drops attachments set for the next call. */
  static clearAttachments(): void {
    nextCallAttachments = null;
  }

  /** @internal Takes (and clears) the attachments set for the next call. */
  static takeAttachments(): Record<string, unknown> | null {
    const a = nextCallAttachments;
    if (a !== null) nextCallAttachments = null;
    return a;
  }

  /** The invocation being served by the running service method (synchronous part only); `null` elsewhere. */
  static get current(): RpcInvocation | null {
    return current;
  }

  /** @internal Sets {@link RpcContext.current}; returns the previous one. */
  static enter(inv: RpcInvocation | null): RpcInvocation | null {
    const prev = current;
    current = inv;
    return prev;
  }
}
