import { readFileSync } from 'node:fs';
import { getLogger } from '@dubbo-ts/gost';
import { DubboUrl } from '../common/url.js';
import { DubboError } from '../errors.js';
import type { ServiceProxy } from '../proxy/service-proxy.js';
import type { Registry } from '../registry/registry.js';
import { registerBuiltinRegistries } from '../registry/registry-builtin.js';
import { createRegistry } from '../registry/registry-factory.js';
import {
  type DubboConfig,
  DubboConfigError,
  loadDubboConfig,
  type ResolvedDubboConfig,
  registryUrlOf,
} from './application-config.js';
import { DubboClient } from './dubbo-client.js';
import { DubboServer } from './dubbo-server.js';
import type { Reference } from './reference-settings.js';
import { registerServer, type ServerRegistration } from './registry-exporter.js';
import type { ServiceImplementation } from './service-config.js';
import type { ServiceDescriptor } from './service-descriptor.js';

/** Options of a {@link DubboApplication}: where its config comes from (precedence: yaml < file < config < env). */
export interface DubboApplicationOptions {
  /** YAML text with a `dubbo:` key (Java's `application.yml`, dubbo-go's `dubbogo.yml`). @defaultValue none */
  yaml?: string;
  /** Path of a YAML file, read at {@link DubboApplication.start}; laid over `yaml`. @defaultValue none */
  file?: string;
  /** Config from code (the `dubbo:` tree), laid over the YAML. @defaultValue none */
  config?: DubboConfig;
  /** Environment variables laid over everything (`DUBBO_APPLICATION_NAME`...). @defaultValue `process.env` */
  env?: Readonly<Record<string, string | undefined>>;
  /** How long a `check`ed reference waits at start for a provider. @defaultValue 3000 */
  checkTimeoutMs?: number;
  /** What a second signal does (tests replace it). @defaultValue `process.exit` */
  exit?: (code: number) => void;
}

/** One step of a graceful shutdown as it ran. */
export interface ShutdownStep {
  /** `unregister`, `notify`, `provider`, `consumer`. */
  readonly name: string;
  /** How long it took, ms. */
  readonly ms: number;
  /** What it waited for, e.g. `{ urls: 4, registries: 2 }`. */
  readonly counts: Readonly<Record<string, number>>;
  /** Whether it ended at its step timeout rather than when done. */
  readonly timedOut: boolean;
}

interface ServiceBinding {
  readonly descriptor: ServiceDescriptor<any>;
  readonly impl: ServiceImplementation<any>;
}

