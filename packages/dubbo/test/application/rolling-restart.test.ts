// Rolling restart behind ZooKeeper (#14): three provider processes (DubboApplication from YAML) are stopped with
// SIGTERM and started again one by one while a TS consumer keeps 100 calls in flight: 0 failed calls.
// Also: a provider stopped while slow calls (300 ms) are in flight completes every call it accepted.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, DubboClient, defineService, type Registry, registerBuiltinRegistries } from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';
import { unique, zookeeperAddress } from '../support/services.js';

const fixture = fileURLToPath(new URL('./fixtures/app-provider.mjs', import.meta.url));
const javaConsumer = fileURLToPath(new URL('../../../../tools/interop/java/registry-consumer.sh', import.meta.url));
const Slow = defineService<{ sleep(ms: number): Promise<string> }>({
  interfaceName: 'org.apache.dubbo.interop.SlowService',
  methods: { sleep: { params: ['long'], returns: 'java.lang.String' } },
});

interface Provider {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    try {
      process.kill(-c.pid!, 'SIGKILL'); // detached children: their whole group
    } catch {
      c.kill('SIGKILL');
    }
  }
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

function startProvider(group: string, name: string, extraEnv: Record<string, string> = {}): Promise<Provider> {
  const env = {
    ...process.env,
    ...extraEnv,
    DUBBO_REGISTRY_ADDRESS: `zookeeper://${zookeeperAddress()}`,
    GROUP: group,
    NAME: name,
  };
  const child = spawn(process.execPath, [fixture], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`provider ${name} not ready: ${err}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`provider ${name} exited ${code}: ${err}`));
    });
  });
}

/** A Java 3.3 consumer keeping `inflight` calls in flight through ZooKeeper until {@link stop}; its counts. */
async function startJavaConsumer(group: string, inflight: number, mode?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dubbo-ts-rolling-'));
  const stopFile = join(dir, 'stop');
  const child = spawn(
    'bash',
    [javaConsumer, 'load', `zookeeper://${zookeeperAddress()}`, mode ?? 'DEFAULT', group, String(inflight), stopFile],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString().slice(-4000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await until('the Java consumer LOADING', () => out.includes('LOADING') || child.exitCode !== null, 150_000);
  if (!out.includes('LOADING')) throw new Error(`Java consumer did not start: ${out}\n${err}`);
  return {
    stop: async (): Promise<{ calls: number; errors: number; output: string }> => {
      writeFileSync(stopFile, '');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      const m = /LOAD calls=(\d+) errors=(\d+)/.exec(out);
      if (m === null) throw new Error(`no LOAD line: ${out}\n${err}`);
      return { calls: Number(m[1]), errors: Number(m[2]), output: out };
    },
  };
}

/** Sends SIGTERM and resolves with the exit code and the shutdown steps the provider logged. */
function terminate(p: Provider): Promise<{ code: number | null; steps: string[] }> {
  return new Promise((resolve) => {
    p.child.once('exit', (code) =>
      resolve({
        code,
        steps: p
          .output()
          .split('\n')
          .filter((l) => l.includes('dubbo shutdown step')),
      }),
    );
    p.child.kill('SIGTERM');
  });
}

function consumer(): { client: DubboClient; registry: Registry } {
  registerBuiltinRegistries();
  const registry = createRegistry(`zookeeper://${zookeeperAddress()}`);
  const client = new DubboClient({ application: 'rolling-consumer', timeout: 10_000 });
  cleanups.push(() => registry.destroy());
  cleanups.push(() => client.close());
  return { client, registry };
}

async function until(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('graceful shutdown of provider processes behind ZooKeeper', () => {
  it('restarts three providers one by one under 100 TS and 100 Java calls in flight: 0 failed', {
    timeout: 300_000,
  }, async () => {
    const group = `rolling-${unique()}`;
    const providers = await Promise.all(['a', 'b', 'c'].map((n) => startProvider(group, n)));
    // The Java consumer reads interface-level URLs (FORCE_INTERFACE). In Java 3.3's default APPLICATION_FIRST it
    // failed 0, 4 and 31 of ~5000-27000 calls in three runs with "No provider available": its app-level directory
    // listed the two remaining providers under invokersToReconnect at once (open, see the #14 report); set
    // JAVA_MIGRATION=APPLICATION_FIRST to run it that way.
    const java = await startJavaConsumer(group, 100, process.env.JAVA_MIGRATION ?? 'FORCE_INTERFACE');
    const { client, registry } = consumer();
    const ref = client.refer(Slow, { registry, group, waitMs: 10_000 });
    await until(
      'three providers',
      () => ref.directory.providers.length === 3 && ref.directory.providers.every((p) => p.isAvailable()),
    );
    let ok = 0;
    const failures: string[] = [];
    let stop = false;
    const loops = Array.from({ length: 100 }, async () => {
      while (!stop) {
        await ref.proxy.sleep(20).then(
          () => ok++,
          (e: Error & { code?: string }) => failures.push(`${e.code}: ${e.message}`),
        );
      }
    });
    const steps: string[][] = [];
    for (let i = 0; i < providers.length; i++) {
      const okBefore = ok;
      const { code, steps: logged } = await terminate(providers[i]!);
      expect(code).toBe(0);
      steps.push(logged);
      providers[i] = await startProvider(group, `${'abc'[i]}2`);
      const port = providers[i]!.port;
      await until('the restarted provider', () =>
        ref.directory.providers.some((p) => p.url.port === port && p.isAvailable()),
      );
      await until('calls on', () => ok > okBefore + 200);
    }
    stop = true;
    await Promise.all(loops);
    const javaCounts = await java.stop();
    console.log(
      `rolling restart: TS consumer ${ok} calls ok, ${failures.length} failed; Java consumer ${javaCounts.calls} ok, ${javaCounts.errors} failed; steps:\n${steps.map((s) => s.join('\n')).join('\n')}`,
    );
    expect(failures).toEqual([]);
    expect(javaCounts.errors, javaCounts.output).toBe(0);
    expect(javaCounts.calls).toBeGreaterThan(0);
    for (const s of steps) {
      expect(s.map((l) => /step \d\/4 (\w+)/.exec(l)?.[1])).toEqual(['unregister', 'notify', 'provider', 'consumer']);
    }
    for (const p of providers) await terminate(p);
  });

  it('completes every accepted 300 ms call when its provider is stopped with SIGTERM', {
    timeout: 120_000,
  }, async () => {
    const group = `slow-${unique()}`;
    const a = await startProvider(group, 'a');
    const b = await startProvider(group, 'b');
    const { client, registry } = consumer();
    const ref = client.refer(Slow, { registry, group, waitMs: 10_000, loadbalance: 'roundrobin' });
    await until(
      'two providers',
      () => ref.directory.providers.length === 2 && ref.directory.providers.every((p) => p.isAvailable()),
    );
    const calls = Array.from({ length: 50 }, () => ref.proxy.sleep(300));
    const { code, steps } = await terminate(a);
    const results = await Promise.allSettled(calls);
    const failed = results
      .filter((r) => r.status === 'rejected')
      .map((r) => String((r as PromiseRejectedResult).reason));
    console.log(`slow calls: ${results.length - failed.length} ok, ${failed.length} failed; ${steps.join('; ')}`);
    expect(code).toBe(0);
    expect(failed).toEqual([]);
    expect(
      results.map((r) => (r as PromiseFulfilledResult<string>).value).filter((v) => v === 'a').length,
    ).toBeGreaterThan(0);
    await terminate(b);
  });

  it('exits at once on a second SIGTERM during the graceful shutdown', { timeout: 120_000 }, async () => {
    // a long consumer-update wait, and a consumer connected, so the graceful path would take 60 s
    const group = `second-${unique()}`;
    const p = await startProvider(group, 'a', { UPDATE_WAIT: '60s' });
    const { client } = consumer();
    const svc = client.reference(Slow, { url: `dubbo://127.0.0.1:${p.port}`, group });
    expect(await svc.sleep(1)).toBe('a');
    const exited = new Promise<number | null>((r) => p.child.once('exit', (code) => r(code)));
    p.child.kill('SIGTERM');
    await until('step 1 logged', () => p.output().includes('step 1/4 unregister'));
    p.child.kill('SIGTERM');
    expect(await exited).toBe(143); // 128 + SIGTERM: not the 0 of a finished graceful shutdown
  });
});
