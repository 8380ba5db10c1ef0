// Registry selection by URL, options from URL parameters, Java's path and match rules (no server needed).
import { createRegistry, DubboUrl, parseRegistryAddresses, registries } from '@dubbo-ts/dubbo';
import { categoryPaths, isMatch, registryOptions, servicePath } from '@dubbo-ts/dubbo/extension';
import { describe, expect, it } from 'vitest';
import { consumerUrl, providerUrl } from './registry-helpers.js';

describe('registry factory and options', () => {
  it('refuses an unknown protocol with a typed error', () => {
    expect(() => createRegistry('nacos://127.0.0.1:8848')).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_REGISTRY_UNKNOWN' }),
    );
    expect(registries.get('nacos')).toBeUndefined();
  });

  it('splits several registries, and turns a host list into backup addresses', () => {
    const urls = parseRegistryAddresses(
      'zookeeper://127.0.0.1:2181,127.0.0.1:2182?timeout=3000 | etcd://127.0.0.1:2379;N/A',
    );
    expect(urls.map((u) => u.protocol)).toEqual(['zookeeper', 'etcd']);
    expect(urls[0]?.address).toBe('127.0.0.1:2181');
    expect(urls[0]?.getParameter('backup')).toBe('127.0.0.1:2182');
    expect(urls[0]?.getBackupAddress(2181)).toBe('127.0.0.1:2181,127.0.0.1:2182');
    expect(urls[0]?.getParameter('timeout')).toBe('3000');
  });

  it("reads Dubbo's registry parameters with their defaults, and refuses bad values", () => {
    const d = registryOptions(DubboUrl.valueOf('zookeeper://127.0.0.1:2181'));
    expect(d).toMatchObject({
      root: '/dubbo',
      namespace: '',
      timeoutMs: 30_000, // Java 3.3's ZooKeeper client (Curator connection timeout)
      sessionMs: 60_000,
      emptyProtection: true,
    });
    const o = registryOptions(
      DubboUrl.valueOf('zookeeper://127.0.0.1:2181?group=prod&namespace=team-a/&timeout=800&session=9000'),
    );
    expect(o).toMatchObject({ root: '/prod', namespace: '/team-a', timeoutMs: 800, sessionMs: 9000 });
    expect(() => registryOptions(DubboUrl.valueOf('zookeeper://h:1?timeout=0'))).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_INVALID_ARG' }),
    );
    expect(() => registryOptions(DubboUrl.valueOf('zookeeper://h:1?session=abc'))).toThrow(
      expect.objectContaining({ code: 'DUBBO_ERR_URL_PARAMETER' }),
    );
  });

  it("builds Java's service and category paths", () => {
    const o = registryOptions(DubboUrl.valueOf('zookeeper://h:1'));
    const c = consumerUrl('com.example.Foo', { category: 'providers,configurators,routers' });
    expect(servicePath(o, c)).toBe('/dubbo/com.example.Foo');
    expect(categoryPaths(o, c)).toEqual([
      '/dubbo/com.example.Foo/providers',
      '/dubbo/com.example.Foo/configurators',
      '/dubbo/com.example.Foo/routers',
    ]);
    expect(categoryPaths(o, consumerUrl('com.example.Foo', { category: '*' }))).toHaveLength(4);
  });

  it("matches providers as Java's UrlUtils.isMatch (interface, category, enabled, group, version)", () => {
    const p = providerUrl('com.example.Foo', 1, { group: 'g', version: '1.0' });
    expect(isMatch(consumerUrl('com.example.Foo', { group: 'g', version: '1.0' }), p)).toBe(true);
    expect(isMatch(consumerUrl('com.example.Foo', { group: '*', version: '*' }), p)).toBe(true);
    expect(isMatch(consumerUrl('com.example.Foo', { group: 'a,g', version: '1.0' }), p)).toBe(true);
    expect(isMatch(consumerUrl('com.example.Foo', { version: '1.0' }), p)).toBe(false); // group differs
    expect(isMatch(consumerUrl('com.example.Foo', { group: 'g', version: '2.0' }), p)).toBe(false);
    expect(isMatch(consumerUrl('com.example.Bar', { group: 'g', version: '1.0' }), p)).toBe(false);
    expect(
      isMatch(consumerUrl('com.example.Foo', { group: 'g', version: '1.0' }), p.addParameter('enabled', 'false')),
    ).toBe(false);
    expect(
      isMatch(consumerUrl('com.example.Foo', { group: 'g', version: '1.0' }), p.addParameter('category', 'routers')),
    ).toBe(false);
  });
});
