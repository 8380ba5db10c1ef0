import { GettyError } from './errors.js';

/** What a session does when a write meets a slow peer (more than `maxPendingBytes` pending). */
export type BackpressureMode = 'wait' | 'fail';

/** When merged writes leave (see {@link SessionOptions.flushOn}). */
export type FlushOn = 'tick' | 'turn';

/** Per-session options (shared by server and client). */
export interface SessionOptions {
  /**
   * Close the session with `GETTY_ERR_READ_TIMEOUT` when nothing is read for this long; 0 turns it off.
   * @defaultValue 0
   */
  readIdleTimeoutMs?: number;
  /**
   * A `write()` not flushed within this long closes the session with `GETTY_ERR_WRITE_TIMEOUT`; 0 turns it off.
   * @defaultValue 0
   */
  writeTimeoutMs?: number;
  /**
   * Largest package (and largest run of bytes buffered while waiting for one).
   * @defaultValue 8388608 (8 MiB)
   */
  maxPackageLength?: number;
  /**
   * Period of `onCron`; 0 turns it off.
   * @defaultValue 0
   */
  cronPeriodMs?: number;
  /**
   * Merge packages written in the same tick into one socket write.
   * @defaultValue true
   */
  writeMerge?: boolean;
  /**
   * When merged writes leave: `'tick'` right after the callback that wrote them (its promise jobs included);
   * `'turn'` once per event-loop turn, after every socket event of the turn was handled. A process that answers
   * on several sessions at once, each answer prompting writes to several sessions (a client spreading calls over
   * many servers), then writes each session once per turn instead of once per socket that had data. Sessions
   * with a task pool always flush per turn.
   * @defaultValue 'tick'
   */
  flushOn?: FlushOn;
  /**
   * Bytes that may wait towards the peer (engine and socket buffers) before writes wait or fail.
   * @defaultValue 4194304 (4 MiB)
   */
  maxPendingBytes?: number;
  /**
   * Past `maxPendingBytes`: `'wait'` makes `write()` wait for the socket to drain (at most
   * `maxWaitingWrites` of them, then they fail); `'fail'` rejects at once with `GETTY_ERR_BACKPRESSURE`.
   * `send()` returns `false` in both modes.
   * @defaultValue 'wait'
   */
  backpressure?: BackpressureMode;
  /**
   * Writes that may wait for drain in `'wait'` mode.
   * @defaultValue 1024
   */
  maxWaitingWrites?: number;
  /**
   * A graceful close that has not finished flushing after this long destroys the connection.
   * @defaultValue 3000
   */
  closeTimeoutMs?: number;
}

/** @internal */
export interface ResolvedSessionOptions {
  readIdleTimeoutMs: number;
  writeTimeoutMs: number;
  maxPackageLength: number;
  cronPeriodMs: number;
  writeMerge: boolean;
  flushOn: FlushOn;
  maxPendingBytes: number;
  backpressure: BackpressureMode;
  maxWaitingWrites: number;
  closeTimeoutMs: number;
}

/** @internal */
export function resolveSessionOptions(o: SessionOptions = {}): ResolvedSessionOptions {
  return {
    readIdleTimeoutMs: o.readIdleTimeoutMs ?? 0,
    writeTimeoutMs: o.writeTimeoutMs ?? 0,
    maxPackageLength: o.maxPackageLength ?? 8 * 1024 * 1024,
    cronPeriodMs: o.cronPeriodMs ?? 0,
    writeMerge: o.writeMerge ?? true,
    flushOn: checkFlushOn(o.flushOn ?? 'tick'),
    maxPendingBytes: o.maxPendingBytes ?? 4 * 1024 * 1024,
    backpressure: o.backpressure ?? 'wait',
    maxWaitingWrites: o.maxWaitingWrites ?? 1024,
    closeTimeoutMs: o.closeTimeoutMs ?? 3000,
  };
}

/** @internal `mode` when it is a {@link FlushOn}; else a `GETTY_ERR_INVALID_ARG`. */
export function checkFlushOn(mode: FlushOn): FlushOn {
  if (mode !== 'tick' && mode !== 'turn') {
    throw new GettyError('GETTY_ERR_INVALID_ARG', `flushOn must be 'tick' or 'turn', got ${String(mode)}`);
  }
  return mode;
}
