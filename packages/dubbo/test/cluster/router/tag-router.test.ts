// Tag routers, checked against Java 3.3's TagStateRouterTest (read there, written here) and the edges of
// governance.md sections 3 and 9: static tags, dynamic tags by address and by match, dubbo.force.tag, a|b.
import { DubboUrl, type Invoker, ProviderInvoker, RpcInvocation, RpcResult } from '@dubbo-ts/dubbo';
import { matchAddress, parseTagRule, selectAddressByTagLevel, TagRouter } from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';

function provider(url: string): ProviderInvoker {
  const u = DubboUrl.valueOf(url);
  const target: Invoker = {
    url: u,
    isAvailable: () => true,
    invoke: async () => new RpcResult(url),
    destroy: () => {},
  };
  return new ProviderInvoker(target);
}
const consumer = (q = '') => DubboUrl.valueOf(`consumer://127.0.0.1/DemoInterface${q}`);
const call = (attachments: Record<string, unknown> = {}) => new RpcInvocation('m', '', [], attachments);
const ports = (l: readonly ProviderInvoker[]) => l.map((i) => i.url.port);

function tagRouter(invokers: readonly ProviderInvoker[], rule?: string, url = consumer()): TagRouter {
  const r = new TagRouter(url);
  r.notify(invokers);
  if (rule !== undefined) expect(r.apply(rule, 1)).toBe(true);
  return r;
}

describe('tag router (TagStateRouterTest)', () => {
  it('picks the statically tagged provider for a tagged request (testTagRoutePickInvokers)', () => {
    const invs = [
      provider('test://127.0.0.1:7777/DemoInterface?dubbo.tag=tag2'),
      provider('test://127.0.0.1:7778/DemoInterface'),
      provider('test://127.0.0.1:7779/DemoInterface'),
    ];
    expect(tagRouter(invs).route(invs, invs[0]!.url, call({ 'dubbo.tag': 'tag2' }))).toEqual([invs[0]]);
  });

  it('finds a v3.0 tag by match over the provider list (testTagRouteWithDynamicRuleV3)', () => {
    const invs = [
      provider('test://127.0.0.1:7777/DemoInterface?application=foo&dubbo.tag=tag2&match_key=value'),
      provider('test://127.0.0.1:7778/DemoInterface?application=foo&match_key=value'),
      provider('test://127.0.0.1:7779/DemoInterface?application=foo'),
    ];
    const r = tagRouter(
      invs,
      '---\nconfigVersion: v3.0\nforce: false\nruntime: true\nenabled: true\npriority: 1\nkey: demo-provider\n' +
        'tags:\n  - name: tag2\n    match:\n    - key: match_key\n      value:\n       exact: value\n...',
    );
    expect(r.ruleKey).toBe('foo.tag-router');
    expect(ports(r.route(invs, invs[0]!.url, call({ 'dubbo.tag': 'tag2' })))).toEqual([7777, 7778]);
  });

  it('parses null, ~ and empty address lists as no addresses (tagRouterRuleParseTest)', () => {
    const rule = parseTagRule(
      '---\nforce: false\nruntime: true\nenabled: false\npriority: 1\nkey: demo-provider\ntags:\n  - name: tag1\n' +
        '    addresses: null\n  - name: tag2\n    addresses: ["30.5.120.37:20880"]\n  - name: tag3\n    addresses: []\n' +
        '  - name: tag4\n    addresses: ~\n...',
    );
    expect(rule.key).toBe('demo-provider');
    expect(rule.priority).toBe(1);
    expect(rule.tags.map((t) => t.name)).toEqual(['tag1', 'tag2', 'tag3', 'tag4']);
    const r = new TagRouter(consumer());
    r.apply(
      'enabled: true\ntags:\n  - name: tag1\n    addresses: null\n  - name: tag2\n    addresses: ["30.5.120.37:20880"]\n  - name: tag3\n    addresses: []',
    );
    expect([...r.tagAddresses.keys()]).toEqual(['tag2']);
  });

  it('resolves v3.0 matches: exact, both-address-and-match, absent keys, wildcard (tagRouterRuleParseTestV3)', () => {
    const invs = [
      provider('dubbo://10.20.3.3:20880/com.foo.BarService?match_key1=value1&match_key2=value2'),
      provider('dubbo://10.20.3.4:20880/com.foo.BarService?match_key1=value1'),
    ];
    const r = tagRouter(
      invs,
      'configVersion: v3.0\nkey: demo-provider\ntags:\n' +
        '  - name: tag1\n    match:\n    - key: match_key1\n      value:\n       exact: value1\n' +
        '  - name: tag2\n    addresses: ["10.20.3.3:20880", "10.20.3.4:20880"]\n    match:\n    - key: match_key2\n      value:\n       exact: value2\n' +
        '  - name: tag3\n    match:\n    - key: match_key2\n      value:\n       exact: value2\n' +
        '  - name: tag4\n    match:\n    - key: not_exist\n      value:\n       exact: not_exist\n' +
        '  - name: tag5\n    match:\n    - key: match_key2\n      value:\n       wildcard: "*"\n',
    );
    const sizes = Object.fromEntries([...r.tagAddresses].map(([k, v]) => [k, v.size]));
    expect(sizes).toEqual({ tag1: 2, tag2: 2, tag3: 1, tag5: 1 });
  });

  it('selects a|b|c, then a|b, then a; a forced selector only itself (tagMultiLevelTest, tagLevelForceTest)', () => {
    const a1 = new Set(['192.168.5.1:20880']);
    const a2 = new Set(['192.168.5.2:20880']);
    const a3 = new Set(['192.168.5.3:20880']);
    const m = new Map<string, Set<string>>([['beta', a1]]);
    expect(selectAddressByTagLevel(m, 'beta|team1|partner1', false)).toBe(a1);
    m.set('beta|team1', a2);
    expect(selectAddressByTagLevel(m, 'beta|team1|partner1', false)).toBe(a2);
    m.set('beta|team1|partner1', a3);
    expect(selectAddressByTagLevel(m, 'beta|team1|partner1', false)).toBe(a3);
    expect(selectAddressByTagLevel(m, 'beta', false)).toBe(a1);
    expect(selectAddressByTagLevel(m, 'beta2', false)).toBeUndefined();
    expect(selectAddressByTagLevel(m, 'beta|team2', false)).toBe(a1);
    expect(selectAddressByTagLevel(m, 'beta|team1|partner2', false)).toBe(a2);
    expect(selectAddressByTagLevel(m, 'beta|team2', true)).toBeUndefined();
    expect(selectAddressByTagLevel(new Map([['beta', a1]]), 'beta', true)).toBe(a1);
  });
});

