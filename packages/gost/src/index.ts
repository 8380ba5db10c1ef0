export { Backoff, type BackoffOptions } from './backoff.js';
export { ByteWriter } from './byte-writer.js';
export { ChunkReader } from './chunk-reader.js';
export { ConcurrencyLimiter, type ConcurrencyLimiterOptions } from './concurrency-limiter.js';
export { GOST_ERROR_CODES, GostError, type GostErrorCode } from './errors.js';
export { consoleLogger, getLogger, type Logger, setLogger, silentLogger } from './logger.js';
export { freePort, joinHostPort, localIp, splitHostPort } from './net-utils.js';
export { SlidingWindowCounter, type SlidingWindowOptions } from './sliding-window.js';
export { type PoolFullPolicy, type PoolTask, TaskPool, type TaskPoolOptions } from './task-pool.js';
export {
  defaultTimingWheel,
  TimingWheel,
  type TimingWheelOptions,
  type WheelCallback,
  WheelTimeout,
} from './timing-wheel.js';
