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
 * A Java Dubbo 3.3 consumer of GreeterService that finds its provider through a registry, in one of Java's
 * service-discovery migration modes; it makes one call, or keeps calls in flight for rolling-restart tests.
 *
 * <pre>
 * RegistryConsumer call REGISTRY_URL MIGRATION GROUP NAME
 *   prints "RESULT <greet(NAME)>" and exits 0 once a call succeeds (retrying for up to 60 s), else "FAIL <error>", 1
 *   (timeout 3 s, no retries)
 * RegistryConsumer load REGISTRY_URL MIGRATION GROUP INFLIGHT STOP_FILE
 *   keeps INFLIGHT calls in flight (INFLIGHT threads calling synchronously, timeout 10 s, failover with 2 retries)
 *   until STOP_FILE exists: prints "LOADING" once a first call succeeded (else "FAIL <error>", 1 after 60 s), then
 *   on stop "LOAD calls=N errors=M" and up to 5 "ERROR ..." lines
 * MIGRATION: DEFAULT (Java's own default, APPLICATION_FIRST), FORCE_INTERFACE, FORCE_APPLICATION or APPLICATION_FIRST
 * </pre>
 */
public final class RegistryConsumer {
  public static void main(String[] args) throws Exception {
    boolean load = "load".equals(args[0]);
    if (!load && !"call".equals(args[0])) throw new IllegalArgumentException("mode: call or load, not " + args[0]);
    String registry = args[1];
    String migration = args[2];
    String group = args[3];
    if (!"DEFAULT".equals(migration)) {
      System.setProperty("dubbo.application.service-discovery.migration", migration);
    }
    ApplicationConfig application =
        new ApplicationConfig(load ? "dubbo-ts-rolling-java-consumer" : "dubbo-ts-registry-consumer");
    application.setQosEnable(false);
    ReferenceConfig<GreeterService> reference = new ReferenceConfig<>();
    reference.setInterface(GreeterService.class);
    reference.setGroup(group);
    reference.setCheck(false);
    reference.setTimeout(load ? 10_000 : 3000);
    reference.setRetries(load ? 2 : 0);
    DubboBootstrap.getInstance()
        .application(application)
        .registry(new RegistryConfig(registry))
        .reference(reference)
        .start();
    GreeterService greeter = reference.get();
    String first = firstCall(greeter, load ? "warm" : args[4]);
    if (load) {
      System.out.println("LOADING");
      System.out.flush();
      load(greeter, Integer.parseInt(args[4]), Path.of(args[5]));
    } else {
      System.out.println("RESULT " + first);
    }
    System.out.flush();
    System.exit(0);
  }

  /** The first successful greet(name), retried for up to 60 s; else prints "FAIL <error>" and exits 1. */
  private static String firstCall(GreeterService greeter, String name) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    Throwable last = null;
    while (System.currentTimeMillis() < deadline) {
      try {
        return greeter.greet(name);
      } catch (Throwable t) {
        last = t;
        Thread.sleep(200);
      }
    }
    System.out.println("FAIL " + (last == null ? "timeout" : last.toString().replace('\n', ' ')));
    System.out.flush();
    System.exit(1);
    return null;
  }

  /** Calls from `inflight` threads until `stop` exists; prints the LOAD and ERROR lines. */
  private static void load(GreeterService greeter, int inflight, Path stop) throws InterruptedException {
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
  }
}
