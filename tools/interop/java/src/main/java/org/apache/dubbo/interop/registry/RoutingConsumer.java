package org.apache.dubbo.interop.registry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.GreeterService;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.cluster.ClusterInvoker;
import org.apache.dubbo.rpc.cluster.Directory;

/**
 * A Java Dubbo 3.3 consumer of GreeterService through a registry (interface level) with Java's default config
 * center (the registry's server), so its governance rules are the ones TS consumers read: TS tests compare the
 * providers each side picks under the same rules.
 *
 * <pre>
 * RoutingConsumer REGISTRY_URL GROUP APPLICATION
 *   prints "READY" once a call succeeds; then per stdin line "CALLS n [tag]" makes n calls of greet (with the
 *   attachment dubbo.tag when given) and prints "SEEN answer=count ..." (answers sorted; failures as "!error");
 *   per stdin line "WEIGHTS" prints "WEIGHTS name=weight ..." for every provider in the consumer's directory (its
 *   URL parameter `name`, sorted; the `weight` Java's URL gives for greet after overrides, "-" when it has none)
 * </pre>
 */
public final class RoutingConsumer {
  public static void main(String[] args) throws Exception {
    System.setProperty("dubbo.application.service-discovery.migration", "FORCE_INTERFACE");
    ApplicationConfig application = new ApplicationConfig(args[2]);
    application.setQosEnable(false);
    ReferenceConfig<GreeterService> reference = new ReferenceConfig<>();
    reference.setInterface(GreeterService.class);
    reference.setGroup(args[1]);
    reference.setCheck(false);
    reference.setTimeout(3000);
    reference.setRetries(0);
    DubboBootstrap.getInstance()
        .application(application)
        .registry(new RegistryConfig(args[0]))
        .reference(reference)
        .start();
    GreeterService greeter = reference.get();
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        greeter.greet("ready");
        break;
      } catch (Throwable t) {
        if (System.currentTimeMillis() > deadline) {
          System.out.println("FAIL " + t.toString().replace('\n', ' '));
          System.exit(1);
        }
        Thread.sleep(200);
      }
    }
    System.out.println("READY");
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] parts = line.trim().split(" ");
      if ("WEIGHTS".equals(parts[0])) {
        Directory<?> directory = ((ClusterInvoker<?>) reference.getInvoker()).getDirectory();
        Map<String, String> weights = new TreeMap<>();
        for (Invoker<?> invoker : directory.getAllInvokers()) {
          String weight = invoker.getUrl().getMethodParameter("greet", "weight");
          weights.put(invoker.getUrl().getParameter("name"), weight == null ? "-" : weight);
        }
        StringBuilder sb = new StringBuilder("WEIGHTS");
        for (Map.Entry<String, String> e : weights.entrySet()) sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        System.out.println(sb);
        System.out.flush();
        continue;
      }
      if (parts.length < 2 || !"CALLS".equals(parts[0])) continue;
      int n = Integer.parseInt(parts[1]);
      String tag = parts.length > 2 ? parts[2] : null;
      Map<String, Integer> seen = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        String answer;
        try {
          if (tag != null) RpcContext.getClientAttachment().setAttachment("dubbo.tag", tag);
          answer = greeter.greet("x");
        } catch (Throwable t) {
          answer = "!" + t.getClass().getSimpleName();
        }
        seen.merge(answer, 1, Integer::sum);
      }
      StringBuilder sb = new StringBuilder("SEEN");
      for (Map.Entry<String, Integer> e : seen.entrySet()) sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
      System.out.println(sb);
      System.out.flush();
    }
    System.exit(0);
  }
}
