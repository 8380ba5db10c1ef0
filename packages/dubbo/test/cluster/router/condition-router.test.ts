// Condition routers, checked against the cases of Java 3.3's own tests (ConditionStateRouterTest,
// ConditionStateRouterTestV31; read there, written here) and the edges listed in governance.md section 9.
import { DubboUrl, defineService, type Invoker, ProviderInvoker, RpcInvocation, RpcResult } from '@dubbo-ts/dubbo';
import { ConditionRouter, matchWhen, parseCondition, parseConditionRule } from '@dubbo-ts/dubbo/extension';
import { type Logger, setLogger, silentLogger } from '@dubbo-ts/gost';
import { java, Long } from '@dubbo-ts/hessian2';
import { afterEach, describe, expect, it } from 'vitest';

const LOCAL = '127.0.0.1';

/** A provider whose URL reads are counted (to see what routing recomputes). */
function provider(url: string, reads?: { n: number }): ProviderInvoker {
  const u = DubboUrl.valueOf(url);
  const target: Invoker = {
    get url() {
      if (reads) reads.n++;
      return u;
    },
    isAvailable: () => true,
    invoke: async () => new RpcResult(url),
    destroy: () => {},
  };
  return new ProviderInvoker(target);
}

/** A router over one v3.0 condition, as Java's tests build one from a `condition://` URL. */
function router(condition: string, force = false): ConditionRouter {
  const r = new ConditionRouter('com.foo.BarService::.condition-router');
  const ok = r.apply(`configVersion: v3.0\nforce: ${force}\nconditions: ${JSON.stringify([condition])}`, 1);
  expect(ok).toBe(true);
  return r;
}

const consumer = (q = '') => DubboUrl.valueOf(`consumer://${LOCAL}/com.foo.BarService${q}`);
const call = (method = 'getFoo', args: unknown[] = [], attachments: Record<string, unknown> = {}) =>
  new RpcInvocation(method, '', args, attachments);
const when = (rule: string, url: string, inv = call()) =>
  matchWhen(parseCondition(rule).when, DubboUrl.valueOf(url), inv);

/** Java's three: 10.20.3.3 and twice 127.0.0.1. */
function three(q1 = '') {
  return [
    provider(`dubbo://10.20.3.3:20880/com.foo.BarService${q1}`),
    provider(`dubbo://${LOCAL}:20880/com.foo.BarService`),
    provider(`dubbo://${LOCAL}:20880/com.foo.BarService`),
  ];
}

describe('condition expressions (ConditionStateRouterTest)', () => {
  it('match the when-part: lists, wildcards, != beside = (testRoute_matchWhen)', () => {
    const c = 'consumer://1.1.1.1/com.foo.BarService';
    expect(when(' => host = 1.2.3.4', c)).toBe(true);
    expect(when('host = 2.2.2.2,1.1.1.1,3.3.3.3 => host = 1.2.3.4', c)).toBe(true);
    expect(when('host = 2.2.2.2,1.1.1.1,3.3.3.3 & host !=1.1.1.1 => host = 1.2.3.4', c)).toBe(false);
    expect(when('host !=4.4.4.4 & host = 2.2.2.2,1.1.1.1,3.3.3.3 => host = 1.2.3.4', c)).toBe(true);
    expect(when('host !=4.4.4.* & host = 2.2.2.2,1.1.1.1,3.3.3.3 => host = 1.2.3.4', c)).toBe(true);
    expect(when('host = 2.2.2.2,1.1.1.*,3.3.3.3 & host != 1.1.1.1 => host = 1.2.3.4', c)).toBe(false);
    expect(when('host = 2.2.2.2,1.1.1.*,3.3.3.3 & host != 1.1.1.2 => host = 1.2.3.4', c)).toBe(true);
  });

  it('read the method from the call, not the URL (testRoute_methodRoute)', () => {
    expect(when('methods=getFoo => host = 1.2.3.4', 'consumer://1.1.1.1/a?methods=setFoo,getFoo,findFoo')).toBe(true);
    expect(when('methods=getFoo => host = 1.2.3.4', 'consumer://1.1.1.1/a?methods=getFoo')).toBe(true);
    expect(when('methods=getFoo & host!=1.1.1.1 => host = 1.2.3.4', 'consumer://1.1.1.1/a?methods=getFoo')).toBe(false);
    expect(when('methods=getFoo & host=1.1.1.1 => host = 1.2.3.4', 'consumer://1.1.1.1/a?methods=getFoo')).toBe(true);
    // A generic call is for its first argument (RpcUtils.getMethodName).
    expect(when('method=getFoo => host=1.2.3.4', 'consumer://1.1.1.1/a', call('$invoke', ['getFoo', [], []]))).toBe(
      true,
    );
    const invs = three();
    expect(
      router(`host = ${LOCAL} & methods = getFoo => host = 10.20.3.3`, true).route(invs, consumer(), call()),
    ).toHaveLength(1);
    expect(
      router(`host = ${LOCAL} & methods = unvalidmethod => host = 10.20.3.3`, true).route(invs, consumer(), call()),
    ).toHaveLength(3);
  });

  it('refuse a misplaced separator with Java message', () => {
    expect(() => parseCondition('=a => host=1')).toThrow(
      expect.objectContaining({
        code: 'DUBBO_ERR_RULE_INVALID',
        message: expect.stringContaining("The error char '=' at index 0"),
      }),
    );
    expect(() => parseCondition('host ,a => host=1')).toThrow("The error char ','");
    expect(() => parseCondition('host &= a')).toThrow("The error char '&='");
    expect(() => parseCondition('  ')).toThrow('Illegal route rule!');
  });
});

