// Starts and stops the real interop peers (Java Dubbo 3.3 and dubbo-go, see docs/interop-peers.md) from tests:
// providers are spawned through tools/interop/{java,go}/interop.sh and awaited until they print `READY <port>`
// (bounded); consumers run to completion (bounded) and their PASS/FAIL/SUMMARY lines are parsed.
// Every process runs in its own process group and is killed with that group on stop, on timeout and when the test
// process exits, so no peer outlives its test file. Build the peers first with tools/interop/prepare.sh.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const javaScript = `${root}tools/interop/java/interop.sh`;
const goScript = `${root}tools/interop/go/interop.sh`;

/** The environment of spawned peers: PATH also reaches the Go toolchain installed in /usr/local/go. */
function peerEnv(): NodeJS.ProcessEnv {
  const path = process.env.PATH ?? '/usr/bin:/bin';
  const extra = ['/usr/local/go/bin'].filter((d) => existsSync(d) && !path.split(':').includes(d));
  return { ...process.env, PATH: [path, ...extra].join(':') };
}

const live = new Set<ChildProcess>();

/** Kills a child's whole process group (the script and the java/go process it exec'd or started). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function killAll(): void {
  for (const c of live) killGroup(c);
}
// Peers run in their own process groups (detached), so they would outlive a test process that dies: kill them on
// exit and on the usual termination signals (then let the signal do what it would have done).
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

function spawnPeer(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  stdin: 'ignore' | 'pipe' = 'ignore',
): ChildProcess {
  const child = spawn('bash', [script, ...args], {
    cwd: root,
    env: { ...peerEnv(), ...env },
    stdio: [stdin, 'pipe', 'pipe'],
    detached: true, // own process group, killed as a whole
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Keeps the last `limit` characters of a stream, for error messages. */
function tail(limit: number): { push(s: string): void; text(): string } {
  let buf = '';
  return {
    push(s) {
      buf += s;
      if (buf.length > limit * 2) buf = buf.slice(-limit);
    },
    text: () => buf.slice(-limit),
  };
}

/** A running provider peer. */
export interface PeerProvider {
  /** Which peer. */
  readonly name: string;
  /** The port it serves on (loopback). */
  readonly port: number;
  /** `dubbo://127.0.0.1:<port>`. */
  readonly url: string;
  /** The last lines it printed (stdout and stderr). */
  output(): string;
  /** Whether the process is still running. */
  readonly running: boolean;
  /**
   * Stops the process group; resolves when it has exited. Safe to call twice. Default SIGKILL; `'SIGTERM'` lets the
   * peer shut down gracefully (Java Dubbo's shutdown hook), with SIGKILL after `graceMs` (default 30000).
   */
  stop(signal?: 'SIGKILL' | 'SIGTERM', graceMs?: number): Promise<void>;
}

/** Options of {@link startJavaProvider}. */
export interface JavaProviderOptions {
  /** Provider heartbeat period in ms (Java closes connections idle for 3x). @defaultValue Dubbo's 60000 */
  heartbeatMs?: number;
  /** Provider worker threads. @defaultValue Dubbo's 200 */
  threads?: number;
  /**
   * Registry the provider registers both services in, e.g. `zookeeper://127.0.0.1:2181` (Java 3.3's default
   * register mode `all`: interface level and application instance `dubbo-ts-interop-provider`). interop.sh
   * registers host `[::ffff:127.0.0.1]` (`DUBBO_IP_TO_REGISTRY`, see `env`). @defaultValue none (direct URLs only)
   */
  registry?: string;
  /** Service group of both services (isolates a test's providers in a shared registry). @defaultValue none */
  group?: string;
  /** URL parameters of InteropService (e.g. `{ 'echoString.tps': '2' }`). @defaultValue none */
  params?: Record<string, string>;
  /** Extra environment of the provider process (e.g. `DUBBO_IP_TO_REGISTRY`). @defaultValue none */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for `READY <port>`. @defaultValue 120000 (a cold JVM with Dubbo on 2 busy cores) */
  readyTimeoutMs?: number;
}

