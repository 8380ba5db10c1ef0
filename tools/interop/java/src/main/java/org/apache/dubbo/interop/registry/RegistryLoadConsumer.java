package org.apache.dubbo.interop.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.GreeterService;

/**
 * A Java Dubbo 3.3 consumer of GreeterService found through a registry that keeps N calls in flight (N threads
 * calling synchronously, failover with 2 retries) until a stop file appears, for rolling-restart tests.
 *
 * <pre>
 * RegistryLoadConsumer REGISTRY_URL GROUP INFLIGHT STOP_FILE [MODE]
 *   MODE: Java's service-discovery migration mode (FORCE_INTERFACE, APPLICATION_FIRST...); default Java's own
 *   prints "LOADING" once a first call succeeded, then on stop "LOAD calls=N errors=M" and up to 5 "ERROR ..." lines
 * </pre>
 */
public final class RegistryLoadConsumer {
  public static void main(String[] args) throws Exception {
    String registry = args[0];
    String group = args[1];
    int inflight = Integer.parseInt(args[2]);
    Path stop = Path.of(args[3]);
    if (args.length > 4) System.setProperty("dubbo.application.service-discovery.migration", args[4]);
    ApplicationConfig application = new ApplicationConfig("dubbo-ts-rolling-java-consumer");
    application.setQosEnable(false);
    ReferenceConfig<GreeterService> reference = new ReferenceConfig<>();
    reference.setInterface(GreeterService.class);
    reference.setGroup(group);
    reference.setCheck(false);
    reference.setTimeout(10_000);
    reference.setRetries(2);
    DubboBootstrap.getInstance()
        .application(application)
        .registry(new RegistryConfig(registry))
        .reference(reference)
        .start();
    GreeterService greeter = reference.get();
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        greeter.greet("warm");
        break;
      } catch (Throwable t) {
        if (System.currentTimeMillis() > deadline) throw t;
        Thread.sleep(100);
      }
    }
    System.out.println("LOADING");
    System.out.flush();
    AtomicLong calls = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < inflight; i++) {
      Thread t = new Thread(() -> {
        while (!Files.exists(stop)) {
          try {
            greeter.greet("java");
            calls.incrementAndGet();
          } catch (Throwable e) {
            errors.incrementAndGet();
            if (messages.size() < 5) messages.add(e.toString().replace('\n', ' '));
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
    System.out.println("LOAD calls=" + calls.get() + " errors=" + errors.get());
    for (String m : messages) System.out.println("ERROR " + m);
    System.out.flush();
    System.exit(0);
  }
}