describe('condition router v3.0 (ConditionStateRouterTest)', () => {
  it('filters by host, wildcard, != and other parameters (testRoute_matchFilter)', () => {
    const invs = three('?serialization=fastjson');
    const n = (rule: string) => router(rule, true).route(invs, consumer(), call()).length;
    expect(n(`host = ${LOCAL} =>  host = 10.20.3.3`)).toBe(1);
    expect(n(`host = ${LOCAL} =>  host = 10.20.3.* & host != 10.20.3.3`)).toBe(0);
    expect(n(`host = ${LOCAL} =>  host = 10.20.3.3  & host != 10.20.3.3`)).toBe(0);
    expect(n(`host = ${LOCAL} =>  host = 10.20.3.2,10.20.3.3,10.20.3.4`)).toBe(1);
    expect(n(`host = ${LOCAL} =>  host != 10.20.3.3`)).toBe(2);
    expect(n(`host = ${LOCAL} =>  serialization = fastjson`)).toBe(1);
  });

  it('false and empty then-parts leave no provider; a match of all returns the list itself', () => {
    const invs = three();
    expect(router(`host = ${LOCAL} => false`).route(invs, consumer(), call())).toHaveLength(0);
    expect(router(`host = ${LOCAL} => `).route(invs, consumer(), call())).toHaveLength(0);
    const all = [provider(`dubbo://${LOCAL}:20880/a`), provider(`dubbo://${LOCAL}:20881/a`)];
    expect(router(`host = ${LOCAL} => host = ${LOCAL}`).route(all, consumer(), call())).toBe(all);
  });

  it('empty, true and matching when-parts; $host from the consumer URL (HostFilter, Placeholder)', () => {
    for (const rule of [
      `host = ${LOCAL} => host = ${LOCAL}`,
      ` => host = ${LOCAL}`,
      `true => host = ${LOCAL}`,
      `host = ${LOCAL} => host = $host`,
    ]) {
      const invs = three();
      expect(router(rule).route(invs, consumer(), call())).toEqual([invs[1], invs[2]]);
    }
  });

  it('without force an empty result gives every provider; with force none (NoForce, Force)', () => {
    const invs = three();
    expect(router(`host = ${LOCAL} => host = 1.2.3.4`).route(invs, consumer(), call())).toBe(invs);
    expect(router(`host = ${LOCAL} => host = 1.2.3.4`, true).route(invs, consumer(), call())).toHaveLength(0);
  });

  it('reads arguments[N]: null, a value, no index, past the end, a nested path (testRoute_Arguments)', () => {
    const invs = three();
    const r = router('arguments[0] = a  =>  host = 1.2.3.4', true);
    expect(r.route(invs, consumer(), call('m', [null]))).toHaveLength(3);
    expect(r.route(invs, consumer(), call('m', ['a']))).toHaveLength(0);
    expect(router('arguments = b  =>  host = 1.2.3.4', true).route(invs, consumer(), call('m', ['a']))).toHaveLength(3);
    expect(
      router('arguments[10].inner = a  =>  host = 1.2.3.4', true).route(invs, consumer(), call('m', ['a'])),
    ).toHaveLength(3);
    expect(
      router('arguments[0].inner = 1  =>  host = 1.2.3.4', true).route(invs, consumer(), call('m', [1])),
    ).toHaveLength(0);
    // Past the end reads Java's "not found" marker, which != matches.
    expect(
      router('arguments[3] != x  =>  host = 1.2.3.4', true).route(invs, consumer(), call('m', ['a'])),
    ).toHaveLength(0);
  });

  it("compares arguments[N] as Java's String.valueOf: a double 1 is 1.0, an int or long 1 is 1", () => {
    const invs = three();
    const svc = defineService({
      interfaceName: 'com.foo.BarService',
      methods: { d: ['double'], f: ['java.lang.Float'], l: ['long'], o: ['java.lang.Object'] },
    });
    const typed = (m: string, args: unknown[]) => {
      const inv = call(m, args);
      inv.method = svc.methods.get(m)!;
      return inv;
    };
    const r = router('arguments[0] = 1.0  =>  host = 1.2.3.4', true);
    const routed = (inv: RpcInvocation) => r.route(invs, consumer(), inv).length === 0;
    expect(routed(typed('d', [1]))).toBe(true); // declared double
    expect(routed(typed('f', [1]))).toBe(true); // declared Float
    expect(routed(call('m', [java.double(1)]))).toBe(true);
    expect(routed(call('m', [java.float(1)]))).toBe(true);
    expect(routed(typed('l', [1]))).toBe(false); // a long prints 1
    expect(routed(typed('o', [1]))).toBe(false); // written as an Integer
    expect(routed(call('m', [1]))).toBe(false);
    expect(routed(call('m', [Long.fromNumber(1)]))).toBe(false);
    const one = router('arguments[0] = 1  =>  host = 1.2.3.4', true);
    expect(one.route(invs, consumer(), typed('l', [1]))).toHaveLength(0);
    expect(one.route(invs, consumer(), call('m', [1n]))).toHaveLength(0);
    expect(one.route(invs, consumer(), typed('d', [1]))).toHaveLength(3);
    const big = router('arguments[0] = 1.0E7,0.1  =>  host = 1.2.3.4', true);
    expect(big.route(invs, consumer(), typed('d', [1e7]))).toHaveLength(0);
    expect(big.route(invs, consumer(), call('m', [java.float(0.1)]))).toHaveLength(0); // Float.toString, not 0.10000000149011612
  });

  it('reads attachments[k] (testRoute_Attachments)', () => {
    const invs = three('?region=hangzhou');
    const r = router('attachments[foo] = a  =>  host = 1.2.3.4', true);
    expect(r.route(invs, consumer(), call())).toHaveLength(3);
    expect(r.route(invs, consumer(), call('m', [], { foo: 'a' }))).toHaveLength(0);
    expect(
      router('attachments = a  =>  host = 1.2.3.4', true).route(invs, consumer(), call('m', [], { foo: 'a' })),
    ).toHaveLength(3);
    expect(
      router('attachments[foo] = a  =>  region = hangzhou', true).route(invs, consumer(), call('m', [], { foo: 'a' })),
    ).toHaveLength(1);
  });

  it('matches ranges 1~100 and ~100 (testRoute_Range_Pattern)', () => {
    const invs = three('?region=hangzhou');
    const r = router('attachments[user_id] = 1~100  =>  region=hangzhou', true);
    expect(r.route(invs, consumer(), call())).toHaveLength(3);
    expect(r.route(invs, consumer(), call('m', [], { user_id: '80' }))).toHaveLength(1);
    expect(r.route(invs, consumer(), call('m', [], { user_id: '101' }))).toHaveLength(3);
    const upTo = router('attachments[user_id] = ~100  =>  region = hangzhou', true);
    expect(upTo.route(invs, consumer(), call('m', [], { user_id: '1' }))).toHaveLength(1);
    expect(upTo.route(invs, consumer(), call('m', [], { user_id: '101' }))).toHaveLength(3);
  });

  it('a key absent from the URL never matches (testRoute_Key_Not_Exist)', () => {
    const invs = three('?then_key=a');
    const c = consumer('?when_key=a');
    expect(router('when_key=a  =>  not_exist_then_key = any_value', true).route(invs, c, call())).toHaveLength(0);
    expect(router('not_exist_when_key=a  =>  then_key = a', true).route(invs, c, call())).toHaveLength(3);
  });

  it('all when keys must match (testRoute_Multiple_Conditions)', () => {
    const invs = three();
    const rule = `application=consumer_app&arguments[0]=a => host = ${LOCAL}`;
    expect(router(rule, true).route(invs, consumer('?application=consumer_app'), call('m', ['a']))).toHaveLength(2);
    expect(
      router(rule, true).route(invs, consumer('?application=another_consumer_app'), call('m', ['a'])),
    ).toHaveLength(3);
  });

  it("keeps Java 3.3.6's edges: open ranges, non-numbers as 0, $ only in the then-part, consumer./provider. dropped", () => {
    const invs = [
      provider('dubbo://1.1.1.1:20880/a'),
      provider('dubbo://1.1.1.1:20881/a'),
      provider('dubbo://1.1.1.1:20882/a'),
    ];
    expect(router('=> port=20881~', true).route(invs, consumer(), call())).toBe(invs);
    expect(router('=> port=20881~20881', true).route(invs, consumer(), call())).toEqual([invs[1]]);
    expect(when('attachments[n] = 0~0 => host=1', 'consumer://1.1.1.1/a', call('m', [], { n: 'abc' }))).toBe(true);
    expect(when('host = $host => host=1', 'consumer://1.1.1.1/a')).toBe(false);
    expect(router('consumer.host = 127.0.0.1 => provider.port = 20882', true).route(invs, consumer(), call())).toEqual([
      invs[2],
    ]);
  });
});