function startProvider(
  name: string,
  script: string,
  args: string[],
  readyTimeoutMs: number,
  env?: NodeJS.ProcessEnv,
): Promise<PeerProvider> {
  const child = spawnPeer(script, args, env);
  const out = tail(8000);
  let port = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const provider: PeerProvider = {
    name,
    get port() {
      return port;
    },
    get url() {
      return `dubbo://127.0.0.1:${port}`;
    },
    output: () => out.text(),
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    stop: async (signal = 'SIGKILL', graceMs = 30_000) => {
      killGroup(child, signal);
      if (signal !== 'SIGKILL') {
        const timer = setTimeout(() => killGroup(child), graceMs);
        await exited;
        clearTimeout(timer);
      }
      killGroup(child);
      await exited;
    },
  };
  return new Promise<PeerProvider>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${name} did not print READY within ${readyTimeoutMs} ms; output:\n${out.text()}`));
    }, readyTimeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => out.push(s));
    child.stdout?.on('data', (s: string) => {
      out.push(s);
      if (port !== 0) return;
      stdout += s;
      const m = /^READY (\d+)\s*$/m.exec(stdout);
      if (m === null) return;
      port = Number(m[1]);
      stdout = '';
      clearTimeout(timer);
      resolve(provider);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      if (port !== 0) return;
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before READY; output:\n${out.text()}`));
    });
  });
}

/** Starts the Java InteropProvider (InteropService + UserService, Dubbo 3.3.6) on a free port. */
export function startJavaProvider(options: JavaProviderOptions = {}): Promise<PeerProvider> {
  const args = ['provider', '0'];
  if (options.registry !== undefined) args.push(options.registry);
  if (options.heartbeatMs !== undefined) args.push('--heartbeat', String(options.heartbeatMs));
  if (options.threads !== undefined) args.push('--threads', String(options.threads));
  if (options.group !== undefined) args.push('--group', options.group);
  if (options.params !== undefined) {
    args.push(
      '--params',
      Object.entries(options.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    );
  }
  return startProvider('Java InteropProvider', javaScript, args, options.readyTimeoutMs ?? 120_000, options.env);
}

/** Options of {@link startGoProvider}. */
export interface GoProviderOptions {
  /** Port to serve on. @defaultValue a free one */
  port?: number;
  /**
   * Registry to register InteropService in at interface level, e.g. `zookeeper://127.0.0.1:2181` (with
   * `?group=ROOT`: under the ZooKeeper root `/ROOT`, as Java's registry `group`), as `dubbo://127.0.0.1:PORT/...`
   * (weight 100). @defaultValue none (direct URLs only)
   */
  registry?: string;
  /** Service group (only with `registry`). @defaultValue none */
  group?: string;
  /**
   * Extra environment of the provider process; `DUBBO_IP_TO_REGISTRY` (e.g. `::ffff:127.0.0.1`) is the host it binds
   * and registers instead of 127.0.0.1 (which a Java consumer would rewrite into the machine's address).
   * @defaultValue none
   */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for `READY <port>`. @defaultValue 60000 */
  readyTimeoutMs?: number;
}

/** Starts the dubbo-go provider (the go subset of InteropService) on `port` (default: a free one). */
export async function startGoProvider(options: GoProviderOptions = {}): Promise<PeerProvider> {
  const args = ['provider', String(options.port ?? 0)];
  if (options.registry !== undefined) args.push(options.registry, ...(options.group ? [options.group] : []));
  const start = () => startProvider('dubbo-go provider', goScript, args, options.readyTimeoutMs ?? 60_000, options.env);
  if (options.port) return start();
  // The Go provider picks its free ports (service, MetadataService) by binding :0 and closing, then dubbo-go binds
  // them: a port another test's process took in between makes it exit before READY ("address already in use",
  // seen once in ~10 CI runs). A free port is picked anew each attempt.
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (e) {
      if (attempt === 3 || !/exited \(\d+\) before READY/.test((e as Error).message)) throw e;
      console.warn(`dubbo-go provider exited before READY (attempt ${attempt} of 3), starting it again`);
    }
  }
}

