import { DEFAULT_TIMEOUT, DubboError, DubboUrl, URL_KEYS, urlDecode, urlEncode } from '@dubbo-ts/dubbo';
import { describe, expect, it } from 'vitest';

// Expected values below were printed by Java Dubbo 3.3.6's org.apache.dubbo.common.URL on the same inputs.

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DubboError ? e.code : `not a DubboError: ${String(e)}`;
  }
  return undefined;
}

describe('URL.encode / URL.decode (java.net.URLEncoder / URLDecoder semantics)', () => {
  it.each([
    ['hello world', 'hello+world'],
    ['a~b*c-d_e.f', 'a%7Eb*c-d_e.f'],
    ['中文', '%E4%B8%AD%E6%96%87'],
    ['😀', '%F0%9F%98%80'],
    ['a+b=c&d/e?f#g%h', 'a%2Bb%3Dc%26d%2Fe%3Ff%23g%25h'],
    ['\uD800x', '%3Fx'],
    ["!'()", '%21%27%28%29'],
    ['', ''],
  ])('encode(%j) = %j', (input, expected) => {
    expect(urlEncode(input)).toBe(expected);
    expect(DubboUrl.encode(input)).toBe(expected);
  });

  it.each([
    ['a+b%20c', 'a b c'],
    ['%E4%B8%AD%e6%96%87', '中文'],
    ['%F0%9F%98%80', '😀'],
    ['%C3%28', '\uFFFD('],
    ['%FF', '\uFFFD'],
    ['%+1', '\u0001'],
    ['plain', 'plain'],
    ['', ''],
  ])('decode(%j) = %j', (input, expected) => {
    expect(urlDecode(input)).toBe(expected);
    expect(DubboUrl.decode(input)).toBe(expected);
  });

  it.each(['%', '%4', '%zz', '%-1', 'abc%', 'x%g0'])('decode(%j) throws DUBBO_ERR_URL_DECODE', (input) => {
    expect(codeOf(() => urlDecode(input))).toBe('DUBBO_ERR_URL_DECODE');
  });

  it('round-trips any string, including unpaired-free unicode', () => {
    const s = 'k=v&x y/z?~!*()\u00e9\u4e2d\ud83d\ude00\t\n';
    expect(urlDecode(urlEncode(s))).toBe(s);
    expect(urlEncode(undefined)).toBe('');
    expect(urlDecode(null)).toBe('');
  });
});

