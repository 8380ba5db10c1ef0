// The interop harness itself: the Java and Go providers start and report their port, each language's consumer runs
// against the other language's provider, and the consumer output parser reads PASS/FAIL/SUMMARY lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatReport,
  type PeerProvider,
  parseConsumerOutput,
  runGoConsumer,
  runJavaConsumer,
  startGoProvider,
  startJavaProvider,
} from '../support/peers.js';

describe('parseConsumerOutput', () => {
  it('reads PASS, FAIL (names with parentheses and colons) and SUMMARY lines', () => {
    const r = parseConsumerOutput(
      [
        'some log line',
        'PASS echoInt(0)',
        'FAIL echoString(a: b): expected <x> but got <y>',
        'FAIL throwCustom',
        'PASS load 10000 calls, 100 in flight',
        'SUMMARY passed=2 failed=2',
        '',
      ].join('\n'),
    );
    expect(r.passed).toEqual(['echoInt(0)', 'load 10000 calls, 100 in flight']);
    expect(r.failed).toEqual([
      { name: 'echoString(a: b)', reason: 'expected <x> but got <y>' },
      { name: 'throwCustom', reason: '' },
    ]);
    expect(r.summary).toEqual({ passed: 2, failed: 2 });
  });

  it('has no summary when the consumer printed none', () => {
    expect(parseConsumerOutput('PASS a\n').summary).toBeNull();
  });
});

describe('interop peers (Java Dubbo 3.3.6, dubbo-go v3.3.2)', () => {
  let java: PeerProvider | undefined;
  let go: PeerProvider | undefined;

  beforeAll(async () => {
    [java, go] = await Promise.all([startJavaProvider(), startGoProvider()]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([java?.stop(), go?.stop()]);
  }, 30_000);

  it('the providers print READY with a loopback port and keep running', () => {
    expect(java!.port).toBeGreaterThan(0);
    expect(go!.port).toBeGreaterThan(0);
    expect(java!.running).toBe(true);
    expect(go!.running).toBe(true);
  });

  it('the Java consumer runs its go subset against the Go provider', async () => {
    const r = await runJavaConsumer(go!.url, {
      only: 'go',
      filter: '^(echoString\\(hello\\)|makePerson|throwCustom)$',
    });
    console.log(formatReport('java->go (harness)', r));
    expect(r.failed).toEqual([]);
    expect(r.passed).toEqual(['echoString(hello)', 'makePerson', 'throwCustom']);
    expect(r.summary).toEqual({ passed: 3, failed: 0 });
    expect(r.exitCode).toBe(0);
  }, 150_000);

  it('the Go consumer runs against the Java provider', async () => {
    const r = await runGoConsumer(java!.url, { filter: '^(echoString\\(hello\\)|makePerson|throwCustom)$' });
    console.log(formatReport('go->java (harness)', r));
    expect(r.failed).toEqual([]);
    expect(r.passed).toEqual(['echoString(hello)', 'makePerson', 'throwCustom']);
    expect(r.summary).toEqual({ passed: 3, failed: 0 });
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it('a stopped provider is gone', async () => {
    const p = await startGoProvider();
    expect(p.running).toBe(true);
    await p.stop();
    expect(p.running).toBe(false);
    await p.stop();
  }, 60_000);
});
