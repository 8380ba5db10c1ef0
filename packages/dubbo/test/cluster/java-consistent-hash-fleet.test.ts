// consistenthash as one fleet: three TS providers (each answering with its own port), a Java Dubbo 3.3 consumer
// (BalanceConsumer: a real ReferenceConfig over the three direct URLs, loadbalance=consistenthash,
// hash.arguments=0,1) and a TS consumer (DubboClient, the same URLs and keys). Both send 500 distinct arguments;
// each argument must reach the same provider from both. Then one provider is stopped while both consumers stay up,
// and both must move exactly the keys that were on it, and still agree.
//
// The URLs are `dubbo://[::ffff:127.0.0.1]:PORT` on both sides: ConsistentHashLoadBalance hashes each provider's
// address, so both must see the same string, and Java connects a direct 127.0.0.1 URL to the machine's own address
// instead (NetUtils.filterLocalHost; see tools/interop/java Args.keepLoopback).
import {
  DubboClient,
  DubboServer,
  DubboUrl,
  defineService,
  type Invoker,
  ProviderInvoker,
  type Reference,
  RpcInvocation,
  RpcResult,
} from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsistentHashLoadBalance } from '../../src/cluster/loadbalance/consistent-hash.js';
import { type JavaBalanceConsumer, startJavaBalanceConsumer } from '../support/peers.js';

interface NodeService {
  who(key: string, n: number): string;
}
const NodeDescriptor = defineService<NodeService>({
  interfaceName: 'org.apache.dubbo.interop.balance.NodeService',
  methods: { who: { params: ['java.lang.String', 'int'], returns: 'java.lang.String' } },
});

const KEYS = 500;
/** BalanceConsumer's keys (non-ASCII among them): `who(key(i), i % 7)`. */
const key = (i: number) => (i % 50 === 0 ? `ключ-${i}` : `key-${i}`);

const servers: DubboServer[] = [];
let urls: string[] = [];
let java: JavaBalanceConsumer | undefined;
let client: DubboClient | undefined;
let ref: Reference<NodeService> | undefined;

beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const s = new DubboServer({ host: '127.0.0.1', port: 0 });
    s.export(NodeDescriptor, { who: () => String(s.port) });
    await s.listen();
    servers.push(s);
  }
  urls = servers.map((s) => `dubbo://[::ffff:127.0.0.1]:${s.port}`);
  java = await startJavaBalanceConsumer(urls, KEYS);
  client = new DubboClient();
  ref = client.refer(NodeDescriptor, {
    url: urls.join(';'),
    loadbalance: 'consistenthash',
    parameters: { 'hash.arguments': '0,1' },
  });
  await ref.ready;
}, 180_000);

afterAll(async () => {
  await java?.stop();
  await client?.close();
  for (const s of servers) await s.close(200).catch(() => {});
}, 60_000);

/** The TS consumer's round: every key once, one after another, as the Java consumer does. */
async function tsRound(): Promise<string[]> {
  const answers: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    try {
      answers.push(await ref!.proxy.who(key(i), i % 7));
    } catch (e) {
      answers.push(`!${(e as Error).name}`);
    }
  }
  return answers;
}

/** What our ConsistentHashLoadBalance alone picks for the keys over the three URLs, as ports. */
function offlinePicks(hashArguments: string): string[] {
  const list = urls.map((u) => {
    const target: Invoker = {
      url: DubboUrl.valueOf(`${u}/${NodeDescriptor.interfaceName}?hash.arguments=${hashArguments}`),
      isAvailable: () => true,
      invoke: async () => new RpcResult(null),
      destroy: () => {},
    };
    return new ProviderInvoker(target);
  });
  const lb = new ConsistentHashLoadBalance();
  const method = NodeDescriptor.methods.get('who')!;
  return Array.from({ length: KEYS }, (_, i) => {
    const inv = new RpcInvocation('who', method.desc, [key(i), i % 7], {});
    inv.method = method;
    return String(lb.select(list, list[0]!.url, inv).url.port);
  });
}

function counts(answers: string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const a of answers) c[a] = (c[a] ?? 0) + 1;
  return c;
}

let before: string[] = [];

describe('consistenthash: a Java 3.3 consumer and a TS consumer over the same three providers', () => {
  it('send each of 500 distinct arguments to the same provider', async () => {
    const javaPicks = await java!.round();
    const tsPicks = await tsRound();
    const ports = servers.map((s) => String(s.port));
    expect(javaPicks).toHaveLength(KEYS);
    expect(
      javaPicks.every((p) => ports.includes(p)),
      JSON.stringify(counts(javaPicks)),
    ).toBe(true);
    const differ = tsPicks.flatMap((p, i) => (p === javaPicks[i] ? [] : [{ key: key(i), ts: p, java: javaPicks[i] }]));
    expect(differ).toEqual([]);
    // Java hashed both arguments (hash.arguments=0,1 reached its balancer): its picks are what our ring gives for
    // key + n, and many differ from the picks of the first argument alone.
    expect(javaPicks).toEqual(offlinePicks('0,1'));
    expect(offlinePicks('0').filter((p, i) => p !== javaPicks[i]).length).toBeGreaterThan(100);
    // Every provider owns a fair share of the keys (ketama, 160 points each).
    for (const p of ports) expect(counts(javaPicks)[p], JSON.stringify(counts(javaPicks))).toBeGreaterThan(50);
    before = javaPicks;
  });

  it('after one provider stops, move only the keys that were on it, and still agree', async () => {
    expect(before).toHaveLength(KEYS);
    const gone = servers[1]!;
    const gonePort = String(gone.port);
    await gone.close(1000);
    const javaAfter = await java!.round();
    const tsAfter = await tsRound();
    const differ = tsAfter.flatMap((p, i) => (p === javaAfter[i] ? [] : [{ key: key(i), ts: p, java: javaAfter[i] }]));
    expect(differ).toEqual([]);
    const survivors = [servers[0]!, servers[2]!].map((s) => String(s.port));
    let moved = 0;
    for (let i = 0; i < KEYS; i++) {
      expect(survivors, `${key(i)} answered ${javaAfter[i]}`).toContain(javaAfter[i]);
      if (before[i] === gonePort) moved++;
      else expect(javaAfter[i], `${key(i)} moved off a provider that stayed`).toBe(before[i]);
    }
    expect(moved).toBe(counts(before)[gonePort]);
    expect(moved).toBeGreaterThan(50);
  });
});
