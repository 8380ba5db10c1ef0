// The other direction of heartbeats: Java Dubbo 3.3 consumers idle on a TS provider that closes connections which
// read nothing for 3 s (idleTimeoutMs). Each Java consumer (java/IdleConsumer.java) calls, stays idle 5.5 s, and
// calls again; the TS provider records the consumer's address (ip:port) on each call, so the same address means the
// same connection survived. Either side's heartbeats must keep it: the TS provider's own (heartbeatMs 1000, Java
// answers them) or the Java consumer's (heartbeat=1000, the TS provider answers them). The control, with no
// heartbeats at all, is closed by the TS provider and has to reconnect.

import { fileURLToPath } from 'node:url';
import { DubboServer, type Filter } from '@dubbo-ts/dubbo';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { InteropServiceDescriptor, interopServiceImpl } from '../support/interop-service.js';
import { runJavaSource } from '../support/peers.js';
import { interopCases } from './interop-cases.js';

const IDLE_TIMEOUT_MS = 3000;
const IDLE_MS = IDLE_TIMEOUT_MS + 2500;
const idleConsumer = fileURLToPath(new URL('./java/IdleConsumer.java', import.meta.url));

interface Scenario {
  readonly server: DubboServer;
  /** Remote address of each echoString call, in order. */
  readonly callers: string[];
  lines: string[];
}

async function scenario(providerHeartbeatMs: number): Promise<Scenario> {
  const callers: string[] = [];
  const record: Filter = (next) => (inv) => {
    if (inv.methodName === 'echoString') callers.push(inv.remoteAddress);
    return next(inv);
  };
  const server = new DubboServer({
    host: '127.0.0.1',
    port: 0,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    heartbeatMs: providerHeartbeatMs,
    filters: [record],
  });
  server.export(InteropServiceDescriptor, interopServiceImpl);
  await server.listen();
  return { server, callers, lines: [] };
}

describe('Java consumers idle on a TS provider with a 3 s idle timeout', () => {
  let providerBeats: Scenario;
  let consumerBeats: Scenario;
  let silent: Scenario;

  beforeAll(async () => {
    providerBeats = await scenario(1000);
    consumerBeats = await scenario(0);
    silent = await scenario(0);
    const run = async (s: Scenario, consumerHeartbeat?: number) => {
      const args = [`dubbo://127.0.0.1:${s.server.port}`, String(IDLE_MS)];
      if (consumerHeartbeat !== undefined) args.push(String(consumerHeartbeat));
      const r = await runJavaSource(idleConsumer, args, { timeoutMs: 120_000 });
      s.lines = r.lines.filter((l) => /^(CALL\d|DONE)/.test(l));
      if (!s.lines.includes('DONE')) throw new Error(`IdleConsumer did not finish: ${r.lines.join('\n')}\n${r.stderr}`);
    };
    await Promise.all([run(providerBeats), run(consumerBeats, 1000), run(silent)]);
  }, 150_000);

  afterAll(async () => {
    await Promise.all([providerBeats, consumerBeats, silent].map((s) => s?.server.close(1000)));
  });

  const { check } = interopCases('heartbeat java->ts');

  check('TS provider heartbeats (Java answers them) keep the idle Java connection open', () => {
    expect(providerBeats.lines).toEqual(['CALL1 ok', 'CALL2 ok', 'DONE']);
    expect(providerBeats.callers).toHaveLength(2);
    expect(providerBeats.callers[1]).toBe(providerBeats.callers[0]);
  });

  check('Java consumer heartbeats (the TS provider answers them) keep the idle connection open', () => {
    expect(consumerBeats.lines).toEqual(['CALL1 ok', 'CALL2 ok', 'DONE']);
    expect(consumerBeats.callers).toHaveLength(2);
    expect(consumerBeats.callers[1]).toBe(consumerBeats.callers[0]);
  });

  check('control: without heartbeats the TS provider closes the idle connection (the second call is not on it)', () => {
    expect(silent.lines[0]).toBe('CALL1 ok');
    expect(silent.callers.length).toBeGreaterThanOrEqual(1);
    // either Java reconnected (another local port) or its second call failed on the closed channel
    if (silent.lines[1] === 'CALL2 ok') expect(silent.callers[1]).not.toBe(silent.callers[0]);
    else expect(silent.callers).toHaveLength(1);
  });
});