/** One failed case of a consumer run. */
export interface ConsumerFailure {
  readonly name: string;
  readonly reason: string;
}

/** What a consumer run printed, parsed. */
export interface ConsumerReport {
  /** Names of the cases that passed. */
  readonly passed: string[];
  /** Cases that failed, with the consumer's reason. */
  readonly failed: ConsumerFailure[];
  /** The counts of the `SUMMARY passed=N failed=M` line, `null` when none was printed. */
  readonly summary: { readonly passed: number; readonly failed: number } | null;
  /** Exit code (`null` when killed). */
  readonly exitCode: number | null;
  /** The end of stderr, for diagnosis. */
  readonly stderr: string;
}

/** Parses the PASS/FAIL/SUMMARY lines the Java and Go interop consumers print. */
export function parseConsumerOutput(stdout: string): Pick<ConsumerReport, 'passed' | 'failed' | 'summary'> {
  const passed: string[] = [];
  const failed: ConsumerFailure[] = [];
  let summary: ConsumerReport['summary'] = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('PASS ')) {
      passed.push(line.slice(5));
    } else if (line.startsWith('FAIL ')) {
      const rest = line.slice(5);
      // names may contain ": " themselves only inside parentheses; the reason follows the first ": " after them
      let depth = 0;
      let cut = -1;
      for (let i = 0; i < rest.length - 1; i++) {
        const c = rest[i];
        if (c === '(') depth++;
        else if (c === ')') depth--;
        else if (depth <= 0 && c === ':' && rest[i + 1] === ' ') {
          cut = i;
          break;
        }
      }
      failed.push(cut < 0 ? { name: rest, reason: '' } : { name: rest.slice(0, cut), reason: rest.slice(cut + 2) });
    } else {
      const m = /^SUMMARY passed=(\d+) failed=(\d+)$/.exec(line);
      if (m !== null) summary = { passed: Number(m[1]), failed: Number(m[2]) };
    }
  }
  return { passed, failed, summary };
}

/**
 * Waits for a peer run to completion: its whole stdout, its exit code and the end of its stderr. Bounded: past
 * `timeoutMs` its process group is killed and the run rejected.
 */
