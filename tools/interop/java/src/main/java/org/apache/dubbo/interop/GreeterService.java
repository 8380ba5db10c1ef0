package org.apache.dubbo.interop;

/** The smallest interop service: a Java provider that dubbo-ts finds in ZooKeeper and calls. */
public interface GreeterService {
  String greet(String name);
}
