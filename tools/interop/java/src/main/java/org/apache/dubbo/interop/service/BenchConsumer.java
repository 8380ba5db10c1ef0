package org.apache.dubbo.interop.service;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * The anchor of `pnpm bench rpc`: apache/dubbo-benchmark's four calls (existUser, createUser, getUser, listUser, as
 * its AbstractClient makes them) plus echo of a ~200-byte string, each run with N calls in flight for T seconds.
 *
 * <pre>
 * BenchConsumer URL [--inflight N] [--seconds T] [--warmup W] [--calls existUser,createUser,getUser,listUser,echo] [--retries R]
 * BenchConsumer URL --serve=true [--retries R]
 *   URL  dubbo://127.0.0.1:PORT (interface paths are appended); several joined by ; make one failover cluster
 *   retries  failover retries; default 0 (a benchmark counts every failure)
 *   defaults: inflight 32, seconds 10, warmup 3 (seconds per call, not measured), all five calls
 * </pre>
 * Prints one line per call:
 * {@code BENCH call=getUser inflight=32 seconds=10.00 calls=123456 errors=0 rps=12345.6 p50_us=250 p99_us=900}
 * then "BENCH done". One connection (Dubbo's default shared connection), N threads calling synchronously.
 *
 * <p>With {@code --serve=true} it connects once, prints "BENCH ready", then runs one round per stdin line
 * {@code run CALL INFLIGHT SECONDS [lats]} (one BENCH line each; with "lats" then a line "LATS" and every call's
 * latency in us, sorted, for percentiles over several rounds) until "quit" or end of input: `pnpm bench rpc` keeps one
 * warmed JVM and interleaves its rounds with the TS rounds, instead of a fresh JVM (JIT still compiling) per level.
 */
public final class BenchConsumer {
  /** The ~200-byte string echoed by the echo case (ASCII, 200 chars). */
  public static final String ECHO_PAYLOAD = Fixtures.digits(200);

  interface Call {
    Object invoke(int counter) throws Exception;
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String url = args.get("url", 0, null);
    if (url == null) {
      System.err.println("usage: BenchConsumer dubbo://127.0.0.1:PORT[;dubbo://...] [--inflight N] [--seconds T] [--warmup W] [--calls a,b] [--retries R]");
      System.exit(2);
    }
    String base = Args.keepLoopback(url.replaceAll("/+$", ""));
    int inflight = args.getInt("inflight", -1, 32);
    double seconds = Double.parseDouble(args.get("seconds", -1, "10"));
    double warmup = Double.parseDouble(args.get("warmup", -1, "3"));
    List<String> calls = Arrays.asList(args.get("calls", -1, "existUser,createUser,getUser,listUser,echo").split(","));
    int retries = args.getInt("retries", -1, 0);

    ApplicationConfig application = new ApplicationConfig("dubbo-ts-bench-consumer");
    application.setQosEnable(false);
    application.setSerializeCheckStatus("WARN");

    ReferenceConfig<UserService> uref = new ReferenceConfig<>();
    uref.setInterface(UserService.class);
    uref.setUrl(withPath(base, UserService.class.getName()));
    uref.setTimeout(10_000);
    uref.setRetries(retries);
    ReferenceConfig<InteropService> iref = new ReferenceConfig<>();
    iref.setInterface(InteropService.class);
    iref.setUrl(withPath(base, InteropService.class.getName()));
    iref.setTimeout(10_000);
    iref.setRetries(retries);
    DubboBootstrap.getInstance().application(application).reference(uref).reference(iref).start();
    UserService users = uref.get();
    InteropService interop = iref.get();
    UserServiceImpl local = new UserServiceImpl();

    if (Boolean.parseBoolean(args.get("serve", -1, "false"))) {
      System.out.println("BENCH ready");
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String cmd = in.readLine(); cmd != null && !cmd.trim().equals("quit"); cmd = in.readLine()) {
        String[] w = cmd.trim().split("\\s+");
        if (w.length < 4 || w.length > 5 || !w[0].equals("run")) {
          System.out.println("BENCH error=usage: run CALL INFLIGHT SECONDS [lats]");
          System.out.flush();
          continue;
        }
        try {
          int n = Integer.parseInt(w[2]);
          Result r = run(callOf(w[1], users, interop, local), n, Double.parseDouble(w[3]));
          report(w[1], n, r);
          if (w.length == 5) {
            StringBuilder b = new StringBuilder(r.lats.length * 5).append("LATS");
            for (long ns : r.lats) b.append(' ').append(ns / 1000);
            System.out.println(b);
            System.out.flush();
          }
        } catch (IllegalArgumentException e) {
          System.out.println("BENCH error=" + e.getMessage());
          System.out.flush();
        }
      }
      Runtime.getRuntime().halt(0);
    }
    for (String name : calls) {
      Call call = callOf(name, users, interop, local);
      if (warmup > 0) run(call, inflight, warmup);
      report(name, inflight, run(call, inflight, seconds));
    }
    System.out.println("BENCH done");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  static Call callOf(String name, UserService users, InteropService interop, UserServiceImpl local) {
    return switch (name) {
      case "existUser" -> i -> users.existUser(String.valueOf(i));
      case "createUser" -> i -> users.createUser(local.getUser(i));
      case "getUser" -> i -> users.getUser(i);
      case "listUser" -> i -> users.listUser(i);
      case "echo" -> i -> interop.echo(ECHO_PAYLOAD);
      default -> throw new IllegalArgumentException("unknown call " + name);
    };
  }

  static void report(String name, int inflight, Result r) {
    System.out.printf("BENCH call=%s inflight=%d seconds=%.2f calls=%d errors=%d rps=%.1f p50_us=%d p99_us=%d%n",
        name, inflight, r.seconds, r.calls, r.errors, r.calls / r.seconds, r.p50, r.p99);
    System.out.flush();
  }

  /** Each of Java's `;`-separated direct URLs with the service path (several make one failover cluster). */
  static String withPath(String urls, String path) {
    StringBuilder out = new StringBuilder();
    for (String u : urls.split(";")) {
      if (out.length() > 0) out.append(';');
      out.append(Args.keepLoopback(u.replaceAll("/+$", ""))).append('/').append(path);
    }
    return out.toString();
  }

  /** A round's figures; {@code lats} every call's latency in ns, sorted. */
  record Result(long calls, long errors, double seconds, long p50, long p99, long[] lats) {}

  static Result run(Call call, int inflight, double seconds) throws InterruptedException {
    AtomicInteger counter = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    long[][] lat = new long[inflight][];
    int[] counts = new int[inflight];
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(inflight);
    for (int t = 0; t < inflight; t++) {
      final int slot = t;
      Thread th = new Thread(() -> {
        long[] mine = new long[1 << 12]; // grows; 200 threads x 512 KB each was 100 MB of garbage per round
        int n = 0;
        try {
          while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) break;
            try {
              call.invoke(counter.getAndIncrement());
            } catch (Exception e) {
              errors.incrementAndGet();
            }
            if (n == mine.length) mine = Arrays.copyOf(mine, n * 2);
            mine[n++] = System.nanoTime() - t0;
          }
        } finally {
          lat[slot] = mine;
          counts[slot] = n;
          done.countDown();
        }
      });
      th.setDaemon(true);
      th.start();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = 0;
    for (int c : counts) total += c;
    long[] all = new long[total];
    int k = 0;
    for (int t = 0; t < inflight; t++) {
      System.arraycopy(lat[t], 0, all, k, counts[t]);
      k += counts[t];
    }
    Arrays.sort(all);
    long p50 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.floor(total * 0.50))] / 1000;
    long p99 = total == 0 ? 0 : all[(int) Math.min(total - 1, Math.floor(total * 0.99))] / 1000;
    return new Result(total, errors.get(), elapsed, p50, p99, all);
  }
}
