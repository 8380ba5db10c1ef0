// Every cluster strategy over real TS providers on loopback that answer, refuse (an RPC failure), hang past the
// call timeout, or throw (a service exception): what is called, how often, what the caller gets.
import {
  clusters,
  DubboClient,
  DubboError,
  DubboServer,
  defineService,
  type Filter,
  loadBalances,
} from '@dubbo-ts/dubbo';
import { JavaException } from '@dubbo-ts/hessian2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failbackClusterWith } from '../../src/cluster/support/failback-cluster.js';

interface Probe {
  who(): string;
  names(): string[];
}
const ProbeDescriptor = defineService<Probe>({
  interfaceName: 'org.apache.dubbo.tstest.ClusterProbe',
  methods: { who: { params: [], returns: 'java.lang.String' }, names: { params: [], returns: 'java.util.List' } },
});

type Mode = 'ok' | 'refuse' | 'hang' | 'throw';
interface P {
  server: DubboServer;
  mode: Mode;
  calls: number;
  url: string;
}
const ps = new Map<string, P>();
const releases: (() => void)[] = [];

async function start(name: string, mode: Mode): Promise<void> {
  const p = { mode, calls: 0 } as P;
  const gate: Filter = (next) => (inv) => {
    p.calls++;
    if (p.mode === 'refuse') {
      return Promise.reject(new DubboError('DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED', `${name} busy`));
    }
    if (p.mode === 'hang') return new Promise((r) => releases.push(() => r(next(inv))));
    return next(inv);
  };
  p.server = new DubboServer({ host: '127.0.0.1', port: 0, filters: [gate] });
  p.server.export(ProbeDescriptor, {
    who: () => {
      if (p.mode === 'throw') throw new JavaException('java.lang.IllegalStateException', `thrown by ${name}`);
      return name;
    },
    names: () => [name],
  });
  await p.server.listen();
  p.url = `dubbo://127.0.0.1:${p.server.port}`;
  ps.set(name, p);
}

beforeAll(async () => {
  for (const [n, m] of [
    ['ok', 'ok'],
    ['ok2', 'ok'],
    ['refuse', 'refuse'],
    ['hang', 'hang'],
    ['throw', 'throw'],
  ] as const) {
    await start(n, m);
  }
  loadBalances.register('live-first', () => ({ select: (l) => l[0]! }));
  clusters.register('failback-fast', failbackClusterWith({ periodMs: 50 }));
});
afterAll(async () => {
  for (const r of releases) r();
  loadBalances.unregister('live-first');
  clusters.unregister('failback-fast');
  for (const p of ps.values()) await p.server.close(200);
});

const url = (...names: string[]) => names.map((n) => ps.get(n)!.url).join(';');
const calls = (...names: string[]) => names.map((n) => ps.get(n)!.calls);
const reset = () => {
  for (const p of ps.values()) p.calls = 0;
};
async function ref(cluster: string, names: string[], extra: Record<string, unknown> = {}) {
  const client = new DubboClient();
  const r = client.refer(ProbeDescriptor, { url: url(...names), cluster, loadbalance: 'live-first', ...extra });
  await r.ready;
  return { client, proxy: r.proxy };
}

describe('cluster strategies over real providers', () => {
  it('failfast: the refusal reaches the caller after one call', async () => {
    reset();
    const { client, proxy } = await ref('failfast', ['refuse', 'ok']);
    await expect(proxy.who()).rejects.toMatchObject({ code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED' });
    expect(calls('refuse', 'ok')).toEqual([1, 0]);
    await client.close();
  });

  it('failsafe: a timed-out call resolves null after one call; a service exception is still thrown', async () => {
    reset();
    const { client, proxy } = await ref('failsafe', ['hang', 'ok']);
    expect(await proxy.who()).toBeNull();
    expect(calls('hang', 'ok')).toEqual([1, 0]);
    const thrower = await ref('failsafe', ['throw']);
    await expect(thrower.proxy.who()).rejects.toBeInstanceOf(JavaException);
    await client.close();
    await thrower.client.close();
  });

  it('failback: resolves null at once, then retries in the background on another provider', async () => {
    reset();
    const { client, proxy } = await ref('failback-fast', ['refuse', 'ok']);
    expect(await proxy.who()).toBeNull();
    for (let i = 0; i < 200 && ps.get('ok')!.calls === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(calls('refuse', 'ok')).toEqual([1, 1]);
    await client.close();
  });

  it('forking: the first answer of two providers wins over a hanging one', async () => {
    reset();
    const { client, proxy } = await ref('forking', ['hang', 'ok'], { parameters: { forks: '2' } });
    expect(await proxy.who()).toBe('ok');
    expect(calls('hang', 'ok')).toEqual([1, 1]);
    await client.close();
  });

  it('broadcast: every provider is called; one failure fails the call', async () => {
    reset();
    const all = await ref('broadcast', ['ok', 'ok2']);
    expect(await all.proxy.who()).toBe('ok2');
    expect(calls('ok', 'ok2')).toEqual([1, 1]);
    const withRefusal = await ref('broadcast', ['ok', 'refuse', 'ok2']);
    await expect(withRefusal.proxy.who()).rejects.toMatchObject({ code: 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED' });
    expect(calls('ok', 'refuse', 'ok2')).toEqual([2, 1, 2]);
    await all.client.close();
    await withRefusal.client.close();
  });

  it('available: the first available provider only', async () => {
    reset();
    const { client, proxy } = await ref('available', ['ok2', 'ok']);
    for (let i = 0; i < 5; i++) expect(await proxy.who()).toBe('ok2');
    expect(calls('ok2', 'ok')).toEqual([5, 0]);
    await client.close();
  });

  it('mock: force: answers without a call; fail: answers the refusal, not the service exception', async () => {
    reset();
    const forced = await ref('failfast', ['ok'], { mock: "force:return 'cached'" });
    expect(await forced.proxy.who()).toBe('cached');
    expect(calls('ok')).toEqual([0]);
    const fallback = await ref('failfast', ['refuse'], { mock: "fail:return 'fallback'" });
    expect(await fallback.proxy.who()).toBe('fallback');
    const thrower = await ref('failfast', ['throw'], { mock: "fail:return 'fallback'" });
    await expect(thrower.proxy.who()).rejects.toBeInstanceOf(JavaException);
    for (const r of [forced, fallback, thrower]) await r.client.close();
  });
});
