// A heartbeat-only idle connection stays up past Java's idle timeout (and a Java provider with few workers refuses
// calls with a typed error). The Java InteropProvider runs with
// `--heartbeat 1000`, so Java Dubbo closes a channel that saw neither a read nor a write for 3 x 1000 ms. A TS
// consumer with the same heartbeat period and reconnecting turned off makes one call, stays idle (only heartbeats
// travel) well past that, and must still be connected and able to call on the same connection. The control: a TS
// consumer without heartbeats is closed by Java in the same time, so the idle timeout is really in force.
import { DubboClient, DubboError, type ServiceProxy } from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { type InteropService, InteropServiceDescriptor } from '../support/interop-service.js';
import { type PeerProvider, startJavaProvider } from '../support/peers.js';
import { interopCases } from './interop-cases.js';

const HEARTBEAT_MS = 1000;
/** Worker threads of the Java provider: few, so that a third concurrent call is refused. */
const THREADS = 2;
/** Idle time of the test: past Java's idle timeout (3 x heartbeat) with margin for its idle check. */
const IDLE_MS = HEARTBEAT_MS * 3 + 2500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('heartbeats keep an idle connection to Java open', () => {
  let peer: PeerProvider | undefined;
  const clients: DubboClient[] = [];
  let beat: { client: DubboClient; svc: ServiceProxy<InteropService> };
  let quiet: { client: DubboClient; svc: ServiceProxy<InteropService> };
  const connected = (c: DubboClient) => c.isConnected('127.0.0.1', peer!.port);

  function reference(heartbeatMs: number): { client: DubboClient; svc: ServiceProxy<InteropService> } {
    // reconnect: false, so a connection Java closed stays closed and the next call shows it
    const client = new DubboClient({ heartbeatMs, reconnect: false, timeout: 5000 });
    clients.push(client);
    return { client, svc: client.reference(InteropServiceDescriptor, { url: peer!.url }) };
  }

  beforeAll(async () => {
    peer = await startJavaProvider({ heartbeatMs: HEARTBEAT_MS, threads: THREADS });
    beat = reference(HEARTBEAT_MS);
    quiet = reference(0);
    expect(await beat.svc.echoString('before')).toBe('before');
    expect(await quiet.svc.echoString('before')).toBe('before');
    expect(connected(beat.client)).toBe(true);
    expect(connected(quiet.client)).toBe(true);
    await sleep(IDLE_MS); // both idle: only heartbeats travel on the first connection
  }, 150_000 + IDLE_MS);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await peer?.stop();
  }, 30_000);

  const { check } = interopCases('heartbeat ts->java');

  check(`with heartbeats every ${HEARTBEAT_MS} ms the connection is still open after ${IDLE_MS} ms idle`, async () => {
    expect(connected(beat.client)).toBe(true);
    expect(await beat.svc.echoString('after')).toBe('after');
  });

  check(`control: without heartbeats Java closed the connection as idle (after ${3 * HEARTBEAT_MS} ms)`, () => {
    expect(connected(quiet.client)).toBe(false);
  });

  // Regression (found by this suite, fixed in c4a02a5): with reconnecting off, a call on a connection that closed
  // was queued and never sent or failed (exchange-client.ts kept the first, resolved connect promise), so it waited
  // out its timeout as DUBBO_ERR_CLIENT_TIMEOUT "(never sent: not connected)". Java fails such a call at once.
  check('control: a call on the connection Java closed fails as a connection error, not a timeout', async () => {
    const err = await quiet.svc.echoString('after').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DubboError);
    expect((err as DubboError).code).toBe('DUBBO_ERR_CHANNEL_INACTIVE');
  });

  check(
    `a Java provider with ${THREADS} busy workers answers SERVER_THREADPOOL_EXHAUSTED, as a typed error`,
    async () => {
      const busy = Array.from({ length: THREADS }, () => beat.svc.$call('sleep', [2000], { timeout: 10_000 }));
      const err = await beat.svc.echoString('one too many').then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DubboError);
      expect((err as DubboError).code).toBe('DUBBO_ERR_SERVER_THREADPOOL_EXHAUSTED');
      for (const r of await Promise.all(busy)) expect(r.value).toBe(2000);
      expect(await beat.svc.echoString('workers free again')).toBe('workers free again');
    },
  );
});