describe('tag router semantics', () => {
  const six = () => [
    provider('dubbo://10.0.0.1:20880/a?application=shop'),
    provider('dubbo://10.0.0.2:20880/a?application=shop'),
    provider('dubbo://10.0.0.3:20880/a?application=shop&dubbo.tag=gray'),
    provider('dubbo://10.0.0.4:20880/a?application=shop&dubbo.tag=gray'),
    provider('dubbo://10.0.0.5:20881/a?application=shop'),
    provider('dubbo://10.0.0.6:20880/a?application=shop&env=blue'),
  ];
  const hosts = (l: readonly ProviderInvoker[]) => l.map((i) => i.url.host!.slice(-1)).join('');

  it('without a rule: untagged requests skip statically tagged providers; tagged ones fall back unless forced', () => {
    const invs = six();
    const r = tagRouter(invs);
    expect(hosts(r.route(invs, consumer(), call()))).toBe('1256');
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'gray' })))).toBe('34');
    expect(hosts(r.route(invs, consumer('?dubbo.tag=gray'), call()))).toBe('34');
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'red' })))).toBe('1256');
    expect(r.route(invs, consumer(), call({ 'dubbo.tag': 'red', 'dubbo.force.tag': 'true' }))).toHaveLength(0);
    const forcing = tagRouter(invs, undefined, consumer('?dubbo.force.tag=true'));
    expect(forcing.route(invs, consumer(), call({ 'dubbo.tag': 'red' }))).toHaveLength(0);
    expect(hosts(forcing.route(invs, consumer(), call({ 'dubbo.tag': 'red', 'dubbo.force.tag': 'false' })))).toBe(
      '1256',
    );
    // The same list is handed out again (cached per list and tag).
    expect(r.route(invs, consumer(), call())).toBe(r.route(invs, consumer(), call()));
  });

  it('with a rule: dynamic tags by address (patterns, 0.0.0.0:port), a|b fallback, force, and the untagged rest', () => {
    const invs = six();
    const r = tagRouter(
      invs,
      'force: false\nkey: shop\ntags:\n  - {name: blue, addresses: ["10.0.0.1:20880"]}\n' +
        '  - {name: canary, addresses: ["0.0.0.0:20881", "10.0.0.2-3:20880"]}\n  - {name: none, addresses: ["9.9.9.9"]}',
    );
    expect(r.ruleKey).toBe('shop.tag-router');
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'blue' })))).toBe('1');
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'canary' })))).toBe('235');
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'blue|x' })))).toBe('1');
    // A dynamic tag whose addresses match no provider: the untagged providers (neither dynamic nor static).
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'none' })))).toBe('6');
    // A tag the rule does not know: the static tag.
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'gray' })))).toBe('34');
    // Untagged: no dynamic and no static tag.
    expect(hosts(r.route(invs, consumer(), call()))).toBe('6');
    // force: true keeps an empty dynamic result.
    r.apply('force: true\ntags:\n  - {name: none, addresses: ["9.9.9.9"]}', 2);
    expect(r.route(invs, consumer(), call({ 'dubbo.tag': 'none' }))).toHaveLength(0);
    // Every address tagged: an untagged request gets none.
    r.apply('tags:\n  - {name: all, addresses: ["10.0.0.0/24"]}', 3);
    expect(r.route(invs, consumer(), call())).toHaveLength(0);
    // Removed: static tags only again.
    r.apply(null, 4);
    expect(hosts(r.route(invs, consumer(), call()))).toBe('1256');
  });

  it('ignores match without configVersion v3.0; enabled: false routes by static tags only', () => {
    const invs = six();
    const r = tagRouter(invs, 'tags:\n  - name: blue\n    match: [{key: env, value: {exact: blue}}]');
    expect(r.tagAddresses.size).toBe(0);
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'blue' })))).toBe('1256');
    r.apply('configVersion: v3.0\ntags:\n  - name: blue\n    match: [{key: env, value: {prefix: bl}}]', 2);
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'blue' })))).toBe('6');
    r.apply(
      'configVersion: v3.0\nenabled: false\ntags:\n  - name: blue\n    match: [{key: env, value: {regex: "b.*"}}]',
      3,
    );
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'blue' })))).toBe('1256');
  });

  it('recomputes match-based tags when the provider list changes', () => {
    const invs = six();
    const r = tagRouter(
      invs,
      'configVersion: v3.0\ntags:\n  - name: blue\n    match: [{key: env, value: {exact: blue}}]',
    );
    const more = [...invs, provider('dubbo://10.0.0.7:20880/a?application=shop&env=blue')];
    r.notify(more);
    expect(hosts(r.route(more, consumer(), call({ 'dubbo.tag': 'blue' })))).toBe('67');
  });

  it('refuses malformed rules and keeps the one in force', () => {
    const invs = six();
    const r = tagRouter(invs, 'tags:\n  - {name: blue, addresses: ["10.0.0.1:20880"]}');
    expect(r.apply('tags: {name: x}', 2)).toBe(false);
    expect(r.apply('tags:\n  - {addresses: ["10.0.0.1"]}', 3)).toBe(false);
    expect(r.apply('configVersion: v3.0\ntags:\n  - name: a\n    match: [{key: k, value: {regex: "("}}]', 4)).toBe(
      false,
    );
    expect(r.apply('configVersion: v3.0\ntags:\n  - name: a', 5)).toBe(false);
    expect(() => parseTagRule('tags:\n  - {addresses: ["10.0.0.1"]}')).toThrow('tags[0].name: a tag needs a name');
    expect(r.version).toBe('1');
    expect(hosts(r.route(invs, consumer(), call({ 'dubbo.tag': 'blue' })))).toBe('1');
  });
});

