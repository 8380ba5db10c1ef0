package org.apache.dubbo.interop.service;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * Exports InteropService and UserService on the dubbo protocol (hessian2) on 127.0.0.1.
 *
 * <pre>
 * InteropProvider [PORT] [REGISTRY] [--port P] [--registry R] [--heartbeat MS] [--threads N] [--group G]
 *   PORT      0 (default) = pick a free port
 *   REGISTRY  e.g. zookeeper://127.0.0.1:2181; default N/A (no registry, direct URLs only)
 *   heartbeat provider heartbeat period in ms (idle timeout = 3x); default Dubbo's 60000
 *   threads   provider worker threads; default Dubbo's 200
 *   group     service group of both services (isolates a test's providers in a shared registry); default none
 *   params    URL parameters of InteropService, k=v,k2=v2 (e.g. echoString.tps=2,sleep.executes=1); default none
 * </pre>
 * Also -Dinterop.port, -Dinterop.registry, -Dinterop.heartbeat, -Dinterop.threads, -Dinterop.group. Prints
 * "READY <port>" once both services are exported, then runs until killed.
 */
public final class InteropProvider {
  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    int port = args.getInt("port", 0, 0);
    if (port == 0) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
    }
    String registry = args.get("registry", 1, "N/A");
    int heartbeat = args.getInt("heartbeat", -1, 0);
    int threads = args.getInt("threads", -1, 0);
    String group = args.get("group", -1, "");
    String params = args.get("params", -1, "");

    ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
    protocol.setHost("127.0.0.1");
    protocol.setSerialization("hessian2");
    if (heartbeat > 0) protocol.setHeartbeat(heartbeat);
    if (threads > 0) protocol.setThreads(threads);

    ApplicationConfig application = new ApplicationConfig("dubbo-ts-interop-provider");
    application.setQosEnable(false);
    application.setSerializeCheckStatus("WARN");

    ServiceConfig<InteropService> interop = new ServiceConfig<>();
    interop.setInterface(InteropService.class);
    interop.setRef(InteropServiceImpl.counting());

    ServiceConfig<UserService> users = new ServiceConfig<>();
    users.setInterface(UserService.class);
    users.setRef(new UserServiceImpl());
    if (!params.isEmpty()) {
      java.util.Map<String, String> map = new java.util.HashMap<>();
      for (String kv : params.split(",")) map.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      interop.setParameters(map);
    }
    if (!group.isEmpty()) {
      interop.setGroup(group);
      users.setGroup(group);
    }

    DubboBootstrap.getInstance()
        .application(application)
        .registry(new RegistryConfig(registry))
        .protocol(protocol)
        .service(interop)
        .service(users)
        .start();
    System.out.println("READY " + port);
    System.out.flush();
    Thread.currentThread().join();
  }
}
