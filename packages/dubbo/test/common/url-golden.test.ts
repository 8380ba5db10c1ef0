import { readFileSync } from 'node:fs';
import { DubboError, DubboUrl, urlDecode, urlEncode } from '@dubbo-ts/dubbo';
import { describe, expect, it } from 'vitest';

// url-golden.json is printed by Java Dubbo 3.3.6 itself: `tools/interop/java/interop.sh url-golden`.
interface UrlVector {
  input: string;
  encoded: boolean;
  error?: string;
  protocol: string | null;
  username: string | null;
  password: string | null;
  host: string | null;
  port: number;
  path: string | null;
  parameters: Record<string, string>;
  toString: string;
  toFullString: string;
  toIdentityString: string;
  toServiceString: string;
  serviceKey: string | null;
  pathKey: string | null;
  colonSeparatedKey: string;
  displayServiceKey: string | null;
  protocolServiceKey: string;
  address: string | null;
  authority: string | null;
  timeout: number;
  timeoutA: number;
  retriesB: number;
}

interface Golden {
  urls: UrlVector[];
  encode: { value: string; encoded: string; decoded: string }[];
  decode: { value: string; decoded?: string; error?: string }[];
}

const golden = JSON.parse(readFileSync(new URL('./url-golden.json', import.meta.url), 'utf8')) as Golden;
const opt = (v: string | null) => (v === null ? undefined : v);

describe('DubboUrl against Java Dubbo 3.3.6 golden vectors', () => {
  it.each(golden.urls.map((v) => [`${v.encoded ? 'encoded ' : ''}${v.input}`, v] as const))('%s', (_, v) => {
    if (v.error !== undefined) {
      let err: unknown;
      try {
        DubboUrl.valueOf(v.input, v.encoded);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DubboError);
      expect(['DUBBO_ERR_URL_INVALID', 'DUBBO_ERR_URL_DECODE']).toContain((err as DubboError).code);
      return;
    }
    const url = DubboUrl.valueOf(v.input, v.encoded);
    expect({
      protocol: url.protocol,
      username: url.username,
      password: url.password,
      host: url.host,
      port: url.port,
      path: url.path,
    }).toEqual({
      protocol: opt(v.protocol),
      username: opt(v.username),
      password: opt(v.password),
      host: opt(v.host),
      port: v.port,
      path: opt(v.path),
    });
    expect(url.toParameterRecord()).toEqual(v.parameters);
    expect(url.toString()).toBe(v.toString);
    expect(url.toFullString()).toBe(v.toFullString);
    expect(url.toIdentityString()).toBe(v.toIdentityString);
    expect(url.toServiceString()).toBe(v.toServiceString);
    expect(url.serviceKey).toBe(opt(v.serviceKey));
    expect(url.pathKey).toBe(opt(v.pathKey));
    expect(url.colonSeparatedKey).toBe(v.colonSeparatedKey);
    expect(url.displayServiceKey).toBe(opt(v.displayServiceKey));
    expect(url.protocolServiceKey).toBe(v.protocolServiceKey);
    expect(url.address).toBe(opt(v.address));
    expect(url.authority).toBe(opt(v.authority));
    expect(url.getIntParameter('timeout', 1000)).toBe(v.timeout);
    expect(url.getMethodIntParameter('a', 'timeout', 1000)).toBe(v.timeoutA);
    expect(url.getMethodIntParameter('b', 'retries', 2)).toBe(v.retriesB);
  });

  it('encodes and decodes like java.net.URLEncoder/URLDecoder', () => {
    expect(golden.encode.length).toBeGreaterThan(100);
    for (const v of golden.encode) {
      expect({ value: v.value, encoded: urlEncode(v.value) }).toEqual({ value: v.value, encoded: v.encoded });
      expect(urlDecode(v.encoded)).toBe(v.decoded);
    }
  });

  it.each(golden.decode.map((v) => [v.value, v] as const))('decode(%j)', (_, v) => {
    if (v.error !== undefined) {
      expect(() => urlDecode(v.value)).toThrow(DubboError);
    } else {
      expect(urlDecode(v.value)).toBe(v.decoded);
    }
  });
});
