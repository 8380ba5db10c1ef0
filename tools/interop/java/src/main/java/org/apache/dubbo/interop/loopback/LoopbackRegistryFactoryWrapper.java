package org.apache.dubbo.interop.loopback;

import org.apache.dubbo.common.URL;
import org.apache.dubbo.registry.Registry;
import org.apache.dubbo.registry.RegistryFactory;

/**
 * Test-only: Java Dubbo refuses to register a 127.x address (NetUtils.isInvalidLocalHost) and registers the NIC
 * address instead, but interop tests may only send traffic to loopback. When the system property
 * {@code dubbo.interop.loopback=true} is set, this SPI wrapper rewrites the host of every URL this process
 * registers to 127.0.0.1 (the provider binds 0.0.0.0, so it is reachable there). Everything else is Dubbo's own
 * registry code, so the layout and encoding in the registry are exactly Java's.
 */
public class LoopbackRegistryFactoryWrapper implements RegistryFactory {
  private final RegistryFactory delegate;

  public LoopbackRegistryFactoryWrapper(RegistryFactory delegate) {
    this.delegate = delegate;
  }

  @Override
  public Registry getRegistry(URL url) {
    Registry registry = delegate.getRegistry(url);
    return Boolean.getBoolean("dubbo.interop.loopback") ? new LoopbackRegistry(registry) : registry;
  }
}
