package org.apache.dubbo.interop;

public class GreeterServiceImpl implements GreeterService {
  @Override
  public String greet(String name) {
    return "Hello " + name + ", from Java Dubbo";
  }
}
