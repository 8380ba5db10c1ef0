package org.apache.dubbo.interop.balance;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcInvocation;
import org.apache.dubbo.rpc.cluster.loadbalance.AbstractLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.ConsistentHashLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.RandomLoadBalance;
import org.apache.dubbo.rpc.cluster.loadbalance.RoundRobinLoadBalance;

/**
 * Prints, as one JSON document, what Dubbo 3.3's own load-balancing classes choose, for
 * packages/dubbo/test/cluster/java-balance-golden.test.ts ({@code interop.sh balance-golden}):
 *
 * <ul>
 *   <li>{@code roundRobin}: selection sequences of {@link RoundRobinLoadBalance} over invokers built from URLs (weights
 *       in the URLs), one balancer per case, the provider list changing between steps;
 *   <li>{@code warmupRamp}: {@code AbstractLoadBalance.calculateWarmupWeight(uptime, warmup, weight)} (package-private,
 *       called through reflection) for a table of arguments;
 *   <li>{@code getWeight}: {@code AbstractLoadBalance.getWeight(invoker, invocation)} (protected, called from a
 *       subclass) for provider URLs with {@code weight}, {@code warmup} and a {@code timestamp} at a given uptime;
 *       each row says the wall-clock time Java read (the same before and after the call);
 *   <li>{@code consistentHash}: picks of {@link ConsistentHashLoadBalance} for typed arguments, one balancer per case,
 *       the provider list changing between steps.
 * </ul>
 *
 * Every pick is the index of the chosen invoker in that step's list.
 */
public final class BalanceGolden {
  /** An invoker that only holds its URL: all a load balancer reads. */
  static final class UrlInvoker implements Invoker<Object> {
    final URL url;

    UrlInvoker(String url) {
      this.url = URL.valueOf(url);
    }

    @Override
    public Class<Object> getInterface() {
      return Object.class;
    }

    @Override
    public Result invoke(Invocation invocation) {
      throw new UnsupportedOperationException("a load-balancing probe is never invoked");
    }

    @Override
    public URL getUrl() {
      return url;
    }

    @Override
    public boolean isAvailable() {
      return true;
    }

    @Override
    public void destroy() {}
  }

  /** Reaches AbstractLoadBalance.getWeight (protected): RandomLoadBalance does not override it. */
  static final class WeightProbe extends RandomLoadBalance {
    int weightOf(Invoker<?> invoker, Invocation invocation) {
      return getWeight(invoker, invocation);
    }
  }

