package org.apache.dubbo.interop.balance;

/**
 * What the consistent-hash fleet test calls (packages/dubbo/test/cluster/java-consistent-hash-fleet.test.ts): each
 * provider (TS DubboServers there) answers with its own identity, so a consumer sees which provider took a key.
 */
public interface NodeService {
  /** The answering provider's identity (the TS providers answer their port); {@code key} and {@code n} are hashed. */
  String who(String key, int n);
}