function runToEnd(
  name: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ stdout: string; exitCode: number | null; stderr: string }> {
  const err = tail(8000);
  let stdout = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (s: string) => {
    stdout += s;
  });
  child.stderr?.on('data', (s: string) => err.push(s));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`${name} did not finish within ${timeoutMs} ms; output so far:\n${stdout.slice(-4000)}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${e.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, exitCode: code, stderr: err.text() });
    });
  });
}

async function runConsumer(name: string, script: string, args: string[], timeoutMs: number): Promise<ConsumerReport> {
  const { stdout, exitCode, stderr } = await runToEnd(name, spawnPeer(script, args), timeoutMs);
  return { ...parseConsumerOutput(stdout), exitCode, stderr };
}

/** Options of {@link runJavaConsumer}. */
export interface JavaConsumerOptions {
  /** `'go'`: only the dubbo-go subset of cases. @defaultValue all cases */
  only?: 'go';
  /** Only cases whose name matches this Java regex. @defaultValue all */
  filter?: string;
  /** Reference timeout in ms (the `sleep` method keeps its 500 ms). @defaultValue the consumer's 10000 */
  callTimeoutMs?: number;
  /** Bound of the whole run. @defaultValue 150000 */
  timeoutMs?: number;
}

/** Runs the Java InteropConsumer (every InteropService case, generic calls, load) against `url`. */
export function runJavaConsumer(url: string, options: JavaConsumerOptions = {}): Promise<ConsumerReport> {
  const args = ['consumer', url];
  if (options.only !== undefined) args.push('--only', options.only);
  if (options.filter !== undefined) args.push('--filter', options.filter);
  if (options.callTimeoutMs !== undefined) args.push('--timeout', String(options.callTimeoutMs));
  return runConsumer('Java InteropConsumer', javaScript, args, options.timeoutMs ?? 150_000);
}

/** Runs the dubbo-go consumer (the go subset) against `url`; `filter` is a Go regexp on case names. */
export function runGoConsumer(
  url: string,
  options: { filter?: string; timeoutMs?: number } = {},
): Promise<ConsumerReport> {
  const args = ['consumer', url];
  if (options.filter !== undefined) args.push(options.filter);
  return runConsumer('dubbo-go consumer', goScript, args, options.timeoutMs ?? 120_000);
}

/** One `BENCH call=...` line of the Java BenchConsumer. */
export interface BenchLine {
  readonly call: string;
  readonly calls: number;
  readonly errors: number;
}

/**
 * Runs the Java BenchConsumer (UserService's existUser, createUser, getUser, listUser and InteropService.echo, as
 * dubbo-benchmark calls them, or only `calls`) against `url` (several joined by `;`: one failover cluster with
 * `retries`, default 0) for `seconds` per call, no warm-up; resolves with its BENCH lines.
 */
export async function runJavaBench(
  url: string,
  options: { seconds?: number; inflight?: number; timeoutMs?: number; calls?: string; retries?: number } = {},
): Promise<{ lines: BenchLine[]; done: boolean; exitCode: number | null; stderr: string }> {
  const args = ['bench', url, '--warmup', '0', '--seconds', String(options.seconds ?? 0.5)];
  args.push('--inflight', String(options.inflight ?? 4));
  if (options.calls !== undefined) args.push('--calls', options.calls);
  if (options.retries !== undefined) args.push('--retries', String(options.retries));
  const { stdout, exitCode, stderr } = await runToEnd(
    'Java BenchConsumer',
    spawnPeer(javaScript, args),
    options.timeoutMs ?? 120_000,
  );
  const lines: BenchLine[] = [];
  for (const m of stdout.matchAll(/^BENCH call=(\S+) .*?calls=(\d+) errors=(\d+)/gm)) {
    lines.push({ call: m[1]!, calls: Number(m[2]), errors: Number(m[3]) });
  }
  return { lines, done: /^BENCH done$/m.test(stdout), exitCode, stderr };
}

/**
 * Runs a single-file Java program (`java File.java ARGS`, the JDK's source launcher) on the classpath of the Java
 * interop project (Dubbo 3.3.6 and the interop service classes); resolves with its stdout lines once it exits.
 */
export async function runJavaSource(
  file: string,
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<{ lines: string[]; exitCode: number | null; stderr: string }> {
  const javaDir = `${root}tools/interop/java`;
  const cp = `${javaDir}/target/classes:${readFileSync(`${javaDir}/target/classpath.txt`, 'utf8').trim()}`;
  const child = spawn(
    'java',
    [
      '-Xmx256m',
      '-Djava.net.preferIPv4Stack=true',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-cp',
      cp,
      file,
      ...args,
    ],
    { cwd: root, env: peerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  live.add(child);
  child.once('exit', () => live.delete(child));
  const { stdout, exitCode, stderr } = await runToEnd(`java ${file}`, child, options.timeoutMs ?? 120_000);
  return { lines: stdout.split('\n').filter((l) => l !== ''), exitCode, stderr };
}

/** A running Java consistent-hash consumer (BalanceConsumer: a Dubbo 3.3 reference of NodeService). */
export interface JavaBalanceConsumer {
  /**
   * Calls `who(key(i), i % 7)` for every key, one after another (`key(i)` is `ключ-i` for i % 50 == 0, else
   * `key-i`); resolves with the answers in key order (a failed call answers `!` + its exception's name).
   */
  round(): Promise<string[]>;
  /** The last lines it printed. */
  output(): string;
  /** Ends it (closes its stdin, then kills its process group); resolves when it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts BalanceConsumer (`interop.sh balance-consumer`): a Java Dubbo 3.3 reference over the direct `urls` with
 * `loadbalance=consistenthash` and `hash.arguments=0,1`, calling `keys` keys per round. Bounded: READY within
 * `readyTimeoutMs` (default 120000, a cold JVM), each round within `roundTimeoutMs` (default 120000).
 */
export function startJavaBalanceConsumer(
  urls: readonly string[],
  keys: number,
  options: { readyTimeoutMs?: number; roundTimeoutMs?: number } = {},
): Promise<JavaBalanceConsumer> {
  const child = spawnPeer(javaScript, ['balance-consumer', urls.join(';'), '--keys', String(keys)], {}, 'pipe');
  const out = tail(8000);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let pending = '';
  const lines: string[] = [];
  let wake: (() => void) | null = null;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => out.push(s));
  child.stdout!.on('data', (s: string) => {
    out.push(s.length > 400 ? `${s.slice(0, 400)}...\n` : s);
    pending += s;
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      lines.push(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
    }
    wake?.();
  });
  child.once('exit', () => wake?.());
  /** The next line starting with `prefix` (earlier lines dropped), bounded by `timeoutMs`. */
  const next = (prefix: string, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        wake = null;
        reject(new Error(`Java BalanceConsumer printed no ${prefix} within ${timeoutMs} ms; output:\n${out.text()}`));
      }, timeoutMs);
      const check = () => {
        while (lines.length > 0) {
          const line = lines.shift()!;
          if (line.startsWith(prefix)) {
            clearTimeout(timer);
            wake = null;
            return resolve(line);
          }
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          wake = null;
          reject(
            new Error(`Java BalanceConsumer exited (${child.signalCode ?? child.exitCode}); output:\n${out.text()}`),
          );
        }
      };
      wake = check;
      check();
    });
  const consumer: JavaBalanceConsumer = {
    round: async () => {
      child.stdin!.write('round\n');
      const line = await next('PICKS ', options.roundTimeoutMs ?? 120_000);
      return JSON.parse(line.slice(6)) as string[];
    },
    output: () => out.text(),
    stop: async () => {
      child.stdin!.end();
      const timer = setTimeout(() => killGroup(child), 30_000);
      await exited;
      clearTimeout(timer);
      killGroup(child);
    },
  };
  return next('READY', options.readyTimeoutMs ?? 120_000).then(
    () => consumer,
    (err: unknown) => {
      killGroup(child);
      throw err;
    },
  );
}

/** One line for the log: `INTEROP <label>: N passed, M failed`, plus each failure. */
export function formatReport(label: string, r: ConsumerReport): string {
  const lines = [`INTEROP ${label}: ${r.passed.length} passed, ${r.failed.length} failed`];
  for (const f of r.failed) lines.push(`  FAIL ${f.name}: ${f.reason.slice(0, 400)}`);
  return lines.join('\n');
}

/** What the Java FlowConsumer saw of one call. */
export interface FlowCall {
  readonly ok: boolean;
  /** The exception class (`null` for a success). */
  readonly exceptionClass: string | null;
  /** `RpcException.getCode()` (`null` for other exceptions and successes). */
  readonly code: number | null;
  readonly message: string;
}

/**
 * Runs the Java FlowConsumer: `calls` calls of InteropService.echoString one after another against `url`, with
 * Java's failover `retries`; resolves with what Java saw of each call.
 */
export async function runJavaFlowConsumer(
  url: string,
  options: { calls: number; retries?: number; timeoutMs?: number },
): Promise<{ calls: FlowCall[]; exitCode: number | null; stderr: string }> {
  const args = ['flow', url, '--calls', String(options.calls), '--retries', String(options.retries ?? 0)];
  const { stdout, exitCode, stderr } = await runToEnd(
    'Java FlowConsumer',
    spawnPeer(javaScript, args),
    options.timeoutMs ?? 120_000,
  );
  const calls: FlowCall[] = [];
  for (const line of stdout.split('\n')) {
    if (/^CALL \d+ OK$/.test(line)) calls.push({ ok: true, exceptionClass: null, code: null, message: '' });
    const m = /^CALL \d+ ERR class=(\S+) code=(\S+) message=(.*)$/.exec(line);
    if (m !== null) {
      calls.push({ ok: false, exceptionClass: m[1]!, code: m[2] === '-' ? null : Number(m[2]), message: m[3]! });
    }
  }
  return { calls, exitCode, stderr };
}
