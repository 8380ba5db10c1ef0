import java.util.ArrayList;
import java.util.List;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.service.InteropService;
import org.apache.dubbo.rpc.RpcException;

/**
 * A Java Dubbo 3.3 consumer of InteropService over the providers given as one direct URL list (a;b;c), for
 * clusters-java-go.test.ts: the same calls as the TS consumer makes there, one reference per case, so the test can
 * compare what Java does with what we do. Per case it prints one line:
 *
 * <pre>
 * CASE name hits=N OK value
 * CASE name hits=N THROWN class rpc=CODE|- cause=class|-
 * </pre>
 *
 * where hits is the number of calls the providers received for the case (their hits(), summed). Usage:
 * {@code java ClusterConsumer.java 'dubbo://[::ffff:127.0.0.1]:P1?...;dubbo://...'}
 */
public class ClusterConsumer {
  static final String SLOW = "sleep";

  public static void main(String[] args) throws Exception {
    String urls = args[0];
    DubboBootstrap.getInstance().application(new ApplicationConfig("dubbo-ts-cluster-consumer")).start();
    List<InteropService> counters = new ArrayList<>();
    for (String u : urls.split(";")) {
      ReferenceConfig<InteropService> c = new ReferenceConfig<>();
      c.setInterface(InteropService.class);
      c.setUrl(u.contains("?") ? u.substring(0, u.indexOf('?')) : u);
      c.setTimeout(10_000);
      counters.add(c.get());
    }
    String[][] cases = {
      {"failfast", "throw"}, {"failover", "throw"}, {"failover", SLOW}, {"failsafe", "throw"},
      {"failsafe", SLOW}, {"forking", "throw"}, {"broadcast", "throw"}, {"available", "throw"},
      {"failback", SLOW}, // last: its background retry (5 s later) must not land in another case
    };
    for (String[] c : cases) {
      for (InteropService s : counters) s.resetHits();
      ReferenceConfig<InteropService> ref = new ReferenceConfig<>();
      ref.setInterface(InteropService.class);
      ref.setUrl(urls);
      ref.setCluster(c[0]);
      InteropService svc = ref.get();
      String outcome;
      try {
        Object v = c[1].equals(SLOW) ? svc.sleep(2000) : svc.throwIllegalArgument(c[0]);
        outcome = "OK " + v;
      } catch (Throwable t) {
        String rpc = t instanceof RpcException ? String.valueOf(((RpcException) t).getCode()) : "-";
        String cause = t instanceof RpcException && t.getCause() != null ? t.getCause().getClass().getName() : "-";
        outcome = "THROWN " + t.getClass().getName() + " rpc=" + rpc + " cause=" + cause;
      }
      long hits = 0;
      for (InteropService s : counters) hits += s.hits();
      System.out.println("CASE " + c[0] + "-" + c[1] + " hits=" + hits + " " + outcome);
      System.out.flush();
      ref.destroy();
    }
    System.exit(0);
  }
}
