package org.apache.dubbo.interop.balance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * A real Dubbo 3.3 consumer of {@link NodeService} over direct URLs with {@code loadbalance=consistenthash} and
 * {@code hash.arguments=0,1}: {@code interop.sh balance-consumer "dubbo://[::ffff:127.0.0.1]:A;dubbo://..." [--keys N]}.
 * Prints {@code READY}, then for each line read on stdin calls {@code who(key(i), i % 7)} for i in [0, N) one after
 * another and prints one line {@code PICKS ["answer0","answer1",...]}; exits at the end of stdin. {@link #key} is the
 * test's key list (non-ASCII among them). A call that fails prints {@code "!" + the exception's simple name}.
 */
public final class BalanceConsumer {
  static String key(int i) {
    return (i % 50 == 0 ? "ключ-" : "key-") + i;
  }

  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: BalanceConsumer URL[;URL...] [--keys N]");
      System.exit(2);
    }
    String urls = args[0];
    int keys = 500;
    for (int i = 1; i + 1 < args.length; i++) if (args[i].equals("--keys")) keys = Integer.parseInt(args[i + 1]);

    ApplicationConfig application = new ApplicationConfig("dubbo-ts-balance-consumer");
    application.setQosEnable(false);
    ReferenceConfig<NodeService> ref = new ReferenceConfig<>();
    ref.setInterface(NodeService.class);
    ref.setUrl(urls);
    ref.setLoadbalance("consistenthash");
    ref.setParameters(Map.of("hash.arguments", "0,1"));
    ref.setCheck(false);
    // Generous: a timeout would fail over to another provider and look like a different pick.
    ref.setTimeout(30_000);
    DubboBootstrap bootstrap = DubboBootstrap.getInstance().application(application).reference(ref);
    bootstrap.start();
    NodeService svc = ref.get();
    System.out.println("READY");
    System.out.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (in.readLine() != null) {
      List<String> picks = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        String answer;
        try {
          answer = svc.who(key(i), i % 7);
        } catch (RuntimeException e) {
          answer = "!" + e.getClass().getSimpleName();
        }
        picks.add(q(answer));
      }
      System.out.println("PICKS [" + String.join(",", picks) + "]");
      System.out.flush();
    }
    bootstrap.stop();
    System.exit(0);
  }
}
