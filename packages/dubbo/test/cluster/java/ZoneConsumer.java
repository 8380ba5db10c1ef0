import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.service.InteropService;
import org.apache.dubbo.rpc.RpcContext;

/**
 * A Java Dubbo 3.3 consumer of InteropService (group a) through two ZooKeeper registries, one per zone, for
 * clusters-java-go-groups.test.ts: the same zone-aware calls as the TS consumer makes there (no cluster set: Java
 * joins several registries with zone-aware by itself). Per case it prints one line:
 *
 * <pre>
 * CASE name hits=J,G OK n
 * CASE name hits=J,G THROWN class
 * </pre>
 *
 * where hits are the calls each provider received for the case and n the calls answered. Usage:
 * {@code java ZoneConsumer.java ZK_ADDRESS EAST_ROOT WEST_ROOT JAVA_URL GO_URL} (provider URLs with {@code ?group=a}).
 */
public class ZoneConsumer {
  public static void main(String[] args) throws Exception {
    try {
      cases(args);
    } catch (Throwable t) {
      System.out.println("FATAL " + t);
      for (StackTraceElement e : t.getStackTrace()) System.out.println("FATAL   at " + e);
      System.out.flush();
      System.exit(1);
    }
    System.exit(0);
  }

  static RegistryConfig registry(String id, String zk, String root, String zone, boolean preferred) {
    RegistryConfig r = new RegistryConfig("zookeeper://" + zk);
    r.setId(id);
    r.setGroup(root);
    r.setZone(zone);
    if (preferred) r.setPreferred(true);
    return r;
  }

  static void cases(String[] args) throws Throwable {
    System.setProperty("dubbo.application.service-discovery.migration", "FORCE_INTERFACE");
    String zk = args[0];
    RegistryConfig east = registry("east", zk, args[1], "east", false);
    RegistryConfig west = registry("west", zk, args[2], "west", false);
    RegistryConfig westPreferred = registry("westPreferred", zk, args[2], "west", true);
    ApplicationConfig application = new ApplicationConfig("dubbo-ts-zone-consumer");
    application.setQosEnable(false);
    DubboBootstrap.getInstance()
        .application(application)
        .registries(Arrays.asList(east, west, westPreferred))
        .start();
    List<InteropService> counters = new ArrayList<>();
    for (int i = 3; i <= 4; i++) {
      String u = args[i];
      ReferenceConfig<InteropService> c = new ReferenceConfig<>();
      c.setInterface(InteropService.class);
      c.setUrl(u.substring(0, u.indexOf('?')));
      c.setGroup("a");
      c.setTimeout(10_000);
      counters.add(c.get());
    }
    InteropService zoned = reference(Arrays.asList(east, west));
    InteropService preferred = reference(Arrays.asList(east, westPreferred));
    // both registries' providers listed before the first case: a call to each zone answers
    for (InteropService s : Arrays.asList(zoned, preferred)) {
      for (String zone : new String[] {"east", "west"}) {
        Throwable last = null;
        for (long end = System.currentTimeMillis() + 60_000; System.currentTimeMillis() < end; ) {
          try {
            RpcContext.getClientAttachment().setAttachment("registry_zone", zone);
            RpcContext.getClientAttachment().setAttachment("registry_zone_force", "true");
            s.echoString("probe");
            last = null;
            break;
          } catch (Throwable t) {
            last = t;
            Thread.sleep(200);
          }
        }
        if (last != null && s == zoned) throw last;
      }
    }
    RpcContext.getClientAttachment().clearAttachments();
    run(counters, "west", zoned, "west", null);
    run(counters, "east", zoned, "east", null);
    run(counters, "force-north", zoned, "north", "true");
    run(counters, "preferred-over-east", preferred, "east", null);
  }

  static InteropService reference(List<RegistryConfig> registries) {
    ReferenceConfig<InteropService> ref = new ReferenceConfig<>();
    ref.setInterface(InteropService.class);
    ref.setGroup("a");
    ref.setCheck(false);
    ref.setTimeout(10_000);
    ref.setRegistries(registries);
    return ref.get();
  }

  static void run(List<InteropService> counters, String name, InteropService svc, String zone, String force)
      throws Exception {
    for (InteropService s : counters) s.resetHits();
    String outcome;
    int answered = 0;
    try {
      for (int i = 0; i < 4; i++) {
        RpcContext.getClientAttachment().setAttachment("registry_zone", zone);
        if (force != null) RpcContext.getClientAttachment().setAttachment("registry_zone_force", force);
        svc.echoString("z" + i);
        answered++;
      }
      outcome = "OK " + answered;
    } catch (Throwable t) {
      outcome = "THROWN " + t.getClass().getName();
    }
    RpcContext.getClientAttachment().clearAttachments();
    System.out.println("CASE " + name + " hits=" + counters.get(0).hits() + "," + counters.get(1).hits() + " " + outcome);
    System.out.flush();
  }
}
