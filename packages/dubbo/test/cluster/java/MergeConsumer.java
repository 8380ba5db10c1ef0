import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.MethodConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.service.InteropService;
import org.apache.dubbo.rpc.RpcException;

/**
 * A Java Dubbo 3.3 consumer of InteropService in group {@code *} through one ZooKeeper registry (interface level),
 * for clusters-java-go-groups.test.ts: the same mergeable calls as the TS consumer makes there, so the test can
 * compare what Java does with what we do. Per case it prints one line:
 *
 * <pre>
 * CASE name hits=J,G,T OK value
 * CASE name hits=J,G,T THROWN class rpc=CODE|-
 * </pre>
 *
 * where hits are the calls each provider received for the case (their hits()). Usage:
 * {@code java MergeConsumer.java REGISTRY JAVA_URL GO_URL TS_URL} with each provider URL carrying its group
 * ({@code dubbo://host:port?group=a}).
 */
public class MergeConsumer {
  public static void main(String[] args) throws Exception {
    try {
      cases(args);
    } catch (Throwable t) {
      System.out.println("FATAL " + t);
      for (StackTraceElement e : t.getStackTrace()) System.out.println("FATAL   at " + e);
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) System.out.println("FATAL caused by " + c);
      System.out.flush();
      System.exit(1);
    }
    System.exit(0);
  }

  static void cases(String[] args) throws Exception {
    System.setProperty("dubbo.application.service-discovery.migration", "FORCE_INTERFACE");
    ApplicationConfig application = new ApplicationConfig("dubbo-ts-merge-consumer");
    application.setQosEnable(false);
    DubboBootstrap.getInstance().application(application).registry(new RegistryConfig(args[0])).start();
    List<InteropService> counters = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String u = args[i];
      ReferenceConfig<InteropService> c = new ReferenceConfig<>();
      c.setInterface(InteropService.class);
      c.setUrl(u.substring(0, u.indexOf('?')));
      c.setGroup(u.substring(u.indexOf("group=") + 6));
      c.setTimeout(10_000);
      counters.add(c.get());
    }
    InteropService patient = reference("list", 10_000);
    InteropService plain = reference(null, 10_000);
    InteropService hasty = reference("list", 0); // Java's default timeout, 1000 ms
    // every provider listed before the first case
    Throwable last = null;
    int probes = 0;
    for (long end = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < end; probes++) {
      try {
        Object v = patient.echoList(new ArrayList<>(Arrays.asList("probe")));
        if (v instanceof List && ((List<?>) v).size() == 3) break;
        last = null;
      } catch (Throwable t) {
        last = t;
      }
      Thread.sleep(200);
    }
    System.out.println("PROBES " + probes + " last=" + last);
    run(counters, "list", () -> patient.echoList(new ArrayList<>(Arrays.asList("m", 1))));
    run(counters, "array", () -> Arrays.asList(patient.echoStringArray(new String[] {"s"})));
    run(counters, "throw", () -> patient.echoList(new ArrayList<>(Arrays.asList("throw"))));
    run(counters, "allthrow", () -> patient.throwIllegalArgument("all"));
    run(counters, "nomerger", () -> plain.echoString("one"));
    run(counters, "hang", () -> hasty.echoList(new ArrayList<>(Arrays.asList("hang"))));
  }

  interface Call {
    Object call() throws Exception;
  }

  static InteropService reference(String merger, int timeout) {
    ReferenceConfig<InteropService> ref = new ReferenceConfig<>();
    ref.setInterface(InteropService.class);
    ref.setGroup("*");
    ref.setCheck(false);
    if (merger != null) {
      ref.setMerger(merger);
      // per method: by the return type (String[]: ArrayMerger)
      MethodConfig array = new MethodConfig();
      array.setName("echoStringArray");
      array.setMerger("true");
      ref.setMethods(Arrays.asList(array));
    }
    if (timeout > 0) ref.setTimeout(timeout);
    return ref.get();
  }

  static void run(List<InteropService> counters, String name, Call call) throws Exception {
    for (InteropService s : counters) s.resetHits();
    String outcome;
    try {
      outcome = "OK " + call.call();
    } catch (Throwable t) {
      String rpc = t instanceof RpcException ? String.valueOf(((RpcException) t).getCode()) : "-";
      outcome = "THROWN " + t.getClass().getName() + " rpc=" + rpc;
    }
    // a request can still be on its way to a provider when the caller has its answer
    long[] hits = new long[3];
    for (long end = System.currentTimeMillis() + 5_000; ; ) {
      long total = 0;
      for (int i = 0; i < 3; i++) total += hits[i] = counters.get(i).hits();
      if (total >= 3 || System.currentTimeMillis() > end || name.equals("nomerger")) break;
      Thread.sleep(50);
    }
    System.out.println("CASE " + name + " hits=" + hits[0] + "," + hits[1] + "," + hits[2] + " " + outcome);
    System.out.flush();
  }
}