/** Java's forty providers of ConditionStateRouterTestV31 (twenty on each of two hosts). */
function forty(): ProviderInvoker[] {
  const qs = [
    '',
    '',
    'env=normal',
    'env=normal',
    'env=normal',
    'region=beijing',
    'region=beijing',
    'region=beijing',
    'region=beijing&env=gray',
    'region=beijing&env=gray',
    'region=beijing&env=gray',
    'region=beijing&env=gray',
    'region=beijing&env=normal',
    'region=hangzhou',
    'region=hangzhou',
    'region=hangzhou&env=gray',
    'region=hangzhou&env=gray',
    'region=hangzhou&env=normal',
    'region=hangzhou&env=normal',
    'region=hangzhou&env=normal',
  ];
  return ['127.0.0.1', 'dubbo.apache.org'].flatMap((h) =>
    qs.map((q) => provider(`dubbo://${h}/com.foo.BarService${q ? `?${q}` : ''}`)),
  );
}
const grayBeijing = DubboUrl.valueOf('consumer://127.0.0.1/com.foo.BarService?env=gray&region=beijing');
const count = (invs: ProviderInvoker[], f: (s: string) => boolean) => invs.filter((i) => f(i.url.toString())).length;

function v31(body: string, random?: () => number): ConditionRouter {
  const r = new ConditionRouter('com.foo.BarService::.condition-router', 140, random);
  expect(
    r.apply(
      `configVersion: v3.1\nscope: service\nkey: com.foo.BarService\nforce: false\nruntime: true\nenabled: true\n${body}`,
      1,
    ),
  ).toBe(true);
  return r;
}

