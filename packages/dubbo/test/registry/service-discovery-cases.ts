// Cases of the application-level discovery tests that run the same on ZooKeeper and on etcd.
import {
  createRegistry,
  DubboServer,
  defineService,
  type Registry,
  referenceFromRegistry,
  registerServer,
  type ServiceDiscoveryRegistry,
} from '@dubbo-ts/dubbo';
import type { ServiceInstance } from '@dubbo-ts/dubbo/extension';
import { expect } from 'vitest';
import { unique } from '../support/services.js';
import { consumerUrl, RecordingListener } from './registry-helpers.js';

export interface Greeter {
  greet(name: string): string;
}

/** A greeter service of its own (`org.apache.dubbo.tstest.{name}{unique}`), so runs and tests do not meet. */
export const greeter = (name: string) =>
  defineService<Greeter>({
    interfaceName: `org.apache.dubbo.tstest.${name}${unique().replace(/-/g, '')}`,
    methods: { greet: { params: ['java.lang.String'], returns: 'java.lang.String' } },
  });

/** An instance of `app` at `127.0.0.1:{port}` whose only metadata is its `dubbo.metadata.revision`. */
export const instanceAtRevision = (app: string, port: number, revision: string): ServiceInstance => ({
  serviceName: app,
  host: '127.0.0.1',
  port,
  metadata: { 'dubbo.metadata.revision': revision },
});

/** The `dubbo.metadata.revision`s of a delivered instance list, comma-joined (undefined without a list). */
export const revisionOf = (list: readonly ServiceInstance[] | undefined) =>
  list?.map((i) => i.metadata['dubbo.metadata.revision']).join(',');

/**
 * A provider registered at application level in `registryUrl` (`...?registry-type=service`) exports `second` after a
 * consumer watches its application for `first`: the instance is written again under the same key with a new metadata
 * revision, and the consumer finds `second` by asking that revision's MetadataService, then calls it.
 */
export async function findsServiceExportedLaterByNewRevision(
  registryUrl: string,
  app: string,
  [First, Second]: readonly [ReturnType<typeof greeter>, ReturnType<typeof greeter>],
  cleanups: (() => Promise<unknown>)[],
): Promise<void> {
  const consumer = createRegistry(registryUrl) as ServiceDiscoveryRegistry;
  const providerRegistry = createRegistry(registryUrl) as ServiceDiscoveryRegistry;
  cleanups.push(
    () => consumer.destroy(),
    () => providerRegistry.destroy(),
  );
  const server = new DubboServer({ host: '127.0.0.1', port: 0 });
  server.export(First, { greet: (n: string) => `first hi ${n}` });
  await server.listen();
  cleanups.push(() => server.close(100));
  const options = {
    registry: [] as Registry[],
    discovery: providerRegistry.discovery,
    registerMode: 'instance' as const,
    application: app,
  };
  const first = await registerServer(server, options);
  cleanups.push(() => first.unregister());

  // The consumer watches the application (for First) before the provider exports Second.
  const address = `127.0.0.1:${server.port}`;
  const firstListener = new RecordingListener();
  await consumer.subscribe(consumerUrl(First.interfaceName), firstListener);
  await firstListener.waitForAddresses([address]);
  const secondListener = new RecordingListener();
  await consumer.subscribe(consumerUrl(Second.interfaceName), secondListener);

  server.export(Second, { greet: (n: string) => `second hi ${n}` });
  const second = await registerServer(server, options);
  cleanups.push(() => second.unregister());
  expect(second.metadata?.revision).not.toBe(first.metadata?.revision);
  // Same instance key, new revision: the consumer asks the MetadataService again and finds Second there.
  await secondListener.waitForAddresses([address]);
  expect(secondListener.urls[0]?.path).toBe(Second.interfaceName);
  expect(secondListener.urls[0]?.getParameter('application')).toBe(app);
  expect(firstListener.urls.map((u) => u.address)).toEqual([address]);
  const ref = referenceFromRegistry(Second, { registry: consumer, waitMs: 15_000 });
  cleanups.push(() => ref.destroy());
  expect(await ref.proxy.greet('x')).toBe('second hi x');
}
