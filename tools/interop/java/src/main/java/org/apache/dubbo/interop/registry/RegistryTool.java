package org.apache.dubbo.interop.registry;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.registry.Registry;
import org.apache.dubbo.registry.RegistryFactory;
import org.apache.dubbo.rpc.model.ApplicationModel;

/**
 * Java Dubbo 3.3's own registry code, driven from the command line, so TypeScript tests can check that each side
 * reads what the other writes.
 *
 * <pre>
 * RegistryTool lookup REGISTRY_URL INTERFACE [GROUP] [VERSION]
 *     prints "URL <full string>" and "FIELDS protocol=.. host=.. port=.. path=.. key=value..." per provider found
 *     by Java's Registry.lookup, then "DONE n"
 * RegistryTool register REGISTRY_URL URL...
 *     registers each URL through Java's Registry.register, prints "READY", unregisters when stdin closes
 * </pre>
 */
public final class RegistryTool {
  public static void main(String[] args) throws Exception {
    RegistryFactory factory =
        ApplicationModel.defaultModel().getExtensionLoader(RegistryFactory.class).getAdaptiveExtension();
    Registry registry = factory.getRegistry(URL.valueOf(args[1]).addParameter("application", "dubbo-ts-registry-tool"));
    switch (args[0]) {
      case "lookup": {
        String iface = args[2];
        URL consumer = URL.valueOf("consumer://127.0.0.1/" + iface + "?interface=" + iface
            + "&category=providers&check=false&side=consumer"
            + (args.length > 3 ? "&group=" + args[3] : "")
            + (args.length > 4 ? "&version=" + args[4] : ""));
        List<URL> urls = registry.lookup(consumer);
        int n = 0;
        for (URL u : urls) {
          if ("empty".equals(u.getProtocol())) continue;
          n++;
          System.out.println("URL " + u.toFullString());
          StringBuilder sb = new StringBuilder("FIELDS protocol=" + u.getProtocol() + " host=" + u.getHost()
              + " port=" + u.getPort() + " path=" + u.getPath());
          for (Map.Entry<String, String> e : new TreeMap<>(u.getParameters()).entrySet()) {
            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
          }
          System.out.println(sb);
        }
        System.out.println("DONE " + n);
        System.out.flush();
        registry.destroy();
        System.exit(0);
        break;
      }
      case "register": {
        URL[] urls = new URL[args.length - 2];
        for (int i = 2; i < args.length; i++) {
          urls[i - 2] = URL.valueOf(args[i]);
          registry.register(urls[i - 2]);
        }
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
          // wait for stdin to close
        }
        for (URL u : urls) registry.unregister(u);
        registry.destroy();
        System.exit(0);
        break;
      }
      default:
        System.err.println("usage: RegistryTool lookup|register REGISTRY_URL ...");
        System.exit(2);
    }
  }
}