describe('DubboUrl.valueOf', () => {
  it('parses user, password, host, port, path and params', () => {
    const url = DubboUrl.valueOf(
      'dubbo://admin:hello1234@10.20.130.230:20880/context/path?version=1.0.0&application=morgan&noValue',
    );
    expect(url.protocol).toBe('dubbo');
    expect(url.username).toBe('admin');
    expect(url.password).toBe('hello1234');
    expect(url.host).toBe('10.20.130.230');
    expect(url.port).toBe(20880);
    expect(url.path).toBe('context/path');
    expect(url.toParameterRecord()).toEqual({ version: '1.0.0', application: 'morgan', noValue: '' });
    expect(url.toString()).toBe('dubbo://10.20.130.230:20880/context/path?application=morgan&noValue=&version=1.0.0');
    expect(url.toFullString()).toBe(
      'dubbo://admin:hello1234@10.20.130.230:20880/context/path?application=morgan&noValue=&version=1.0.0',
    );
    expect(url.toIdentityString()).toBe('dubbo://admin:hello1234@10.20.130.230:20880/context/path');
    expect(url.serviceKey).toBe('context/path:1.0.0');
    expect(url.colonSeparatedKey).toBe('context/path:1.0.0:');
    expect(url.protocolServiceKey).toBe('context/path:1.0.0:dubbo');
    expect(url.toServiceString()).toBe('dubbo://admin:hello1234@10.20.130.230:20880/context/path:1.0.0');
    expect(url.address).toBe('10.20.130.230:20880');
    expect(url.authority).toBe('admin:hello1234@10.20.130.230:20880');
  });

  it('reads service keys, method parameters and default. keys like Java', () => {
    const url = DubboUrl.valueOf(
      'dubbo://10.20.130.230:20880/org.apache.Svc?interface=org.apache.Svc&group=g1&version=1.0.0&timeout=3000' +
        '&default.retries=5&methods=sayHello,echo&sayHello.timeout=500',
    );
    expect(url.getParameter('retries')).toBe('5');
    expect(url.toString()).toBe(
      'dubbo://10.20.130.230:20880/org.apache.Svc?default.retries=5&group=g1&interface=org.apache.Svc' +
        '&methods=sayHello,echo&retries=5&sayHello.timeout=500&timeout=3000&version=1.0.0',
    );
    expect(url.serviceKey).toBe('g1/org.apache.Svc:1.0.0');
    expect(url.pathKey).toBe('g1/org.apache.Svc:1.0.0');
    expect(url.colonSeparatedKey).toBe('org.apache.Svc:1.0.0:g1');
    expect(url.displayServiceKey).toBe('org.apache.Svc:1.0.0');
    expect(url.protocolServiceKey).toBe('g1/org.apache.Svc:1.0.0:dubbo');
    expect(url.toServiceString()).toBe('dubbo://10.20.130.230:20880/g1/org.apache.Svc:1.0.0');
    expect(url.getMethodParameter('sayHello', 'timeout')).toBe('500');
    expect(url.getMethodParameter('echo', 'timeout')).toBe('3000');
    expect(url.getMethodParameterStrict('echo', 'timeout')).toBeUndefined();
    expect(url.getMethodParameterStrict('other', 'timeout')).toBeUndefined();
    expect(url.getTimeout('sayHello')).toBe(500);
    expect(url.getTimeout('echo')).toBe(3000);
    expect(url.getTimeout()).toBe(3000);
    expect(url.getRetries()).toBe(5);
    expect(url.methods).toEqual(['sayHello', 'echo']);
    expect(url.serviceInterface).toBe('org.apache.Svc');
    expect(url.group).toBe('g1');
    expect(url.version).toBe('1.0.0');
    expect(url.hasMethodParameter('sayHello', 'timeout')).toBe(true);
  });

  it('finds method parameters without a methods key by the first dot', () => {
    const url = DubboUrl.valueOf('dubbo://h:1/s?echo.timeout=20&echo.1.callback=true');
    expect(url.getMethodParameterStrict('echo', 'timeout')).toBe('20');
    expect(url.getMethodParameterStrict('echo', '1.callback')).toBe('true');
    expect(url.getMethodParameter('x', 'timeout', '7')).toBe('7');
  });

  it.each([
    [
      'file:/home/user1/router.js?type=script',
      'file',
      undefined,
      0,
      'home/user1/router.js',
      'file:///home/user1/router.js?type=script',
    ],
    [
      'file:///home/user1/router.js?type=script',
      'file',
      undefined,
      0,
      'home/user1/router.js',
      'file:///home/user1/router.js?type=script',
    ],
    ['10.20.130.230:20880', undefined, '10.20.130.230', 20880, undefined, '10.20.130.230:20880'],
    ['dubbo://[::1]:20880/svc', 'dubbo', '[::1]', 20880, 'svc', 'dubbo://[::1]:20880/svc'],
    [
      'dubbo://fe80:0:0:0:894:aeec:f37d:23e1%en0/svc',
      'dubbo',
      'fe80:0:0:0:894:aeec:f37d:23e1%en0',
      0,
      'svc',
      'dubbo://fe80:0:0:0:894:aeec:f37d:23e1%en0/svc',
    ],
    [
      '/home/user1/router.js?type=script',
      undefined,
      undefined,
      0,
      'home/user1/router.js',
      '/home/user1/router.js?type=script',
    ],
    ['home/user1/router.js?type=script', undefined, 'home', 0, 'user1/router.js', 'home/user1/router.js?type=script'],
    ['dubbo://admin@host/p#frag?x=1', 'dubbo', 'host', 0, 'p', 'dubbo://host/p?x=1'],
  ] as const)('parses %s', (input, protocol, host, port, path, str) => {
    const url = DubboUrl.valueOf(input);
    expect(url.protocol).toBe(protocol);
    expect(url.host).toBe(host);
    expect(url.port).toBe(port);
    expect(url.path).toBe(path);
    expect(url.toString()).toBe(str);
  });

  it('splits params on & and ;, keeps = inside values, trims values when printing', () => {
    const url = DubboUrl.valueOf('dubbo://host:20880/svc?a=1;b=2&&c==3&=d&e= x &key=va=lue');
    expect(url.toParameterRecord()).toEqual({ a: '1', b: '2', c: '=3', d: '', e: ' x ', key: 'va=lue' });
    expect(url.toString()).toBe('dubbo://host:20880/svc?a=1&b=2&c==3&d=&e=x&key=va=lue');
    expect(url.toString('a', 'e')).toBe('dubbo://host:20880/svc?a=1&e=x');
    expect(url.toParameterString('b')).toBe('b=2');
  });

  it('keeps a user without password and prints the authority as Java', () => {
    const url = DubboUrl.valueOf('dubbo://admin@host/p');
    expect(url.username).toBe('admin');
    expect(url.password).toBeUndefined();
    expect(url.authority).toBe('admin:@host');
    expect(url.toFullString()).toBe('dubbo://admin@host/p');
  });

  it('parses a password without username (Java does) but the constructor refuses it', () => {
    expect(DubboUrl.valueOf('dubbo://:pwd@host:1/x').toFullString()).toBe('dubbo://host:1/x');
    expect(codeOf(() => new DubboUrl({ password: 'p', host: 'h' }))).toBe('DUBBO_ERR_URL_INVALID');
  });

  it.each(['://host', 'dubbo://host:abc/x', 'dubbo://host:/x', ':/x'])('refuses %j', (input) => {
    expect(codeOf(() => DubboUrl.valueOf(input))).toBe('DUBBO_ERR_URL_INVALID');
  });

  it('parses the encoded form registries store, and round-trips with encode', () => {
    const encoded =
      'dubbo%3A%2F%2F127.0.0.1%3A20880%2Forg.apache.Svc%3Fanyhost%3Dtrue%26interface%3Dorg.apache.Svc%26side%3Dprovider';
    const url = DubboUrl.valueOf(encoded, true);
    expect(url.toFullString()).toBe(
      'dubbo://127.0.0.1:20880/org.apache.Svc?anyhost=true&interface=org.apache.Svc&side=provider',
    );
    expect(DubboUrl.encode(url.toFullString())).toBe(encoded);
    expect(url.side).toBe('provider');
    expect(url.isAnyHost).toBe(true);
    expect(DubboUrl.valueOf('dubbo%3A%2F%2Fh%3A1%2Fs%3Fk%3Da%252Bb', true).getParameter('k')).toBe('a%2Bb');
    expect(codeOf(() => DubboUrl.valueOf('dubbo%3A%2F%2Fh%3A1%2Fs%3Fk%3D%G1', true))).toBe('DUBBO_ERR_URL_DECODE');
  });

  it('round-trips toFullString through valueOf', () => {
    const url = new DubboUrl({
      protocol: 'dubbo',
      username: 'u',
      password: 'p',
      host: '127.0.0.1',
      port: 20880,
      path: 'org.apache.dubbo.interop.service.InteropService',
      parameters: { interface: 'org.apache.dubbo.interop.service.InteropService', timeout: '5000', side: 'consumer' },
    });
    const back = DubboUrl.valueOf(url.toFullString());
    expect(back.equals(url)).toBe(true);
    expect(back.toFullString()).toBe(url.toFullString());
  });
});

