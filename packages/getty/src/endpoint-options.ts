import type { TaskPool, TimingWheel } from '@dubbo-ts/gost';
import type { Codec } from './codec.js';
import type { EventListener } from './event-listener.js';
import type { Session, Transport } from './session.js';
import type { SessionOptions } from './session-options.js';

/** Options shared by {@link Server} and {@link Client}. */
export interface EndpointOptions<P> extends SessionOptions {
  /**
   * The transport.
   * @defaultValue 'tcp'
   */
  transport?: Transport;
  /** Bytes to packages and back. */
  codec: Codec<P>;
  /** What the application sees of every session. */
  listener: EventListener<P>;
  /**
   * Dispatch `onMessage` through this pool (the M x N design); `null` or absent runs it inline in the
   * I/O callback.
   * @defaultValue null
   */
  taskPool?: TaskPool | null;
  /**
   * Called for every new session before `onOpen` (getty's NewSessionCallback): set per-session settings such as
   * `cronPeriodMs` or attributes here. Throwing refuses the connection like `onOpen`.
   */
  newSession?: (session: Session<P>) => void;
  /**
   * The wheel driving cron, idle, write and close timers.
   * @defaultValue the process-wide `defaultTimingWheel()` from gost
   */
  wheel?: TimingWheel;
}
