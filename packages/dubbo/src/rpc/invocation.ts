import type { MethodDescriptor } from '../config/service-descriptor.js';

/**
 * One call: method, JVM parameter-type descriptor, arguments and attachments (Java's `RpcInvocation`).
 * A consumer builds one per call; a provider decodes one per request and hands it to the service method as its
 * last argument, so the method can read attachments and set response attachments (see {@link RpcContext}).
 */
export class RpcInvocation {
  /** The Java method name. */
  methodName: string;
  /** The JVM parameter-type descriptor, e.g. `Ljava/lang/String;I`. */
  parameterTypesDesc: string;
  /** The arguments. */
  arguments: unknown[];
  /** Service path (usually the interface name). */
  path: string;
  /** Service version (`''` for none; Java writes `0.0.0`). */
  version: string;
  /** The timeout of the call in ms (consumer side), set by the protocol invoker from its settings or the call's `timeout` attachment. */
  timeout = 0;
  /** Attachments the provider sends back with the response. */
  responseAttachments: Record<string, unknown> | null = null;
  /** Address of the peer (provider side: the consumer; consumer side: the provider). */
  remoteAddress = '';
  /** The described method called (from the service descriptor); `null` for generic and echo calls. */
  method: MethodDescriptor | null = null;
  /** @internal Extra attachments merged over {@link attachments} when written (consumer side, per call). */
  extraAttachments: Record<string, unknown> | null = null;
  #attachments: Record<string, unknown>;
  /** Whether {@link #attachments} is shared with other invocations (copied before it is handed out). */
  #shared: boolean;

  constructor(
    methodName: string,
    parameterTypesDesc: string,
    args: unknown[],
    attachments: Record<string, unknown>,
    path = '',
    version = '',
  ) {
    this.methodName = methodName;
    this.parameterTypesDesc = parameterTypesDesc;
    this.arguments = args;
    this.#attachments = attachments;
    this.#shared = false;
    this.path = path;
    this.version = version;
  }

  /**
   * @internal An invocation over attachments shared with other invocations (a reference method's, a connection's
   * remembered ones): they are copied the first time {@link attachments} is asked for.
   */
  static overSharedAttachments(
    methodName: string,
    parameterTypesDesc: string,
    args: unknown[],
    attachments: Record<string, unknown>,
    path: string,
    version: string,
  ): RpcInvocation {
    const inv = new RpcInvocation(methodName, parameterTypesDesc, args, attachments, path, version);
    inv.#shared = true;
    return inv;
  }

  /**
   * Request attachments (Java's object attachments); includes `path`, `interface`, `version`, `group`. This
   * invocation's own object: changing it changes no other call. (Invocations built over shared attachments, as
   * the consumer's per-method ones and a provider's repeated ones are, copy them on the first access.)
   */
  get attachments(): Record<string, unknown> {
    if (this.#shared) {
      this.#attachments = { ...this.#attachments };
      this.#shared = false;
    }
    return this.#attachments;
  }

  set attachments(value: Record<string, unknown>) {
    this.#attachments = value;
    this.#shared = false;
  }

  /** @internal The attachments without copying shared ones: read only. */
  get attachmentsForReading(): Record<string, unknown> {
    return this.#attachments;
  }

  /** A request attachment (merged view of per-call and reference attachments). */
  getAttachment(key: string): unknown {
    const x = this.extraAttachments;
    if (x !== null && key in x) return x[key];
    return this.#attachments[key];
  }

  /** A request attachment as a string (`undefined` when absent or not a string). */
  getAttachmentString(key: string): string | undefined {
    const v = this.getAttachment(key);
    return typeof v === 'string' ? v : undefined;
  }

  /** Sets an attachment on the response (provider side) that the consumer will read. */
  setResponseAttachment(key: string, value: unknown): void {
    if (this.responseAttachments === null) this.responseAttachments = {};
    this.responseAttachments[key] = value;
  }

  /** The group attachment (`''` for none). */
  get group(): string {
    const g = this.getAttachment('group');
    return typeof g === 'string' ? g : '';
  }
}