describe('condition router v3.1 (ConditionStateRouterTestV31)', () => {
  it('parses from/to with weights (testParseRawRule)', () => {
    const rule = parseConditionRule(
      'configVersion: v3.1\nconditions:\n  - from:\n      match:\n    to:\n      - match: region=$region & version=v1\n' +
        '      - match: region=$region & version=v2\n        weight: 200\n  - from:\n      match: region=beijing & version=v1\n' +
        '    to:\n      - match: env=$env & region=beijing\n',
    );
    expect(rule.kind).toBe('v3.1');
    if (rule.kind !== 'v3.1') return;
    expect(rule.conditions.map((c) => c.to.map((t) => t.weight))).toEqual([[100, 200], [100]]);
  });

  it('routes gray consumers to non-gray providers, duplicates and chains of conditions (Multiply, RemoveDuplicates, Consequent)', () => {
    const invs = forty();
    const nonGray = count(invs, (u) => u.includes('env') && !u.includes('gray'));
    const one = '  - from:\n      match: env=gray\n    to:\n      - match: env!=gray\n        weight: 100\n';
    expect(v31(`conditions:\n${one}`).route(invs, grayBeijing, call('getComment'))).toHaveLength(nonGray);
    expect(v31(`conditions:\n${one}${one}`).route(invs, grayBeijing, call('getComment'))).toHaveLength(nonGray);
    const chained = v31(
      `conditions:\n${one}  - from:\n      match: region=beijing\n    to:\n      - match: region=beijing\n        weight: 100\n` +
        '  - from:\n    to:\n      - match: host!=127.0.0.1',
    );
    expect(chained.route(invs, grayBeijing, call('getComment'))).toHaveLength(
      count(
        invs,
        (u) => u.includes('env') && !u.includes('gray') && u.includes('region=beijing') && !u.includes('127.0.0.1'),
      ),
    );
  });

  it('skips conditions whose from does not match; force leaves none; a from without to leaves none', () => {
    const invs = forty();
    const unmatched = v31(
      'conditions:\n  - from:\n      match: env!=gray\n    to:\n      - match: env=gray\n  - from:\n      match: region!=beijing\n' +
        '    to:\n      - match: region=beijing\n  - from:\n    to:\n      - match: host!=127.0.0.1',
    );
    expect(unmatched.route(invs, grayBeijing, call())).toHaveLength(count(invs, (u) => !u.includes('127.0.0.1')));
    const f = new ConditionRouter('k');
    f.apply(
      'configVersion: v3.1\nforce: true\nconditions:\n  - from:\n      match: env=gray\n    to:\n      - match: env=ErrTag\n',
    );
    expect(f.route(invs, grayBeijing, call())).toHaveLength(0);
    const ignored = v31(
      'conditions:\n  - from:\n      match: region=beijing\n    to:\n      - match: region!=beijing\n  - from:\n    to:\n' +
        '      - match: host!=127.0.0.1\n  - from:\n      match: env=gray\n    to:\n      - match: env=ErrTag\n',
    );
    expect(ignored.route(invs, grayBeijing, call())).toHaveLength(
      count(invs, (u) => u.includes('region') && !u.includes('beijing') && !u.includes('127.0.0.1')),
    );
    const disabled = v31(
      'conditions:\n  - from:\n      match: host=127.0.0.1\n  - to:\n      - match: region!=beijing',
    );
    expect(disabled.route(invs, grayBeijing, call())).toHaveLength(0);
  });

  it('picks one destination subset by weight (testMultiplyDestination, with a seeded pick)', () => {
    const invs = forty();
    let a = 42; // mulberry32
    const seq = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const r = v31(
      'conditions:\n  - from:\n      match: env=gray\n    to:\n      - match: env!=gray\n        weight: 100\n      - match: env=gray\n' +
        '        weight: 900\n  - from:\n      match: region=beijing\n    to:\n      - match: region!=beijing\n        weight: 100\n' +
        '      - match: region=beijing\n        weight: 200',
      seq,
    );
    const sizes = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const n = r.route(invs, grayBeijing, call()).length;
      sizes.set(n, (sizes.get(n) ?? 0) + 1);
    }
    expect([...sizes.keys()].sort((a, b) => a - b)).toEqual([2, 4, 6, 8]);
    // 900:100 for gray, then 200:100 for beijing: 8 (gray, beijing) is the most frequent.
    expect(Math.max(...sizes.values())).toBe(sizes.get(8));
  });
});

