package org.apache.dubbo.interop;

import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;

/**
 * Exports GreeterService on the dubbo protocol (hessian2) on 127.0.0.1.
 * Usage: GreeterProvider PORT [REGISTRY]  (REGISTRY e.g. zookeeper://127.0.0.1:2181, default N/A = no registry).
 * Prints "READY <port>" once exported, then runs until killed.
 */
public final class GreeterProvider {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String registry = args.length > 1 ? args[1] : "N/A";

    ServiceConfig<GreeterService> service = new ServiceConfig<>();
    service.setInterface(GreeterService.class);
    service.setRef(new GreeterServiceImpl());

    ProtocolConfig protocol = new ProtocolConfig("dubbo", port);
    protocol.setHost("127.0.0.1");
    protocol.setSerialization("hessian2");

    ApplicationConfig application = new ApplicationConfig("dubbo-ts-interop-greeter");
    application.setQosEnable(false);

    DubboBootstrap.getInstance()
        .application(application)
        .registry(new RegistryConfig(registry))
        .protocol(protocol)
        .service(service)
        .start();
    System.out.println("READY " + port);
    System.out.flush();
    Thread.currentThread().join();
  }
}
