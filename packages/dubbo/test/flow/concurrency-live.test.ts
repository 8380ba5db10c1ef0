// executes (provider) and actives (consumer) over real TS providers and consumers.
import {
  DubboClient,
  DubboServer,
  defineService,
  type ExportOptions,
  LimitExceededError,
  type ReferenceOptions,
} from '@dubbo-ts/dubbo';
import { afterEach, describe, expect, it } from 'vitest';

interface Gate {
  hold(id: string): Promise<string>;
  quick(id: string): Promise<string>;
}
const Gate = defineService<Gate>({
  interfaceName: 'org.example.Gate',
  methods: {
    hold: { params: ['java.lang.String'], returns: 'java.lang.String' },
    quick: { params: ['java.lang.String'], returns: 'java.lang.String' },
  },
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A provider whose `hold` calls wait until `open()`; counts how many ran at once. */
async function gateProvider(name: string, options: ExportOptions = {}) {
  let release: (() => void)[] = [];
  let running = 0;
  let peak = 0;
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(
    Gate,
    {
      hold: async (id) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return `${name}:${id}`;
      },
      quick: (id) => `${name}:quick:${id}`,
    },
    options,
  );
  await server.listen();
  closers.push(() => server.close());
  return {
    server,
    open: () => {
      const r = release;
      release = [];
      for (const f of r) f();
    },
    held: () => release.length,
    peak: () => peak,
  };
}
function ref(url: string, options: Partial<ReferenceOptions> = {}) {
  const c = new DubboClient({ application: 'flow-test' });
  closers.push(() => c.close());
  return c.refer(Gate, { url, ...options });
}
const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('executes (provider)', () => {
  it("refuses past the limit per method with Java's message on status 70; the TS consumer gets a LimitExceededError", async () => {
    const p = await gateProvider('a', { parameters: { executes: '2' } });
    const r = ref(p.server.address, { cluster: 'failfast', timeout: 5000 });
    const held = [r.proxy.hold('1'), r.proxy.hold('2')];
    await until(() => p.held() === 2);
    const err = await r.proxy.hold('3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    const e = err as LimitExceededError;
    expect(e.kind).toBe('executes');
    expect(e.limit).toBe('2');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('The service using threads greater than <dubbo:service executes="2" /> limited.');
    expect((e.cause as { status?: number }).status).toBe(70); // what Java's server answers for a thrown RpcException
    expect(await r.proxy.quick('q')).toBe('a:quick:q'); // counted per method, as Java
    p.open();
    expect(await Promise.all(held)).toEqual(['a:1', 'a:2']);
    const again = r.proxy.hold('4'); // a slot is free again
    await until(() => p.held() === 1);
    p.open();
    expect(await again).toBe('a:4');
  }, 20_000);

  it("execute.limit (dubbo-go's key), a method's own limit, and a runtime change", async () => {
    const p = await gateProvider('a', { parameters: { 'execute.limit': '5', 'hold.execute.limit': '1' } });
    const r = ref(p.server.address, { cluster: 'failfast', timeout: 5000 });
    const first = r.proxy.hold('1');
    await until(() => p.held() === 1);
    expect(await r.proxy.hold('2').catch((e: unknown) => (e as LimitExceededError).code)).toBe(
      'DUBBO_ERR_LIMIT_EXCEEDED',
    );
    const executes = p.server.exported[0]!.flow!.executes!;
    expect(executes.active('hold')).toBe(1);
    executes.update({ 'hold.execute.limit': '2' });
    const second = r.proxy.hold('2');
    await until(() => p.held() === 2);
    expect(() => executes.update({ executes: 'many' })).toThrow(/org\.example\.Gate\.executes: an integer/);
    p.open();
    expect(await Promise.all([first, second])).toEqual(['a:1', 'a:2']);
    expect(executes.rejected).toBe(1);
    expect(executes.active('hold')).toBe(0);
  }, 20_000);

  it('failover retries an executes refusal on another provider', async () => {
    const busy = await gateProvider('busy', { parameters: { executes: '1' } });
    const other = await gateProvider('other');
    const r = ref(`${busy.server.address};${other.server.address}`, { loadbalance: 'roundrobin', timeout: 5000 });
    const calls = [r.proxy.hold('1'), r.proxy.hold('2'), r.proxy.hold('3'), r.proxy.hold('4')];
    await until(() => busy.held() + other.held() === 4);
    expect(busy.held()).toBe(1);
    expect(other.held()).toBe(3);
    busy.open();
    other.open();
    const answers = await Promise.all(calls);
    expect(answers.filter((a) => a.startsWith('busy:'))).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('other:'))).toHaveLength(3);
    expect(busy.server.exported[0]!.flow!.executes!.rejected).toBe(1);
  }, 20_000);
});

describe('actives (consumer)', () => {
  it('holds calls in flight per provider and method to the limit; a waiting call goes when one ends', async () => {
    const p = await gateProvider('a');
    const r = ref(p.server.address, { timeout: 5000, parameters: { actives: '2' } });
    const calls = [r.proxy.hold('1'), r.proxy.hold('2'), r.proxy.hold('3')];
    await until(() => p.held() === 2);
    expect(await r.proxy.quick('q')).toBe('a:quick:q'); // another method has its own count
    expect(p.peak()).toBe(2);
    p.open(); // 1 and 2 end; 3 gets a slot
    await until(() => p.held() === 1);
    p.open();
    expect(await Promise.all(calls)).toEqual(['a:1', 'a:2', 'a:3']);
    expect(r.flow?.actives?.accepted).toBe(4);
  }, 20_000);

  it('holds the limit on the value path, and as a provider filter when a breaker guards the providers too', async () => {
    const settings: Record<string, string>[] = [{ actives: '1' }, { actives: '1', breaker: 'provider' }];
    for (const parameters of settings) {
      const p = await gateProvider('a');
      const r = ref(p.server.address, { timeout: 5000, parameters });
      const calls = [r.proxy.hold('1'), r.proxy.hold('2')];
      await until(() => p.held() === 1);
      expect(p.peak()).toBe(1);
      p.open();
      await until(() => p.held() === 1);
      p.open();
      expect(await Promise.all(calls)).toEqual(['a:1', 'a:2']);
      expect(p.peak()).toBe(1);
      expect(r.flow?.actives?.accepted).toBe(2);
    }
  }, 20_000);

  it("fails a call that waited its whole timeout with Java's message; retryable as Java's (failover moves on)", async () => {
    const p = await gateProvider('a');
    const single = ref(p.server.address, { timeout: 300, cluster: 'failfast', parameters: { 'hold.actives': '1' } });
    const first = single.proxy.$call('hold', ['1'], { timeout: 5000 });
    await until(() => p.held() === 1);
    const err = (await single.proxy.hold('2').catch((e: unknown) => e)) as LimitExceededError;
    expect(err).toBeInstanceOf(LimitExceededError);
    expect(err.kind).toBe('actives');
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(
      /^Waiting concurrent invoke timeout in client-side for service: {2}org\.example\.Gate, method: hold, elapsed: \d+, timeout: 300\. concurrent invokes: 1\. max concurrent invoke limit: 1$/,
    );
    expect(single.flow?.actives?.rejected).toBe(1);
    p.open();
    expect((await first).value).toBe('a:1');
  }, 20_000);
});
