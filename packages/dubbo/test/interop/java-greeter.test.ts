// The Java Dubbo 3.3 GreeterProvider started by tools/interop/java/greeter.sh registers itself in the test
// ZooKeeper in Java's interface-level layout; this is the URL a TypeScript consumer will discover.
import { describe, expect, it } from 'vitest';
import { javaGreeterAddress, zookeeperAddress } from '../support/services.js';
import { connectZookeeper, getChildren } from '../support/zookeeper.js';

describe('Java GreeterProvider', () => {
  it('is registered in ZooKeeper under /dubbo/org.apache.dubbo.interop.GreeterService/providers/', async () => {
    const client = await connectZookeeper(zookeeperAddress());
    try {
      const children = await getChildren(client, '/dubbo/org.apache.dubbo.interop.GreeterService/providers');
      const urls = children.map((c) => decodeURIComponent(c));
      const ours = urls.filter((u) => u.startsWith(`dubbo://${javaGreeterAddress()}/`));
      expect(ours).toHaveLength(1);
      const url = new URL(ours[0]!);
      expect(url.pathname).toBe('/org.apache.dubbo.interop.GreeterService');
      expect(url.searchParams.get('interface')).toBe('org.apache.dubbo.interop.GreeterService');
      expect(url.searchParams.get('methods')).toBe('greet');
      expect(url.searchParams.get('side')).toBe('provider');
      expect(url.searchParams.get('serialization')).toBe('hessian2');
      expect(url.searchParams.get('release')).toMatch(/^3\.3\./);
    } finally {
      client.close();
    }
  });
});