describe('address patterns (NetUtils.matchIpExpression)', () => {
  it('match exact, host:port, wildcards, ranges, CIDR, IPv6 and 0.0.0.0:port', () => {
    expect(matchAddress('10.0.0.1', '10.0.0.1', 1)).toBe(true);
    expect(matchAddress('10.0.0.1:20880', '10.0.0.1', 20880)).toBe(true);
    expect(matchAddress('10.0.0.1:20880', '10.0.0.1', 20881)).toBe(false);
    expect(matchAddress('10.0.0.*', '10.0.0.9', 1)).toBe(true);
    expect(matchAddress('10.0.1.*', '10.0.0.9', 1)).toBe(false);
    expect(matchAddress('10.0.0.2-4:20880', '10.0.0.3', 20880)).toBe(true);
    expect(matchAddress('10.0.0.2-4:20880', '10.0.0.5', 20880)).toBe(false);
    expect(matchAddress('10.0.0.0/24', '10.0.0.200', 1)).toBe(true);
    expect(matchAddress('10.0.0.0/24', '10.0.1.1', 1)).toBe(false);
    expect(matchAddress('0.0.0.0:20880', '1.2.3.4', 20880)).toBe(true);
    expect(matchAddress('[::1]:20880', '::1', 20880)).toBe(true);
    expect(matchAddress('*', 'anything', 1)).toBe(true);
    expect(matchAddress('10.0.0', '10.0.0.1', 1)).toBe(false);
    expect(matchAddress('not/a/cidr', '10.0.0.1', 1)).toBe(false);
  });
});
