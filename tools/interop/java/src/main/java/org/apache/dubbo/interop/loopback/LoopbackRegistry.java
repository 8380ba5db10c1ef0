package org.apache.dubbo.interop.loopback;

import java.util.List;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.registry.NotifyListener;
import org.apache.dubbo.registry.Registry;

/** Delegates to Dubbo's registry, registering URLs with host 127.0.0.1. See LoopbackRegistryFactoryWrapper. */
final class LoopbackRegistry implements Registry {
  private final Registry delegate;

  LoopbackRegistry(Registry delegate) {
    this.delegate = delegate;
  }

  private static URL loopback(URL url) {
    return url.getHost() == null || url.getHost().startsWith("127.") ? url : url.setHost("127.0.0.1");
  }

  @Override public void register(URL url) { delegate.register(loopback(url)); }
  @Override public void unregister(URL url) { delegate.unregister(loopback(url)); }
  @Override public void reExportRegister(URL url) { delegate.reExportRegister(loopback(url)); }
  @Override public void reExportUnregister(URL url) { delegate.reExportUnregister(loopback(url)); }
  @Override public void subscribe(URL url, NotifyListener listener) { delegate.subscribe(url, listener); }
  @Override public void unsubscribe(URL url, NotifyListener listener) { delegate.unsubscribe(url, listener); }
  @Override public List<URL> lookup(URL url) { return delegate.lookup(url); }
  @Override public URL getUrl() { return delegate.getUrl(); }
  @Override public boolean isAvailable() { return delegate.isAvailable(); }
  @Override public void destroy() { delegate.destroy(); }
  @Override public int getDelay() { return delegate.getDelay(); }
  @Override public boolean isServiceDiscovery() { return delegate.isServiceDiscovery(); }
}