/** A proxy whose calls reach the reference made at start (calls before fail with `DUBBO_ERR_INVALID_ARG`). */
function lateProxy<T>(name: string, get: () => ServiceProxy<T> | undefined): ServiceProxy<T> {
  return new Proxy({} as ServiceProxy<T>, {
    get(_target, prop) {
      if (prop === 'then') return undefined; // not a thenable
      const real = get() as Record<string | symbol, unknown> | undefined;
      if (real === undefined) {
        return () =>
          Promise.reject(new DubboError('DUBBO_ERR_INVALID_ARG', `reference ${name}: the application is not started`));
      }
      const v = real[prop];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(real) : v;
    },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves with `true` when `p` settled within `ms`, `false` when the time ran out first. */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const out = await Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return out;
}

/**
 * The application root (Java's `DubboBootstrap`, dubbo-go's `dubbo.Load()`): one config (YAML, code, environment)
 * names the application, its registries, protocols, the services it exports and the references it makes;
 * {@link start} brings them up and {@link stop} takes them down in four bounded steps that lose no call.
 *
 * ```ts
 * const app = new DubboApplication({ file: 'dubbo.yml' });
 * app.service('GreeterProvider', GreeterDescriptor, { greet: (n) => `hi ${n}` });
 * const users = app.reference('UserClient', UserServiceDescriptor);
 * await app.start(); // ready: exports registered, checked references have a provider
 * ```
 */
export class DubboApplication {
  private readonly options: DubboApplicationOptions;
  private readonly bindings = new Map<string, ServiceBinding>();
  private readonly referenceBindings = new Map<string, ServiceDescriptor<any> | string>();
  private readonly proxies = new Map<string, unknown>();
  private resolved: ResolvedDubboConfig | null = null;
  private readonly registryById = new Map<string, Registry>();
  private readonly servers = new Map<string, DubboServer>();
  private registrations: ServerRegistration[] = [];
  private client: DubboClient | null = null;
  private readonly references = new Map<string, Reference<unknown>>();
  private state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  private stopping: Promise<ShutdownStep[]> | null = null;
  private signalHandler: ((signal: NodeJS.Signals) => void) | null = null;

  constructor(options: DubboApplicationOptions = {}) {
    this.options = options;
  }

  /**
   * Binds the implementation of the service named `name` under `dubbo.provider.services` (dubbo-go binds by the
   * same name). A service bound here and absent from the config is exported with its descriptor's interface.
   */
  service<T>(name: string, descriptor: ServiceDescriptor<T>, impl: ServiceImplementation<T>): this {
    if (this.state !== 'new') throw new DubboError('DUBBO_ERR_INVALID_ARG', `service ${name}: bind before start()`);
    if (this.bindings.has(name)) throw new DubboError('DUBBO_ERR_INVALID_ARG', `service ${name} is already bound`);
    this.bindings.set(name, { descriptor, impl });
    return this;
  }

  /**
   * The proxy of the reference named `name` under `dubbo.consumer.references`, made at {@link start}; `service`
   * is its descriptor, or an interface name for a generic reference. A reference bound here and absent from the
   * config is made with the descriptor's interface through every registry.
   */
  reference<T>(name: string, service: ServiceDescriptor<T> | string): ServiceProxy<T> {
    if (this.state !== 'new') throw new DubboError('DUBBO_ERR_INVALID_ARG', `reference ${name}: bind before start()`);
    this.referenceBindings.set(name, service);
    return lateProxy<T>(name, () => this.proxies.get(name) as ServiceProxy<T> | undefined);
  }

  /** The config in force (defaults filled in, durations in ms), after {@link start}. */
  get config(): ResolvedDubboConfig | null {
    return this.resolved;
  }

  /** The servers by protocol id, after {@link start}. */
  get protocolServers(): ReadonlyMap<string, DubboServer> {
    return this.servers;
  }

  /** The consumer side, after {@link start}. */
  get consumer(): DubboClient | null {
    return this.client;
  }

  /** Reads and checks the config without starting anything. @throws DubboConfigError listing every problem. */
  async loadConfig(): Promise<ResolvedDubboConfig> {
    const yaml: string[] = [];
    if (this.options.yaml !== undefined) yaml.push(this.options.yaml);
    if (this.options.file !== undefined) {
      try {
        yaml.push(readFileSync(this.options.file, 'utf8'));
      } catch (err) {
        throw new DubboConfigError([`(file): cannot read ${this.options.file}: ${(err as Error).message}`]);
      }
    }
    const { config, fromEnv } = await loadDubboConfig({
      base: this.boundConfig(),
      yaml,
      config: this.options.config,
      env: this.options.env ?? process.env,
    });
    const problems: string[] = [];
    for (const [name, s] of Object.entries(config.provider.services)) {
      const b = this.bindings.get(name);
      if (b === undefined) {
        problems.push(
          `dubbo.provider.services.${name}: no implementation bound (app.service('${name}', descriptor, impl))`,
        );
      } else if (b.descriptor.interfaceName !== s.interface) {
        problems.push(
          `dubbo.provider.services.${name}.interface: expected ${b.descriptor.interfaceName} (the bound descriptor's), got ${s.interface}`,
        );
      }
    }
    if (problems.length > 0) throw new DubboConfigError(problems);
    if (fromEnv.length > 0) getLogger().info(`dubbo config: from the environment: ${fromEnv.join(', ')}`);
    return config;
  }

  /** What the bindings say, under every other source: each bound service's and reference's interface. */
  private boundConfig(): Record<string, unknown> {
    const services: Record<string, { interface: string }> = {};
    for (const [name, b] of this.bindings) services[name] = { interface: b.descriptor.interfaceName };
    const references: Record<string, { interface: string }> = {};
    for (const [name, d] of this.referenceBindings) {
      references[name] = { interface: typeof d === 'string' ? d : d.interfaceName };
    }
    return { provider: { services }, consumer: { references } };
  }

  /**
   * Starts: registries, servers (listening), exports registered, references made; resolves when ready (every
   * export registered and every `check`ed reference has a provider).
   * @throws DubboConfigError `DUBBO_ERR_CONFIG` listing every problem of the config (nothing is started);
   *   DubboError `DUBBO_ERR_NO_PROVIDER` when a checked reference finds no provider (what started is stopped).
   */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new DubboError('DUBBO_ERR_INVALID_ARG', `the application is ${this.state}`);
    this.state = 'starting';
    let config: ResolvedDubboConfig;
    try {
      config = await this.loadConfig();
    } catch (err) {
      this.state = 'new'; // nothing started: fix the config and start again
      throw err;
    }
    this.resolved = config;
    try {
      await this.bringUp(config);
    } catch (err) {
      await this.stop().catch(() => {});
      throw err;
    }
    this.state = 'started';
    if (config.shutdown['internal-signal']) this.listenForSignals();
    getLogger().info(
      `dubbo application ${config.application.name} started: ${this.servers.size} servers, ${this.bindings.size} services, ${this.references.size} references`,
    );
  }

  private async bringUp(config: ResolvedDubboConfig): Promise<void> {
    const app = config.application.name;
    if (Object.keys(config.registries).length > 0) registerBuiltinRegistries();
    for (const [id, r] of Object.entries(config.registries))
      this.registryById.set(id, createRegistry(registryUrlOf(r)));
    const services = Object.entries(config.provider.services);
    for (const [id, p] of Object.entries(config.protocols)) {
      const names = services.filter(([, s]) => s['protocol-ids'] === undefined || s['protocol-ids'].includes(id));
      if (names.length === 0) continue;
      const server = new DubboServer({ host: p.host, port: p.port, application: app });
      for (const [name, s] of names) {
        const b = this.bindings.get(name)!;
        server.export(b.descriptor, b.impl, { group: s.group, version: s.version });
      }
      await server.listen();
      this.servers.set(id, server);
    }
    // Register each server's services in their registries, one registration per set of registries.
    for (const server of this.servers.values()) {
      const byRegistries = new Map<string, Map<string, Record<string, string>>>();
      for (const [, s] of services) {
        const key = DubboUrl.buildKey(s.interface, s.group ?? '', s.version ?? '');
        if (!server.exported.some((e) => e.serviceKey === key)) continue;
        const ids = (s['registry-ids'] ?? [...this.registryById.keys()]).slice().sort().join(',');
        if (ids === '') continue;
        let m = byRegistries.get(ids);
        if (m === undefined) byRegistries.set(ids, (m = new Map()));
        const params: Record<string, string> = {};
        for (const k of ['timeout', 'retries', 'loadbalance', 'weight'] as const) {
          if (s[k] !== undefined) params[k] = String(s[k]);
        }
        m.set(key, params);
      }
      for (const [ids, only] of byRegistries) {
        const registry = ids.split(',').map((id) => this.registryById.get(id)!);
        this.registrations.push(
          await registerServer(server, {
            registry,
            application: app,
            registerMode: config.application['register-mode'],
            services: only,
          }),
        );
      }
    }
    const refs = Object.entries(config.consumer.references);
    if (refs.length === 0) return;
    const c = config.consumer;
    const client = new DubboClient({
      application: app,
      timeout: c.timeout,
      retries: c.retries,
      loadbalance: c.loadbalance,
    });
    this.client = client;
    const unchecked: string[] = [];
    const checks: Promise<void>[] = [];
    for (const [name, r] of refs) {
      const bound = this.referenceBindings.get(name) ?? r.interface;
      const ref = client.refer<unknown>(bound as ServiceDescriptor<unknown> | string, {
        url: r.url,
        registry:
          r.url !== undefined
            ? undefined
            : (r['registry-ids'] ?? [...this.registryById.keys()]).map((id) => this.registryById.get(id)!),
        group: r.group,
        version: r.version,
        timeout: r.timeout,
        retries: r.retries,
        loadbalance: r.loadbalance,
        cluster: r.cluster,
      });
      this.references.set(name, ref);
      this.proxies.set(name, ref.proxy);
      if (r.check ?? c.check) {
        checks.push(
          this.hasProvider(ref).then((ok) => {
            if (!ok) unchecked.push(name);
          }),
        );
      }
    }
    await Promise.all(checks);
    if (unchecked.length > 0) {
      throw new DubboError(
        'DUBBO_ERR_NO_PROVIDER',
        `no provider available for ${unchecked.map((n) => `dubbo.consumer.references.${n}`).join(', ')} within ${this.checkTimeoutMs} ms (check=true; set check: false to start without one)`,
      );
    }
  }

  private get checkTimeoutMs(): number {
    return this.options.checkTimeoutMs ?? 3000;
  }

  /** Whether the reference has an available provider within the check timeout (Java's `check=true`). */
  private async hasProvider(ref: Reference<unknown>): Promise<boolean> {
    const deadline = Date.now() + this.checkTimeoutMs;
    await within(ref.ready, this.checkTimeoutMs);
    while (!ref.directory.isAvailable()) {
      if (Date.now() >= deadline) return false;
      await sleep(20);
    }
    return true;
  }

  private listenForSignals(): void {
    const exit = this.options.exit ?? ((code: number) => process.exit(code));
    const handler = (signal: NodeJS.Signals): void => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (this.stopping !== null) {
        getLogger().warn(`dubbo application: second ${signal}, exiting now`);
        exit(code);
        return;
      }
      getLogger().info(`dubbo application: ${signal}, shutting down gracefully (send it again to exit at once)`);
      this.stop().then(
        () => exit(0),
        (err: Error) => {
          getLogger().error(`dubbo application: shutdown failed: ${err.message}`);
          exit(1);
        },
      );
    };
    this.signalHandler = handler;
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  }

  /**
   * Graceful shutdown in four steps, each bounded by `shutdown.step-timeout` (the whole by `shutdown.timeout`),
   * each logged with its name, duration and counts:
   * 1. `unregister`: remove every export from every registry (interface and application level); keep serving.
   * 2. `notify`: tell connected consumers (Java's read-only event, dubbo-go's `closing` attachment), then keep
   *    serving for `consumer-update-wait-time` while they move away (skipped when no consumer is connected).
   * 3. `provider`: refuse new requests (failover retries them elsewhere), wait for the calls in flight, close the
   *    servers.
   * 4. `consumer`: wait for this application's own calls in flight, then close references, connections and
   *    registries.
   * @returns The steps as they ran.
   */
  stop(): Promise<ShutdownStep[]> {
    if (this.stopping === null) this.stopping = this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<ShutdownStep[]> {
    this.state = 'stopping';
    const cfg = this.resolved?.shutdown ?? {
      timeout: 60_000,
      'step-timeout': 3000,
      'consumer-update-wait-time': 3000,
      'internal-signal': true,
    };
    const deadline = Date.now() + cfg.timeout;
    const budget = (ms: number): number => Math.max(0, Math.min(ms, deadline - Date.now()));
    const steps: ShutdownStep[] = [];
    const run = async (
      name: string,
      body: () => Promise<{ counts: Record<string, number>; timedOut: boolean }>,
    ): Promise<void> => {
      const t0 = Date.now();
      let result: { counts: Record<string, number>; timedOut: boolean };
      try {
        result = await body();
      } catch (err) {
        getLogger().warn(`dubbo shutdown ${name}: ${(err as Error).message}`);
        result = { counts: {}, timedOut: false };
      }
      const step: ShutdownStep = { name, ms: Date.now() - t0, counts: result.counts, timedOut: result.timedOut };
      steps.push(step);
      const counts = Object.entries(step.counts)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      getLogger().info(
        `dubbo shutdown step ${steps.length}/4 ${name}: ${step.ms} ms${counts ? `, ${counts}` : ''}${step.timedOut ? ' (step timeout)' : ''}`,
      );
    };
    const stepTimeout = cfg['step-timeout'];

    await run('unregister', async () => {
      const regs = this.registrations;
      const urls = regs.reduce((n, r) => n + r.urls.length + (r.instance === undefined ? 0 : 1), 0);
      const done = await within(Promise.allSettled(regs.map((r) => r.unregister())), budget(stepTimeout));
      return { counts: { registrations: urls, registries: this.registryById.size }, timedOut: !done };
    });

    await run('notify', async () => {
      let told = 0;
      for (const s of this.servers.values()) told += s.notifyClosing();
      const wait = told > 0 ? budget(cfg['consumer-update-wait-time']) : 0;
      if (wait > 0) await sleep(wait);
      return { counts: { connections: told, waitedMs: wait }, timedOut: false };
    });

    await run('provider', async () => {
      const servers = [...this.servers.values()];
      const inFlight = servers.reduce((n, s) => n + s.callsInFlight, 0);
      const reports = await Promise.all(servers.map((s) => s.close(budget(stepTimeout))));
      const abandoned = reports.reduce((n, r) => n + r.abandoned, 0);
      const refused = reports.reduce((n, r) => n + r.refused, 0);
      return {
        counts: { servers: servers.length, callsInFlight: inFlight, abandoned, refused },
        timedOut: abandoned > 0,
      };
    });

    await run('consumer', async () => {
      const client = this.client;
      const inFlight = client?.callsInFlight ?? 0;
      const end = Date.now() + budget(stepTimeout);
      while (client !== null && client.callsInFlight > 0 && Date.now() < end) await sleep(10);
      const left = client?.callsInFlight ?? 0;
      const references = this.references.size;
      await client?.close();
      await Promise.allSettled([...this.registryById.values()].map((r) => r.destroy()));
      return {
        counts: { callsInFlight: inFlight, abandoned: left, references, registries: this.registryById.size },
        timedOut: left > 0,
      };
    });

    if (this.signalHandler !== null) {
      process.off('SIGTERM', this.signalHandler);
      process.off('SIGINT', this.signalHandler);
      // Keep a handler until exit so a second signal still exits at once rather than killing mid-exit.
      const late = this.signalHandler;
      process.once('SIGTERM', late);
      process.once('SIGINT', late);
    }
    this.state = 'stopped';
    return steps;
  }
}
