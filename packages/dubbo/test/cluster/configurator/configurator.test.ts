// Override rules, checked against Java 3.3's ConfigParserTest (its YAML resources) and OverrideConfiguratorTest
// (read there, written here): the override:// URLs a rule becomes, and where each one applies.
import { DubboUrl } from '@dubbo-ts/dubbo';
import { ConfiguratorRule, configure, configureAll, parseConfigurators } from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';

const u = (s: string) => DubboUrl.valueOf(s);

describe('override rules parsed (ConfigParserTest)', () => {
  it('service scope: one URL per address, group and version from the key, one per application', () => {
    const noApp = parseConfigurators(
      "---\nconfigVersion: v2.7\nscope: service\nkey: serviceKey\nconfigs:\n- addresses: ['127.0.0.1:20880', '0.0.0.0:20881']\n  parameters:\n    weight: 222\n...",
    );
    expect(noApp).toHaveLength(2);
    expect(noApp[0]!.address).toBe('127.0.0.1:20880');
    expect(noApp[0]!.getParameter('weight')).toBe('222');
    const gv = parseConfigurators(
      "configVersion: v2.7\nscope: service\nkey: testgroup/servicekey:1.0.0\nconfigs:\n- addresses: ['127.0.0.1:20880']\n  parameters:\n    weight: 222\n",
    );
    expect([gv[0]!.group, gv[0]!.version, gv[0]!.path]).toEqual(['testgroup', '1.0.0', 'servicekey']);
    const apps = parseConfigurators(
      'configVersion: v2.7\nscope: service\nkey: serviceKey\nconfigs:\n- addresses: [127.0.0.1, 0.0.0.0]\n  applications: [app1, app2]\n  parameters:\n    timeout: 6666\n',
    );
    expect(apps.map((x) => `${x.address} ${x.getParameter('application')}`)).toEqual([
      '127.0.0.1 app1',
      '127.0.0.1 app2',
      '0.0.0.0 app1',
      '0.0.0.0 app2',
    ]);
    expect(apps[0]!.getParameter('timeout')).toBe('6666');
  });

  it('application scope: one URL per address and service (* by default), the key as application', () => {
    const multi = parseConfigurators(
      "configVersion: v2.7\nscope: application\nkey: demo-consumer\nconfigs:\n- addresses: [127.0.0.1, 0.0.0.0]\n  services: ['service1', 'service2']\n  parameters:\n    loadbalance: random\n    cluster: failfast\n    timeout: 6666\n",
    );
    expect(multi).toHaveLength(4);
    expect(multi[0]!.serviceInterface).toBe('service1');
    expect(multi[0]!.getParameter('application')).toBe('demo-consumer');
    expect(multi[0]!.getParameter('loadbalance')).toBe('random');
    const specific = parseConfigurators(
      "configVersion: v2.7\nscope: application\nkey: demo-consumer\nconfigs:\n- addresses:\n  - 127.0.0.1\n  providerAddresses: ['127.0.0.1:20880']\n  parameters:\n    timeout: 6666\n    weight: 222\n",
    );
    expect(specific).toHaveLength(1);
    expect(specific[0]!.serviceInterface).toBe('*');
    expect(specific[0]!.getParameter('providerAddresses')).toBe('127.0.0.1:20880');
  });

  it('refuses a rule without parameters (ServiceNoRule) or key, and reads the 2.6 JSON array form', () => {
    expect(() =>
      parseConfigurators('configVersion: v2.7\nscope: service\nkey: k\nconfigs:\n- addresses: [0.0.0.0]\n'),
    ).toThrow(
      expect.objectContaining({
        code: 'DUBBO_ERR_RULE_INVALID',
        message: expect.stringContaining('configs[0].parameters'),
      }),
    );
    expect(() => parseConfigurators('scope: service\nconfigs:\n- parameters: {timeout: 1}\n')).toThrow(
      'key: the service',
    );
    const json = parseConfigurators('["override://0.0.0.0/com.foo.BarService?timeout=200"]');
    expect(json[0]!.getParameter('timeout')).toBe('200');
  });
});

