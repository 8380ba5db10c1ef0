package org.apache.dubbo.interop.registry;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.GreeterService;

/**
 * A Java Dubbo 3.3 consumer of GreeterService that finds its provider through a registry, in one of Java's
 * service-discovery migration modes.
 *
 * <pre>
 * RegistryConsumer REGISTRY_URL MODE GROUP NAME
 *   MODE: DEFAULT (Java's own default, APPLICATION_FIRST), FORCE_INTERFACE, FORCE_APPLICATION or APPLICATION_FIRST
 *   prints "RESULT <greet(NAME)>" and exits 0 once a call succeeds (retrying for up to 60 s), else "FAIL <error>", 1
 * </pre>
 */
public final class RegistryConsumer {
  public static void main(String[] args) throws Exception {
    String registry = args[0];
    String mode = args[1];
    String group = args[2];
    String name = args[3];
    if (!"DEFAULT".equals(mode)) {
      System.setProperty("dubbo.application.service-discovery.migration", mode);
    }
    ApplicationConfig application = new ApplicationConfig("dubbo-ts-registry-consumer");
    application.setQosEnable(false);
    ReferenceConfig<GreeterService> reference = new ReferenceConfig<>();
    reference.setInterface(GreeterService.class);
    reference.setGroup(group);
    reference.setCheck(false);
    reference.setTimeout(3000);
    reference.setRetries(0);
    DubboBootstrap.getInstance()
        .application(application)
        .registry(new RegistryConfig(registry))
        .reference(reference)
        .start();
    GreeterService greeter = reference.get();
    long deadline = System.currentTimeMillis() + 60_000;
    Throwable last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        System.out.println("RESULT " + greeter.greet(name));
        System.out.flush();
        System.exit(0);
      } catch (Throwable t) {
        last = t;
        Thread.sleep(500);
      }
    }
    System.out.println("FAIL " + (last == null ? "timeout" : last.toString().replace('\n', ' ')));
    System.out.flush();
    System.exit(1);
  }
}
