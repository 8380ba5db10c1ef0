// Helpers of the registry tests: a recording listener that can wait for a condition on the list it was given.
import type { DubboUrl, NotifyListener, Registry, RegistryChange } from '@dubbo-ts/dubbo';
import { DubboUrl as Url } from '@dubbo-ts/dubbo';
import { expect } from 'vitest';

/** A listener that keeps every notification and lets a test wait for a predicate on the latest list. */
export class RecordingListener implements NotifyListener {
  readonly history: { urls: readonly DubboUrl[]; change: RegistryChange; at: number }[] = [];
  private waiters: { pred: (urls: readonly DubboUrl[]) => boolean; resolve: () => void }[] = [];

  notify(urls: readonly DubboUrl[], change: RegistryChange): void {
    this.history.push({ urls, change, at: performance.now() });
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(urls)) return true;
      w.resolve();
      return false;
    });
  }

  /** The latest list ([] before any notification). */
  get urls(): readonly DubboUrl[] {
    return this.history.at(-1)?.urls ?? [];
  }

  /** Resolves when the latest list satisfies `pred` (at once if it already does); rejects after `timeoutMs`. */
  waitFor(pred: (urls: readonly DubboUrl[]) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
    if (this.history.length > 0 && pred(this.urls)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last list: ${this.urls.length} URLs`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ pred, resolve: done });
    });
  }

  /** Waits until the list has exactly these hosts:ports (order ignored). */
  waitForAddresses(addresses: readonly string[], timeoutMs?: number): Promise<void> {
    const want = [...addresses].sort().join(',');
    return this.waitFor(
      (urls) =>
        urls
          .map((u) => u.address)
          .sort()
          .join(',') === want,
      timeoutMs,
      `addresses [${want}]`,
    );
  }
}

/** A provider URL as Java writes it (the keys a Java 3.3 provider registers). */
export function providerUrl(iface: string, port: number, extra: Record<string, string> = {}): DubboUrl {
  return new Url({
    protocol: 'dubbo',
    host: '127.0.0.1',
    port,
    path: iface,
    parameters: {
      anyhost: 'false',
      application: 'dubbo-ts-registry-test',
      deprecated: 'false',
      dubbo: '2.0.2',
      dynamic: 'true',
      generic: 'false',
      interface: iface,
      methods: 'greet,hello',
      release: '3.3.6',
      serialization: 'hessian2',
      side: 'provider',
      timestamp: '1700000000000',
      ...extra,
    },
  });
}

/** The consumer URL a subscription is made with (Java's `consumer://` URL with the categories it watches). */
export function consumerUrl(iface: string, extra: Record<string, string> = {}): DubboUrl {
  return new Url({
    protocol: 'consumer',
    host: '127.0.0.1',
    path: iface,
    parameters: { interface: iface, category: 'providers', side: 'consumer', check: 'false', ...extra },
  });
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (polling, bounded by `timeoutMs`) until `cond` holds; rejects when it does not in time. */
export async function until(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * 1,000 providers of `name` registered through `provider` reach a subscriber of `consumer`, then one more added and
 * one removed each arrive as a one-URL change; prints the `NOTIFY {kind}` line (write -> listener times).
 */
export async function holdsThousandProviders(
  kind: 'zookeeper' | 'etcd',
  provider: Registry,
  consumer: Registry,
  name: string,
): Promise<void> {
  const urls = Array.from({ length: 1000 }, (_, i) => providerUrl(name, 30000 + i));
  for (let i = 0; i < urls.length; i += 100) await Promise.all(urls.slice(i, i + 100).map((u) => provider.register(u)));
  const listener = new RecordingListener();
  await consumer.subscribe(consumerUrl(name), listener);
  await listener.waitFor((u) => u.length === 1000, 30_000, '1000 providers');

  const t0 = performance.now();
  await provider.register(providerUrl(name, 31000));
  await listener.waitFor((u) => u.length === 1001, 10_000, '1001 providers');
  const tAdd = performance.now() - t0;
  expect(listener.history.at(-1)?.change.added.map((u) => u.port)).toEqual([31000]);
  const t1 = performance.now();
  await provider.unregister(urls[500] as DubboUrl);
  await listener.waitFor((u) => u.length === 1000, 10_000, '1000 providers again');
  const tRemove = performance.now() - t1;
  expect(listener.history.at(-1)?.change.removed.map((u) => u.port)).toEqual([30500]);
  console.log(
    `NOTIFY ${kind} 1000 providers: add one ${tAdd.toFixed(1)} ms, remove one ${tRemove.toFixed(1)} ms (write -> listener)`,
  );
}
