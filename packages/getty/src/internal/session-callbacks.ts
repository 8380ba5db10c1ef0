// Closure-free callbacks for timers, ticks and the task pool: each takes the session as its argument.
import { GettyError } from '../errors.js';
import type { Session } from '../session.js';
import type { Settle } from './session-context.js';

export function flushTick(s: Session<any>): void {
  s._flush();
}

export function cronFire(s: Session<any>): void {
  s._cron();
}

export function idleFire(s: Session<any>): void {
  s._idleCheck();
}

export function writeTimeoutFire(s: Session<any>): void {
  s._writeTimedOut();
}

export function closeTimeoutFire(s: Session<any>): void {
  s.destroy();
}

export function dispatchTask(s: Session<any>, pkg: unknown): void {
  s._deliver(pkg);
}

export function settleAll(ws: Settle[], err?: Error | null): void {
  for (let i = 0; i < ws.length; i++) ws[i]!(err);
}

export function closedError(s: Session<any>, cause: Error): Error {
  if (cause instanceof GettyError) return cause;
  return new GettyError('GETTY_ERR_SESSION_CLOSED', `session ${s.id}: write failed: ${cause.message}`, { cause });
}

export function toError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