describe('DubboUrl typed getters', () => {
  const url = DubboUrl.valueOf(
    'dubbo://127.0.0.1:20880/S?interface=org.S&timeout=250&retries=0&weight=50&serialization=fastjson2' +
      '&application=app&check=TRUE&n=1.5e2&neg=-3&bad=x1&big=2147483648&methods=, a , b,,c,',
  );

  it('reads ints, numbers, booleans and lists', () => {
    expect(url.getTimeout()).toBe(250);
    expect(url.getRetries()).toBe(0);
    expect(url.weight).toBe(50);
    expect(url.serialization).toBe('fastjson2');
    expect(url.application).toBe('app');
    expect(url.getBooleanParameter('check')).toBe(true);
    expect(url.getBooleanParameter('application')).toBe(false);
    expect(url.getBooleanParameter('missing', true)).toBe(true);
    expect(url.getNumberParameter('n', 0)).toBe(150);
    expect(url.getIntParameter('neg', 0)).toBe(-3);
    expect(url.getPositiveIntParameter('neg', 9)).toBe(9);
    expect(url.getLongParameter('big', 0)).toBe(2147483648);
    expect(url.methods).toEqual(['', 'a', 'b', 'c']);
    expect(url.getListParameter('missing', ['x'])).toEqual(['x']);
  });

  it('gives defaults for missing keys', () => {
    const bare = DubboUrl.valueOf('dubbo://127.0.0.1:20880/S');
    expect(bare.getTimeout()).toBe(DEFAULT_TIMEOUT);
    expect(bare.getTimeout('any')).toBe(1000);
    expect(bare.getRetries('any')).toBe(2);
    expect(bare.weight).toBe(100);
    expect(bare.serialization).toBe('hessian2');
    expect(bare.group).toBeUndefined();
    expect(bare.version).toBeUndefined();
    expect(bare.serviceInterface).toBe('S');
    expect(bare.serviceKey).toBe('S');
    expect(bare.getParameter('x', 'd')).toBe('d');
  });

  it('throws DUBBO_ERR_URL_PARAMETER for values of the wrong type', () => {
    expect(codeOf(() => url.getIntParameter('bad', 0))).toBe('DUBBO_ERR_URL_PARAMETER');
    expect(codeOf(() => url.getIntParameter('big', 0))).toBe('DUBBO_ERR_URL_PARAMETER');
    expect(codeOf(() => url.getNumberParameter('bad', 0))).toBe('DUBBO_ERR_URL_PARAMETER');
    expect(codeOf(() => url.getPositiveIntParameter('neg', 0))).toBe('DUBBO_ERR_INVALID_ARG');
  });
});

