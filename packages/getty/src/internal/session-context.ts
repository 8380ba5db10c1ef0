import type { TaskPool, TimingWheel } from '@dubbo-ts/gost';
import type { Codec } from '../codec.js';
import type { EventListener } from '../event-listener.js';
import type { Session, Transport } from '../session.js';
import type { ResolvedSessionOptions } from '../session-options.js';

/** What a session shares with its server or client. */
export interface SessionContext<P> {
  codec: Codec<P>;
  listener: EventListener<P>;
  pool: TaskPool | null;
  wheel: TimingWheel;
  options: ResolvedSessionOptions;
  transport: Transport;
  newSession: ((session: Session<P>) => void) | undefined;
  /** Called once the session is closed (after onClose). */
  onSessionClosed(session: Session<P>, opened: boolean): void;
}

/** Settles one written package once its bytes are handed to the OS (or failed). */
export type Settle = (err?: Error | null) => void;

/** A `write()` parked until the peer drains (backpressure `'wait'`). */
export interface WaitingWrite<P> {
  pkg: P;
  resolve: () => void;
  reject: (e: Error) => void;
}
