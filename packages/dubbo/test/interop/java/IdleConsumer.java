// A Java Dubbo 3.3 consumer that calls, stays idle, and calls again: for heartbeat-provider.test.ts (run with the
// single-file source launcher on the classpath of tools/interop/java). Not part of the Java interop project.
//
//   IdleConsumer dubbo://127.0.0.1:PORT IDLE_MS [HEARTBEAT_MS]
//
// Prints "CALL1 ok" or "CALL1 FAIL <reason>", then after IDLE_MS the same for CALL2, then "DONE"; exit 0.
// HEARTBEAT_MS sets the consumer's heartbeat (Java's default is 60000, i.e. none within the test).
import java.util.HashMap;
import java.util.Map;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.interop.service.InteropService;

public final class IdleConsumer {
  public static void main(String[] argv) throws Exception {
    // Java Dubbo rewrites 127.x hosts to the machine's address; the IPv4-mapped literal keeps it on loopback
    String url = argv[0].replaceFirst("^dubbo://127\\.0\\.0\\.1", "dubbo://[::ffff:127.0.0.1]");
    long idleMs = Long.parseLong(argv[1]);
    ApplicationConfig app = new ApplicationConfig("dubbo-ts-idle-consumer");
    app.setQosEnable(false);
    app.setSerializeCheckStatus("WARN");
    ReferenceConfig<InteropService> ref = new ReferenceConfig<>();
    ref.setInterface(InteropService.class);
    ref.setUrl(url + "/" + InteropService.class.getName());
    ref.setTimeout(5000);
    ref.setRetries(0);
    if (argv.length > 2) {
      Map<String, String> params = new HashMap<>();
      params.put("heartbeat", argv[2]);
      ref.setParameters(params);
    }
    DubboBootstrap.getInstance().application(app).reference(ref).start();
    InteropService svc = ref.get();
    call("CALL1", svc, "first");
    Thread.sleep(idleMs);
    call("CALL2", svc, "second");
    System.out.println("DONE");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }

  static void call(String label, InteropService svc, String v) {
    try {
      String r = svc.echoString(v);
      System.out.println(label + (v.equals(r) ? " ok" : " FAIL got " + r));
    } catch (Throwable e) {
      System.out.println(label + " FAIL " + String.valueOf(e).replace('\n', ' '));
    }
    System.out.flush();
  }
}
