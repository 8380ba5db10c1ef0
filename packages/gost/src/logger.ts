/** The small logger interface dubbo-ts libraries log through. Point it at your own logger with {@link setLogger}. */
export interface Logger {
  debug(msg: string, ...args: unknown[]): void;
  info(msg: string, ...args: unknown[]): void;
  warn(msg: string, ...args: unknown[]): void;
  error(msg: string, ...args: unknown[]): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger writing to `console` (debug is dropped unless `DEBUG` mentions dubbo). */
export const consoleLogger: Logger = {
  debug(msg, ...args) {
    if (debugEnabled) console.debug(msg, ...args);
  },
  info(msg, ...args) {
    console.info(msg, ...args);
  },
  warn(msg, ...args) {
    console.warn(msg, ...args);
  },
  error(msg, ...args) {
    console.error(msg, ...args);
  },
};

const debugEnabled = /dubbo/i.test(process.env.DEBUG ?? '');
// Silent under test runners, console otherwise.
let current: Logger = process.env.VITEST || process.env.NODE_ENV === 'test' ? silentLogger : consoleLogger;

/** Replaces the logger every dubbo-ts package uses. */
export function setLogger(logger: Logger): void {
  current = logger;
}

/** The logger in use. Call it at log time (not once at import) so {@link setLogger} takes effect. */
export function getLogger(): Logger {
  return current;
}
