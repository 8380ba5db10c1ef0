// Balancers over real TS providers on loopback: leastactive and shortestresponse send most calls to the fast
// provider of a fast/slow pair; every cluster strategy reaches real providers by its name.
import { DubboClient, DubboServer, defineService } from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Node {
  name(): string;
}
const NodeDescriptor = defineService<Node>({
  interfaceName: 'org.apache.dubbo.tstest.LiveNode',
  methods: { name: { params: [], returns: 'java.lang.String' } },
});

const servers: DubboServer[] = [];
async function start(name: string, delayMs: number): Promise<DubboServer> {
  const s = new DubboServer({ host: '127.0.0.1', port: 0 });
  s.export(NodeDescriptor, { name: () => new Promise<string>((r) => setTimeout(() => r(name), delayMs)) });
  await s.listen();
  servers.push(s);
  return s;
}

let fast: DubboServer;
let slow: DubboServer;
beforeAll(async () => {
  fast = await start('fast', 0);
  slow = await start('slow', 40);
});
afterAll(async () => {
  for (const s of servers) await s.close(200);
});

/** 400 calls, 20 in flight; how many each provider answered. */
async function drive(loadbalance: string): Promise<Record<string, number>> {
  const client = new DubboClient();
  try {
    const ref = client.refer(NodeDescriptor, { url: `${fast.address};${slow.address}`, loadbalance });
    await ref.ready;
    const counts: Record<string, number> = { fast: 0, slow: 0 };
    let left = 400;
    const worker = async () => {
      while (left-- > 0) counts[await ref.proxy.name()]!++;
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    return counts;
  } finally {
    await client.close();
  }
}

describe('balancers over a fast and a slow provider', () => {
  it.each(['leastactive', 'shortestresponse', 'p2c', 'adaptive'])('%s prefers the fast provider', async (lb) => {
    const counts = await drive(lb);
    expect(counts.fast! + counts.slow!).toBe(400);
    expect(counts.fast).toBeGreaterThan(counts.slow! * 2);
  });

  it('random and roundrobin split evenly (they do not look at load)', async () => {
    const rr = await drive('roundrobin');
    expect(Math.abs(rr.fast! - rr.slow!)).toBeLessThanOrEqual(20);
    const random = await drive('random');
    expect(random.fast! + random.slow!).toBe(400);
    expect(random.slow).toBeGreaterThan(100);
  });
});
