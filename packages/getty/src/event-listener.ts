import type { Session } from './session.js';

/** What the application sees of a session (getty's EventListener). Only `onMessage` is required. */
export interface EventListener<P> {
  /** A session opened. Throw or return an `Error` to refuse the connection. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a listener that returns nothing accepts
  onOpen?(session: Session<P>): void | Error;
  /** The session hit an error (it is then closed, except for per-write errors); always before `onClose`. */
  onError?(session: Session<P>, err: Error): void;
  /** The session closed (only called for sessions whose `onOpen` accepted). */
  onClose?(session: Session<P>): void;
  /** A package arrived. A returned promise is awaited only for error reporting. */
  onMessage(session: Session<P>, pkg: P): void | Promise<void>;
  /** Called every `cronPeriodMs` while open: heartbeats and idle checks go here. */
  onCron?(session: Session<P>): void;
}