  static String q(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') b.append("\\\"");
      else if (c == '\\') b.append("\\\\");
      else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  static String list(List<String> items) {
    return "[" + String.join(",", items) + "]";
  }

  static List<String> quoted(List<String> items) {
    List<String> out = new ArrayList<>();
    for (String s : items) out.add(q(s));
    return out;
  }

  static RpcInvocation invocation(String method, Class<?>[] types, Object[] args) {
    return new RpcInvocation(method, "a.B", "a.B", types, args);
  }

  static List<Invoker<Object>> invokers(List<String> urls) {
    List<Invoker<Object>> out = new ArrayList<>();
    for (String u : urls) out.add(new UrlInvoker(u));
    return out;
  }

  // ---- round robin ----

  record RrStep(List<String> urls, int count) {}

  static List<String> weights(int... ws) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ws.length; i++) {
      out.add("dubbo://10.0.0." + (i + 1) + ":20880/a.B" + (ws[i] == 100 ? "" : "?weight=" + ws[i]));
    }
    return out;
  }

  static String roundRobinCase(String name, List<RrStep> steps) {
    RoundRobinLoadBalance lb = new RoundRobinLoadBalance();
    RpcInvocation inv = invocation("m", new Class<?>[] {String.class}, new Object[] {"x"});
    List<String> stepJson = new ArrayList<>();
    for (RrStep step : steps) {
      List<Invoker<Object>> list = invokers(step.urls());
      List<String> picks = new ArrayList<>();
      for (int i = 0; i < step.count(); i++) picks.add(Integer.toString(list.indexOf(lb.select(list, list.get(0).getUrl(), inv))));
      stepJson.add("{\"urls\":" + list(quoted(step.urls())) + ",\"picks\":" + list(picks) + "}");
    }
    return "{\"name\":" + q(name) + ",\"steps\":" + list(stepJson) + "}";
  }

  static List<String> roundRobin() {
    List<String> out = new ArrayList<>();
    out.add(roundRobinCase("weights 1,2,3", List.of(new RrStep(weights(1, 2, 3), 18))));
    out.add(roundRobinCase("weights 5,1,1", List.of(new RrStep(weights(5, 1, 1), 14))));
    out.add(roundRobinCase("equal weights (default 100)", List.of(new RrStep(weights(100, 100, 100), 9))));
    out.add(roundRobinCase("equal weights 3,3", List.of(new RrStep(weights(3, 3), 6))));
    out.add(roundRobinCase("weight 0 beside 1", List.of(new RrStep(weights(0, 1), 4))));
    out.add(roundRobinCase("weights 0,2,1", List.of(new RrStep(weights(0, 2, 1), 9))));
    out.add(roundRobinCase("all weights 0", List.of(new RrStep(weights(0, 0, 0), 5))));
    out.add(roundRobinCase("negative weight", List.of(new RrStep(weights(-3, 2, 1), 6))));
    out.add(roundRobinCase("weights 7,3,1,1 over two full rounds", List.of(new RrStep(weights(7, 3, 1, 1), 24))));
    out.add(roundRobinCase(
        "weights change mid-sequence (1,2,3 then 3,2,1)",
        List.of(new RrStep(weights(1, 2, 3), 5), new RrStep(weights(3, 2, 1), 12))));
    out.add(roundRobinCase(
        "one weight changes mid-sequence (5,1,1 then 5,1,4)",
        List.of(new RrStep(weights(5, 1, 1), 3), new RrStep(weights(5, 1, 4), 10))));
    out.add(roundRobinCase(
        "a provider leaves and comes back (1,2,3 then 1,2 then 1,2,3)",
        List.of(
            new RrStep(weights(1, 2, 3), 4),
            new RrStep(weights(1, 2), 5),
            new RrStep(weights(1, 2, 3), 8))));
    out.add(roundRobinCase(
        "a provider joins (2,1 then 2,1,3)",
        List.of(new RrStep(weights(2, 1), 3), new RrStep(weights(2, 1, 3), 12))));
    out.add(roundRobinCase(
        "method-level weight first (m.weight)",
        List.of(new RrStep(
            List.of(
                "dubbo://10.0.0.1:20880/a.B?weight=1&m.weight=4",
                "dubbo://10.0.0.2:20880/a.B?weight=9&m.weight=1",
                "dubbo://10.0.0.3:20880/a.B?weight=2"),
            14))));
    out.add(roundRobinCase(
        "same host, different ports and paths",
        List.of(new RrStep(
            List.of(
                "dubbo://10.0.0.1:20880/a.B?weight=2",
                "dubbo://10.0.0.1:20881/a.B?weight=1",
                "dubbo://10.0.0.1:20880/a.B?weight=3&version=2"),
            12))));
    return out;
  }

  // ---- warm-up ----

  static List<String> warmupRamp() throws Exception {
    Method calc = AbstractLoadBalance.class.getDeclaredMethod("calculateWarmupWeight", int.class, int.class, int.class);
    calc.setAccessible(true);
    int[] weightsTable = {1, 2, 3, 7, 10, 33, 50, 99, 100, 101, 1000, 65535, 1_000_000};
    int[] warmups = {1, 2, 3, 7, 1000, 60_000, 599_999, 600_000, 600_001, 3_600_000, Integer.MAX_VALUE};
    Random random = new Random(20261203L);
    List<String> rows = new ArrayList<>();
    for (int weight : weightsTable) {
      for (int warmup : warmups) {
        List<Integer> uptimes = new ArrayList<>(List.of(1, warmup / 3, warmup / 2, warmup - 1));
        for (int i = 0; i < 4; i++) uptimes.add(1 + random.nextInt(Math.max(1, warmup - 1)));
        for (int uptime : uptimes) {
          if (uptime <= 0 || uptime >= warmup) continue; // getWeight only ramps inside (0, warmup)
          int w = (Integer) calc.invoke(null, uptime, warmup, weight);
          rows.add("[" + uptime + "," + warmup + "," + weight + "," + w + "]");
        }
      }
    }
    return rows;
  }

  /** [url template ({ts} is the timestamp), uptime in ms or null for a URL without {ts}] */
  static final Object[][] WEIGHT_ROWS = {
    {"dubbo://10.0.0.1:20880/a.B", null},
    {"dubbo://10.0.0.1:20880/a.B?weight=7", null},
    {"dubbo://10.0.0.1:20880/a.B?weight=-5", null},
    {"dubbo://10.0.0.1:20880/a.B?weight=0&timestamp={ts}", 1000L},
    {"dubbo://10.0.0.1:20880/a.B?weight=100&timestamp={ts}", -5000L},
    {"dubbo://10.0.0.1:20880/a.B?weight=0&timestamp={ts}", -5000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 0L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}&warmup=0", 1000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}&warmup=-1", 1000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 1L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 6000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 12_000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 300_000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 599_999L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 600_000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 700_000L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp={ts}", 3_000_000_000L},
    {"dubbo://10.0.0.1:20880/a.B?weight=10&warmup=1000&timestamp={ts}", 500L},
    {"dubbo://10.0.0.1:20880/a.B?weight=3&warmup=10&timestamp={ts}", 7L},
    {"dubbo://10.0.0.1:20880/a.B?weight=10&m.weight=50&warmup=1000&timestamp={ts}", 500L},
    {"dubbo://10.0.0.1:20880/a.B?weight=10&other.weight=50&warmup=1000&timestamp={ts}", 500L},
    {"dubbo://10.0.0.1:20880/a.B?m.warmup=1000&timestamp={ts}", 500L},
    {"dubbo://10.0.0.1:20880/a.B?default.weight=5", null},
    {"dubbo://10.0.0.1:20880/a.B?default.warmup=1000&timestamp={ts}", 500L},
    {"dubbo://10.0.0.1:20880/a.B?weight=100&warmup=2147483647&timestamp={ts}", 2_147_483_646L},
    {"dubbo://10.0.0.1:20880/a.B?weight=1000000&warmup=600000&timestamp={ts}", 123_457L},
    {"dubbo://10.0.0.1:20880/a.B?timestamp=0", null},
    {"dubbo://10.0.0.1:20880/a.B?timestamp=-5&weight=8", null},
    {"dubbo://10.0.0.1:20880/a.B?weight=", null},
    {"dubbo://10.0.0.1:20880/a.B?weight=1.5", null},
    {"dubbo://10.0.0.1:20880/a.B?weight=abc", null},
    {"dubbo://10.0.0.1:20880/a.B?timestamp=abc", null},
    {"dubbo://10.0.0.1:20880/a.B?warmup=abc&timestamp={ts}", 1000L},
  };

  static List<String> getWeight() {
    WeightProbe probe = new WeightProbe();
    RpcInvocation inv = invocation("m", new Class<?>[] {String.class}, new Object[] {"x"});
    List<String> rows = new ArrayList<>();
    for (Object[] row : WEIGHT_ROWS) {
      String template = (String) row[0];
      Long uptime = (Long) row[1];
      String json = null;
      for (int attempt = 0; attempt < 1000 && json == null; attempt++) {
        long now = System.currentTimeMillis();
        String url = uptime == null ? template : template.replace("{ts}", Long.toString(now - uptime));
        String result;
        try {
          result = Integer.toString(probe.weightOf(new UrlInvoker(url), inv));
        } catch (RuntimeException e) {
          result = q(e.getClass().getSimpleName());
        }
        if (System.currentTimeMillis() != now) continue; // the clock moved during the call: try again
        json = "{\"url\":" + q(url) + ",\"now\":" + now + ",\"weight\":" + result + "}";
      }
      if (json == null) throw new IllegalStateException("the clock never held still for " + template);
      rows.add(json);
    }
    return rows;
  }

  // ---- consistent hash ----

  /** One call: Java parameter types and arguments; JSON gives each argument as [type, string form]. */
  record Call(Class<?>[] types, Object[] args) {}

  record ChStep(List<String> urls, List<Call> calls) {}

  static String typeName(Class<?> c) {
    return c.getName();
  }

  static String argJson(Class<?> type, Object v) {
    return "[" + q(typeName(type)) + "," + (v == null ? "null" : q(v.toString())) + "]";
  }

  static String consistentHashCase(String name, List<ChStep> steps) {
    ConsistentHashLoadBalance lb = new ConsistentHashLoadBalance();
    List<String> stepJson = new ArrayList<>();
    for (ChStep step : steps) {
      List<Invoker<Object>> list = invokers(step.urls());
      List<String> calls = new ArrayList<>();
      for (Call c : step.calls()) {
        RpcInvocation inv = invocation("m", c.types(), c.args());
        int pick = list.indexOf(lb.select(list, list.get(0).getUrl(), inv));
        List<String> args = new ArrayList<>();
        for (int i = 0; i < c.args().length; i++) args.add(argJson(c.types()[i], c.args()[i]));
        calls.add("{\"args\":" + list(args) + ",\"pick\":" + pick + "}");
      }
      stepJson.add("{\"urls\":" + list(quoted(step.urls())) + ",\"calls\":" + list(calls) + "}");
    }
    return "{\"name\":" + q(name) + ",\"steps\":" + list(stepJson) + "}";
  }

  static List<Call> stringKeys(int n) {
    List<Call> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new Call(new Class<?>[] {String.class}, new Object[] {"key-" + i}));
    for (String s : new String[] {"", "null", "中文キー", "emoji \ud83d\ude00", "lone \ud800 surrogate", "a,b"}) {
      out.add(new Call(new Class<?>[] {String.class}, new Object[] {s}));
    }
    out.add(new Call(new Class<?>[] {String.class}, new Object[] {null}));
    out.add(new Call(new Class<?>[] {}, new Object[] {}));
    return out;
  }

  static List<String> providers(String query, String... addresses) {
    List<String> out = new ArrayList<>();
    for (String a : addresses) out.add("dubbo://" + a + "/a.B" + query);
    return out;
  }

  static List<String> consistentHash() {
    List<String> out = new ArrayList<>();
    String[] three = {"10.0.0.1:20880", "10.0.0.2:20880", "10.0.0.1:20881"};
    List<Call> keys = stringKeys(300);
    out.add(consistentHashCase(
        "default (160 nodes, argument 0): three providers, one goes, the list reorders, it comes back",
        List.of(
            new ChStep(providers("", three), keys),
            new ChStep(providers("", three[0], three[2]), keys),
            new ChStep(providers("", three[2], three[0]), keys),
            new ChStep(providers("", three), keys))));

    List<Call> two = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      two.add(new Call(new Class<?>[] {String.class, int.class}, new Object[] {"k" + (i % 40), i % 7}));
    }
    two.add(new Call(new Class<?>[] {String.class}, new Object[] {"only-one"}));
    out.add(consistentHashCase(
        "hash.arguments=0,1 (two arguments)",
        List.of(
            new ChStep(providers("?hash.arguments=0,1", three), two),
            new ChStep(providers("?hash.arguments=0,1", three[1], three[2]), two))));

    List<Call> second = new ArrayList<>();
    long[] longs = {0L, -1L, 42L, 9_007_199_254_740_993L, Long.MAX_VALUE, Long.MIN_VALUE};
    for (int i = 0; i < 100; i++) {
      long v = i < longs.length ? longs[i] : i * 7919L;
      second.add(new Call(new Class<?>[] {String.class, long.class}, new Object[] {"ignored", v}));
    }
    out.add(consistentHashCase(
        "m.hash.arguments=1 (method level, the second argument, a long)",
        List.of(new ChStep(providers("?m.hash.arguments=1&hash.arguments=0", three), second))));

    out.add(consistentHashCase(
        "hash.arguments=1,5,-1 (indexes past the arguments and negative ones are skipped)",
        List.of(new ChStep(providers("?hash.arguments=1,5,-1", three), second))));

    List<Call> some = stringKeys(120);
    out.add(consistentHashCase(
        "hash.nodes=8", List.of(new ChStep(providers("?hash.nodes=8", three), some))));
    out.add(consistentHashCase(
        "hash.nodes=321 (not a multiple of 4)", List.of(new ChStep(providers("?hash.nodes=321", three), some))));
    out.add(consistentHashCase(
        "m.hash.nodes=4 (method level)", List.of(new ChStep(providers("?m.hash.nodes=4", three), some))));

    List<Call> typed = new ArrayList<>();
    for (int v : new int[] {0, -1, 7, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      typed.add(new Call(new Class<?>[] {int.class}, new Object[] {v}));
      typed.add(new Call(new Class<?>[] {Integer.class}, new Object[] {v}));
    }
    for (double v :
        new double[] {0.0, -0.0, 1.0, 0.5, -2.25, 1e7, 9_999_999.0, 1e-3, 9.99e-4, 1e-4, 123456789.125, 1e21, 0.1,
          1.0 / 3, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE}) {
      typed.add(new Call(new Class<?>[] {double.class}, new Object[] {v}));
      typed.add(new Call(new Class<?>[] {Double.class}, new Object[] {v}));
    }
    for (boolean v : new boolean[] {true, false}) typed.add(new Call(new Class<?>[] {boolean.class}, new Object[] {v}));
    typed.add(new Call(new Class<?>[] {Long.class}, new Object[] {null}));
    out.add(consistentHashCase(
        "typed arguments: int, Integer, double, Double, boolean, null (String.valueOf)",
        List.of(new ChStep(providers("", three), typed))));

    String[] loopback = {"[::ffff:127.0.0.1]:20880", "[::ffff:127.0.0.1]:20881", "[::ffff:127.0.0.1]:20882"};
    out.add(consistentHashCase(
        "IPv4-mapped loopback addresses", List.of(new ChStep(providers("", loopback), stringKeys(100)))));
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, List<String>> parts = new LinkedHashMap<>();
    parts.put("roundRobin", roundRobin());
    parts.put("warmupRamp", warmupRamp());
    parts.put("getWeight", getWeight());
    parts.put("consistentHash", consistentHash());
    StringBuilder b = new StringBuilder("{\"generator\":\"tools/interop/java BalanceGolden (Dubbo ")
        .append(org.apache.dubbo.common.Version.getVersion())
        .append(")\"");
    for (Map.Entry<String, List<String>> e : parts.entrySet()) {
      b.append(",\n").append(q(e.getKey())).append(":[\n").append(String.join(",\n", e.getValue())).append("]");
    }
    System.out.println(b.append("}"));
  }
}
