package org.apache.dubbo.interop.service;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcException;

/**
 * FlowConsumer URL [--calls N] [--timeout MS] [--retries R]: calls InteropService.echoString N times one after
 * another against a (rate-limited) provider and prints what Java saw for each call, for the flow-control tests:
 *
 * <pre>
 *   CALL i OK
 *   CALL i ERR class=<exception class> code=<RpcException code or -> message=<message, one line>
 *   FLOW ok=N err=M
 * </pre>
 */
public final class FlowConsumer {
  private static final String IFACE = "org.apache.dubbo.interop.service.InteropService";

  private FlowConsumer() {}

  public static void main(String[] argv) {
    Args args = new Args(argv);
    String url = args.get("url", 0, null);
    if (url == null) {
      System.err.println("usage: FlowConsumer dubbo://127.0.0.1:PORT [--calls N] [--timeout MS] [--retries R]");
      System.exit(2);
    }
    int calls = args.getInt("calls", -1, 10);
    String base = Args.keepLoopback(url.replaceAll("/+$", ""));
    String serviceUrl = base.matches("^[a-z]+://[^/]+$") ? base + "/" + IFACE : base;

    ApplicationConfig application = new ApplicationConfig("dubbo-ts-flow-consumer");
    application.setQosEnable(false);
    ReferenceConfig<InteropService> ref = new ReferenceConfig<>();
    ref.setInterface(InteropService.class);
    ref.setUrl(serviceUrl);
    ref.setTimeout(args.getInt("timeout", -1, 10_000));
    ref.setRetries(args.getInt("retries", -1, 0));
    DubboBootstrap.getInstance().application(application).reference(ref).start();
    InteropService svc = ref.get();

    int ok = 0;
    int err = 0;
    for (int i = 0; i < calls; i++) {
      try {
        svc.echoString("flow-" + i);
        ok++;
        System.out.println("CALL " + i + " OK");
      } catch (Throwable e) {
        err++;
        String code = e instanceof RpcException ? String.valueOf(((RpcException) e).getCode()) : "-";
        String msg = String.valueOf(e.getMessage()).replace('\n', ' ');
        System.out.println("CALL " + i + " ERR class=" + e.getClass().getName() + " code=" + code + " message=" + msg);
      }
      System.out.flush();
    }
    System.out.println("FLOW ok=" + ok + " err=" + err);
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