describe('condition rules applied and refused', () => {
  afterEach(() => setLogger(silentLogger));

  function logs(): string[] {
    const lines: string[] = [];
    const l: Logger = {
      debug() {},
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
    };
    setLogger(l);
    return lines;
  }

  it('refuses malformed rules with the field at fault, keeps the rule in force, logs key and version', () => {
    const lines = logs();
    const invs = three();
    const r = new ConditionRouter('com.foo.BarService::.condition-router');
    expect(r.apply('conditions: ["=> host = 10.20.3.3"]', 7)).toBe(true);
    expect(r.route(invs, consumer(), call())).toEqual([invs[0]]);
    expect(r.apply('conditions: ["a=1 && b=2 => host=1"]', 8)).toBe(false);
    expect(r.apply('conditions: [', 9)).toBe(false);
    expect(r.apply('conditions: []', 10)).toBe(false);
    expect(r.apply('configVersion: v3.2\nconditions: ["=> host=1"]', 11)).toBe(false);
    expect(r.apply('configVersion: v3.1\nconditions:\n  - to:\n      - match: host=1\n        weight: lots', 12)).toBe(
      false,
    );
    expect(r.apply('- a\n- b', 13)).toBe(false);
    expect(r.version).toBe('7');
    expect(r.route(invs, consumer(), call())).toEqual([invs[0]]);
    expect(lines[0]).toBe('info dubbo: condition rule com.foo.BarService::.condition-router version 7 applied');
    expect(lines.slice(1)).toHaveLength(6);
    expect(lines[1]).toMatch(
      /^warn dubbo: condition rule com\.foo\.BarService::\.condition-router version 8 refused, the rule in force stays \(version 7\): conditions\[0\]: Illegal route rule/,
    );
    expect(lines[2]).toContain('version 9 refused');
    expect(lines[3]).toContain('conditions: expected a non-empty list');
    expect(lines[4]).toContain('configVersion: v3.2 is not supported');
    expect(lines[5]).toContain('conditions[0].to[0].weight: expected an int');
    expect(lines[6]).toContain('the rule is not a YAML map');
    // Removed: every provider again.
    expect(r.apply(null, 14)).toBe(true);
    expect(r.route(invs, consumer(), call())).toBe(invs);
    expect(lines[7]).toBe('info dubbo: condition rule com.foo.BarService::.condition-router removed (version 14)');
  });

  it('routes nothing while enabled is false', () => {
    const invs = three();
    const r = new ConditionRouter('k');
    r.apply('enabled: false\nforce: true\nconditions: ["=> host = 9.9.9.9"]');
    expect(r.route(invs, consumer(), call())).toBe(invs);
  });

  it('caches per provider list and per provider: an unchanged list reads no URL, a grown one only the new provider', () => {
    const reads = { n: 0 };
    const a = provider(`dubbo://${LOCAL}:20880/a`, reads);
    const b = provider('dubbo://10.0.0.1:20880/a', reads);
    const r = new ConditionRouter('k');
    r.apply(`conditions: ["host = ${LOCAL} => host = 10.0.0.1"]`);
    const list = [a, b];
    const c = consumer();
    expect(r.route(list, c, call())).toEqual([b]);
    const first = reads.n;
    expect(first).toBeGreaterThan(0);
    const out = r.route(list, c, call());
    expect(out).toBe(r.route(list, c, call()));
    expect(reads.n).toBe(first);
    const d = provider('dubbo://10.0.0.1:20881/a', reads);
    const before = reads.n;
    expect(r.route([a, b, d], c, call())).toEqual([b, d]);
    expect(reads.n - before).toBe(first / 2);
    // A new rule version starts afresh.
    r.apply(`conditions: ["host = ${LOCAL} => port = 20881"]`);
    expect(r.route([a, b, d], c, call())).toEqual([d]);
  });

  it('answers a method-only when-part per method: each method of a call alternation gets its own answer', () => {
    const r = router('method = getFoo,$invoke => host != 10.20.3.3');
    const list = three();
    const c = consumer();
    const generic = (m: string) => new RpcInvocation('$invoke', '', [m, [], []], {});
    for (let k = 0; k < 3; k++) {
      expect(r.route(list, c, call('getFoo'))).toEqual(list.slice(1));
      expect(r.route(list, c, call('getBar'))).toBe(list);
      // A generic call is for its target method (Java's RpcUtils.getMethodName), not `$invoke`.
      expect(r.route(list, c, generic('getBar'))).toBe(list);
      expect(r.route(list, c, generic('getFoo'))).toEqual(list.slice(1));
    }
    // A when-part that reads arguments is not answered per method.
    const byArg = router('arguments[0] = 1 => host != 10.20.3.3');
    expect(byArg.route(list, c, call('getFoo', [1]))).toEqual(list.slice(1));
    expect(byArg.route(list, c, call('getFoo', [2]))).toBe(list);
  });
});