describe('DubboUrl immutable updates', () => {
  const base = DubboUrl.valueOf('dubbo://127.0.0.1:20880/S?a=1');

  it('returns new URLs and leaves the original alone', () => {
    const next = base.addParameter('b', 2).addParameter('c', true).withPort(20881).withHost('localhost');
    expect(next.toString()).toBe('dubbo://localhost:20881/S?a=1&b=2&c=true');
    expect(base.toString()).toBe('dubbo://127.0.0.1:20880/S?a=1');
    expect(base.withProtocol('tri').withPath('T').toString()).toBe('tri://127.0.0.1:20880/T?a=1');
    expect(base.withUsername('u').withPassword('p').toFullString()).toBe('dubbo://u:p@127.0.0.1:20880/S?a=1');
    expect(base.withAddress('10.0.0.1:1234').address).toBe('10.0.0.1:1234');
    expect(base.withAddress('h2').address).toBe('h2:20880');
    expect(base.withServiceInterface('org.I').serviceKey).toBe('org.I');
  });

  it('ignores empty values and unchanged sets as Java does', () => {
    expect(base.addParameter('a', '1')).toBe(base);
    expect(base.addParameter('b', '')).toBe(base);
    expect(base.addParameter('b', undefined)).toBe(base);
    expect(base.addParameter('', 'x')).toBe(base);
    expect(base.addParameterIfAbsent('a', '9').getParameter('a')).toBe('1');
    expect(base.addParameters({ a: '1' })).toBe(base);
    expect(base.removeParameter('zz')).toBe(base);
  });

  it('adds, encodes, removes and clears parameters', () => {
    const next = base
      .addParameters({ x: '1', y: '2' })
      .addParametersIfAbsent(
        new Map([
          ['a', '9'],
          ['z', '3'],
        ]),
      )
      .addParameterString('q=4&r')
      .addParameterAndEncoded(URL_KEYS.GROUP, 'a b&c');
    expect(next.toString()).toBe('dubbo://127.0.0.1:20880/S?a=1&group=a+b%26c&q=4&r=&x=1&y=2&z=3');
    expect(next.getParameterAndDecoded('group')).toBe('a b&c');
    expect(next.removeParameters('x', 'y', 'q', 'r', 'z', 'group').equals(base)).toBe(true);
    expect(next.clearParameters().toString()).toBe('dubbo://127.0.0.1:20880/S');
    expect(next.toMap().get('address')).toBe('127.0.0.1:20880');
    expect(next.toMap().get('protocol')).toBe('dubbo');
  });

  it('builds backup addresses with a default port', () => {
    const url = DubboUrl.valueOf('zookeeper://h1:2181?backup=h2:2182,h3');
    expect(url.getBackupAddress()).toBe('h1:2181,h2:2182,h3');
    expect(url.getBackupAddress(2181)).toBe('h1:2181,h2:2182,h3:2181');
    expect(DubboUrl.buildKey('I', 'g', 'v')).toBe('g/I:v');
    expect(DubboUrl.buildKey('I', '', undefined)).toBe('I');
  });

  it('refuses a bad port in the constructor and withAddress', () => {
    expect(codeOf(() => new DubboUrl({ host: 'h', port: -1 }))).toBe('DUBBO_ERR_URL_INVALID');
    expect(codeOf(() => base.withAddress('h:x'))).toBe('DUBBO_ERR_URL_INVALID');
  });
});
