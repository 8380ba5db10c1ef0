// Heartbeats, a full provider pool, the payload limit and closing, end to end over loopback.
import { DubboClient, DubboError, DubboServer, defineService } from '@dubbo-ts/dubbo';
import { getLogger, setLogger } from '@dubbo-ts/gost';
import { describe, expect, it } from 'vitest';

const Slow = defineService<{
  slow(ms: number): Promise<number>;
  big(n: number): Promise<string>;
  echo(s: string): Promise<string>;
}>({
  interfaceName: 'test.Slow',
  methods: {
    slow: { params: ['long'], returns: 'long' },
    big: { params: ['int'], returns: 'java.lang.String' },
    echo: { params: ['java.lang.String'], returns: 'java.lang.String' },
  },
});
const impl = {
  slow: (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms)),
  big: (n: number) => 'x'.repeat(n),
  echo: (s: string) => s,
};

describe('limits and liveness', () => {
  it('keeps an idle connection alive: the consumer sends heartbeats, the provider answers them', async () => {
    const server = new DubboServer({ port: 0, idleTimeoutMs: 400 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ heartbeatMs: 100 });
    try {
      const svc = client.reference(Slow, { url: server.address });
      expect(await svc.echo('a')).toBe('a');
      const connected = () => client.isConnected('127.0.0.1', server.port);
      // idle for longer than the server's idle timeout: only heartbeats keep the connection open
      await new Promise((r) => setTimeout(r, 1200));
      expect(connected()).toBe(true);
      expect(await svc.echo('b')).toBe('b');
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('keeps an idle connection alive: the provider sends heartbeats, the consumer answers them', async () => {
    const server = new DubboServer({ port: 0, idleTimeoutMs: 400, heartbeatMs: 100 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ heartbeatMs: 0 });
    try {
      const svc = client.reference(Slow, { url: server.address });
      expect(await svc.echo('a')).toBe('a');
      await new Promise((r) => setTimeout(r, 1200));
      expect(client.isConnected('127.0.0.1', server.port)).toBe(true);
      expect(await svc.echo('b')).toBe('b');
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('closes a silent connection after the provider idle timeout', async () => {
    const server = new DubboServer({ port: 0, idleTimeoutMs: 300, heartbeatMs: 0 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ heartbeatMs: 0, reconnect: false });
    try {
      const svc = client.reference(Slow, { url: server.address });
      expect(await svc.echo('a')).toBe('a');
      await new Promise((r) => setTimeout(r, 1000));
      expect(client.isConnected('127.0.0.1', server.port)).toBe(false);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('answers SERVER_THREADPOOL_EXHAUSTED_ERROR when the provider pool is full', async () => {
    const server = new DubboServer({ port: 0, taskPool: { queues: 1, workers: 1, queueLength: 1 } });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ timeout: 5000 });
    try {
      const svc = client.reference(Slow, { url: server.address });
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => svc.slow(200)));
      const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as DubboError).code));
      expect(codes).toContain('ok');
      expect(codes).toContain('DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED');
      expect(await svc.echo('after')).toBe('after');
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('warns about a full pool at most once a second, with the count refused, not once per request', async () => {
    const server = new DubboServer({ port: 0, taskPool: { queues: 1, workers: 1, queueLength: 1 } });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ timeout: 5000 });
    const before = getLogger();
    const warnings: string[] = [];
    setLogger({ ...before, warn: (msg: string) => void warnings.push(msg) });
    try {
      const svc = client.reference(Slow, { url: server.address, retries: 0 });
      const results = await Promise.allSettled(Array.from({ length: 40 }, () => svc.slow(300)));
      const refused = results.filter(
        (r) => r.status === 'rejected' && (r.reason as DubboError).code === 'DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED',
      ).length;
      const lines = warnings.filter((w) => w.includes('thread pool exhausted'));
      expect(refused).toBeGreaterThan(10);
      expect(lines.length).toBeGreaterThanOrEqual(1);
      expect(lines.length).toBeLessThan(refused);
    } finally {
      setLogger(before);
      await client.close();
      await server.close();
    }
  });

  it('refuses a request and a response over the payload limit with typed errors', async () => {
    const server = new DubboServer({ port: 0, payload: 4096 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ payload: 4096 });
    try {
      const svc = client.reference(Slow, { url: server.address });
      const req = (await svc.echo('y'.repeat(5000)).catch((e: unknown) => e)) as DubboError;
      expect(req.code).toBe('DUBBO_ERR_PAYLOAD_LIMIT');
      const res = (await svc.big(5000).catch((e: unknown) => e)) as DubboError;
      expect(res.code).toBe('DUBBO_ERR_BAD_RESPONSE');
      expect(res.message).toMatch(/Data length too large/);
      expect(await svc.big(10)).toBe('x'.repeat(10));
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('fails pending calls with DUBBO_ERR_CLOSED when the client closes, and later calls too', async () => {
    const server = new DubboServer({ port: 0 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ timeout: 5000 });
    const svc = client.reference(Slow, { url: server.address });
    expect(await svc.echo('x')).toBe('x');
    const pending = svc.slow(500).catch((e: unknown) => e);
    await client.close();
    expect(await pending).toMatchObject({ code: 'DUBBO_ERR_CLOSED' });
    await expect(svc.echo('y')).rejects.toMatchObject({ code: 'DUBBO_ERR_CLOSED' });
    expect(() => client.reference(Slow, { url: server.address })).toThrow(DubboError);
    await server.close();
  });

  it('delivers responses beyond getty maxPendingBytes (waits for drain, drops nothing)', async () => {
    const server = new DubboServer({ port: 0 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ timeout: 20_000 });
    try {
      const svc = client.reference(Slow, { url: server.address });
      // 12 x 1 MiB requests and responses in flight at once: more than the 4 MiB getty lets wait per session
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => svc.echo(String(i % 10).repeat(1 << 20))));
      results.forEach((r, i) => {
        expect(r.length).toBe(1 << 20);
        expect(r[0]).toBe(String(i % 10));
      });
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('after the connection drops: fails at once without reconnect, completes after reconnecting with it', async () => {
    const server = new DubboServer({ port: 0 });
    server.export(Slow, impl);
    await server.listen();
    const port = server.port;
    const noRetry = new DubboClient({ timeout: 5000, reconnect: false });
    const retry = new DubboClient({ timeout: 5000, reconnect: { initialMs: 20, maxMs: 100 } });
    let again: DubboServer | null = null;
    try {
      const a = noRetry.reference(Slow, { url: server.address });
      const b = retry.reference(Slow, { url: server.address });
      expect(await a.echo('x')).toBe('x');
      expect(await b.echo('x')).toBe('x');
      await server.close(100);
      await new Promise((r) => setTimeout(r, 50));
      const err = (await a.echo('y').catch((e: unknown) => e)) as DubboError;
      expect(err.code).toBe('DUBBO_ERR_CHANNEL_INACTIVE');
      const later = b.echo('while down');
      again = new DubboServer({ port });
      again.export(Slow, impl);
      await again.listen();
      expect(await later).toBe('while down');
    } finally {
      await noRetry.close();
      await retry.close();
      await again?.close();
    }
  });

  it('fails calls pending on a connection the provider drops with CHANNEL_INACTIVE', async () => {
    const server = new DubboServer({ port: 0 });
    server.export(Slow, impl);
    await server.listen();
    const client = new DubboClient({ timeout: 5000, reconnect: false });
    try {
      const svc = client.reference(Slow, { url: server.address });
      expect(await svc.echo('x')).toBe('x');
      const pending = svc.slow(2000).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      await server.close(50);
      expect(await pending).toMatchObject({ code: 'DUBBO_ERR_CHANNEL_INACTIVE' });
    } finally {
      await client.close();
    }
  });
});