describe('override URLs applied (OverrideConfiguratorTest)', () => {
  const local = '10.20.153.10';

  it('2.x form: application by user name, consumers by local address (testOverride_Application, testOverride_Host)', () => {
    const c = u('override://foo@0.0.0.0/com.foo.BarService?timeout=200');
    expect(
      configure(
        c,
        u('dubbo://10.20.153.10:20880/com.foo.BarService?application=foo&side=consumer'),
        local,
      ).getParameter('timeout'),
    ).toBe('200');
    expect(
      configure(
        c,
        u('dubbo://10.20.153.10:20880/com.foo.BarService?application=foo&timeout=1000&side=consumer'),
        local,
      ).getParameter('timeout'),
    ).toBe('200');
    expect(
      configure(
        c,
        u('dubbo://10.20.153.11:20880/com.foo.BarService?application=bar&side=consumer'),
        local,
      ).getParameter('timeout'),
    ).toBeUndefined();
    expect(
      configure(
        c,
        u('dubbo://10.20.153.11:20880/com.foo.BarService?application=bar&timeout=1000&side=consumer'),
        local,
      ).getParameter('timeout'),
    ).toBe('1000');
    const host = u(`override://${local}/com.foo.BarService?timeout=200`);
    expect(
      configure(
        host,
        u('dubbo://10.20.153.10:20880/com.foo.BarService?application=foo&side=consumer'),
        local,
      ).getParameter('timeout'),
    ).toBe('200');
    expect(
      configure(
        host,
        u('dubbo://10.20.153.10:20880/com.foo.BarService?application=foo&side=consumer'),
        '10.0.0.9',
      ).getParameter('timeout'),
    ).toBeUndefined();
  });

  it('2.7+ form: same side only, provider by host and port (testOverrideForVersion27)', () => {
    const consumer = u(
      'override://0.0.0.0/com.foo.BarService?side=consumer&configVersion=2.7&application=foo&timeout=10000',
    );
    expect(
      configure(
        consumer,
        u('dubbo://172.24.160.179/com.foo.BarService?application=foo&side=consumer&timeout=100'),
        '172.24.160.179',
      ).getParameter('timeout'),
    ).toBe('10000');
    expect(
      configure(
        consumer,
        u('dubbo://172.24.160.179/com.foo.BarService?application=foo&side=provider&timeout=100'),
        '172.24.160.179',
      ).getParameter('timeout'),
    ).toBe('100');
    const provider = u(
      'override://172.24.160.179:21880/com.foo.BarService?side=provider&configVersion=2.7&application=foo&weight=200',
    );
    expect(
      configure(
        provider,
        u('dubbo://172.24.160.179:21880/com.foo.BarService?application=foo&side=provider&weight=100'),
        'x',
      ).getParameter('weight'),
    ).toBe('200');
  });

  it('v3.0 rules: providerAddresses, service and application must match; disabled rules do nothing; later wins', () => {
    const rules = parseConfigurators(
      'configVersion: v3.0\nscope: application\nkey: web\nconfigs:\n' +
        '- side: consumer\n  providerAddresses: ["10.0.0.2:20880"]\n  parameters: {timeout: 50, weight: 7}\n' +
        '- side: consumer\n  parameters: {retries: 0}\n',
    );
    const view = (addr: string, app = 'web') =>
      u(`dubbo://${addr}/com.foo.Svc?application=${app}&side=consumer&timeout=1000`);
    const a = configureAll(rules, view('10.0.0.1:20880'), '192.0.2.2');
    expect([a.getParameter('timeout'), a.getParameter('retries')]).toEqual(['1000', '0']);
    const b = configureAll(rules, view('10.0.0.2:20880'), '192.0.2.2');
    expect([b.getParameter('timeout'), b.getParameter('weight'), b.getParameter('retries')]).toEqual(['50', '7', '0']);
    // Condition keys never leak into the URL.
    expect(b.getParameter('category')).toBeUndefined();
    expect(b.getParameter('configVersion')).toBeUndefined();
    expect(configureAll(rules, view('10.0.0.2:20880', 'other'), '192.0.2.2').getParameter('timeout')).toBe('1000');
    const off = parseConfigurators(
      'configVersion: v3.0\nscope: application\nkey: web\nenabled: false\nconfigs:\n- side: consumer\n  parameters: {timeout: 5}\n',
    );
    expect(configureAll(off, view('10.0.0.1:20880'), '192.0.2.2').getParameter('timeout')).toBe('1000');
  });

  it('a rule holder refuses a malformed update and keeps the URLs in force', () => {
    let changes = 0;
    const r = new ConfiguratorRule('web.configurators', () => changes++);
    expect(
      r.apply('configVersion: v3.0\nscope: application\nkey: web\nconfigs:\n- parameters: {timeout: 5}\n', 1),
    ).toBe(true);
    expect(r.apply('configVersion: v3.0\nconfigs: nope\n', 2)).toBe(false);
    expect(r.urls).toHaveLength(1);
    expect(r.version).toBe('1');
    expect(r.apply(null, 3)).toBe(true);
    expect(r.urls).toHaveLength(0);
    expect(changes).toBe(2);
  });
});
