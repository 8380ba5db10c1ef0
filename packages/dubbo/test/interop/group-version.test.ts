// Java and Go consumers reach the right TS service by group and version: the TS provider exports InteropService
// twice, as g1:1.0.0 (the faithful implementation) and g2:2.0.0 (whose echoString answers reversed), and each
// consumer, given a full service URL with `group` and `version`, must land on the one it names.
import { DubboServer } from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { runGoConsumer, runJavaConsumer } from '../support/peers.js';
import { interopCases } from './interop-cases.js';

const reversed = {
  ...interopServiceImpl,
  echoString: (v: string | null) => (v === null ? null : [...v].reverse().join('')),
};

describe('group and version: Java and Go consumers -> TS provider', () => {
  let server: DubboServer;
  const url = (group: string, version: string) =>
    `dubbo://127.0.0.1:${server.port}/${InteropServiceDescriptor.interfaceName}?group=${group}&version=${version}`;

  beforeAll(async () => {
    server = new DubboServer({ host: '127.0.0.1', port: 0, decoder: { longAs: 'long', exactDoubles: true } });
    server.export(InteropServiceDescriptor, interopServiceImpl, { group: 'g1', version: '1.0.0' });
    server.export(InteropServiceDescriptor, reversed, { group: 'g2', version: '2.0.0' });
    await server.listen();
  });

  afterAll(async () => {
    await server?.close(1000);
  });

  const { check } = interopCases('group/version java,go->ts');
  const one = '^echoString\\(hello\\)$';

  check(
    'Java consumer of g1:1.0.0 gets the faithful echo',
    async () => {
      const r = await runJavaConsumer(url('g1', '1.0.0'), { filter: one, callTimeoutMs: 5000, timeoutMs: 60_000 });
      expect(r.failed).toEqual([]);
      expect(r.passed).toEqual(['echoString(hello)']);
    },
    70_000,
  );
  check(
    'Java consumer of g2:2.0.0 reaches the other service (its echo is reversed)',
    async () => {
      const r = await runJavaConsumer(url('g2', '2.0.0'), { filter: one, callTimeoutMs: 5000, timeoutMs: 60_000 });
      expect(r.passed).toEqual([]);
      expect(r.failed).toHaveLength(1);
      expect(r.failed[0]!.reason).toContain('but got <olleh');
    },
    70_000,
  );
  check(
    'Go consumer of g1:1.0.0 gets the faithful echo',
    async () => {
      const r = await runGoConsumer(url('g1', '1.0.0'), { filter: one });
      expect(r.failed).toEqual([]);
      expect(r.passed).toEqual(['echoString(hello)']);
    },
    60_000,
  );
  check(
    'Go consumer of g2:2.0.0 reaches the other service (its echo is reversed)',
    async () => {
      const r = await runGoConsumer(url('g2', '2.0.0'), { filter: one });
      expect(r.passed).toEqual([]);
      expect(r.failed).toHaveLength(1);
      expect(r.failed[0]!.reason).toContain('olleh');
    },
    60_000,
  );
  check(
    'a Java consumer of an unexported version gets an error naming the service, not a hang',
    async () => {
      const r = await runJavaConsumer(url('g1', '9.9.9'), { filter: one, callTimeoutMs: 5000, timeoutMs: 60_000 });
      expect(r.passed).toEqual([]);
      expect(r.failed).toHaveLength(1);
      // Java's own wording: RemotingException "Not found exported service: g1/...InteropService:9.9.9 in [...]"
      expect(r.failed[0]!.reason).toContain(
        'Not found exported service: g1/org.apache.dubbo.interop.service.InteropService:9.9.9',
      );
      expect(r.failed[0]!.reason).not.toContain('Timeout after');
    },
    70_000,
  );
});
