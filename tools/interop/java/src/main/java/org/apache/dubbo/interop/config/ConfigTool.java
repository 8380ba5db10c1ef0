package org.apache.dubbo.interop.config;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.common.config.configcenter.DynamicConfiguration;
import org.apache.dubbo.common.config.configcenter.DynamicConfigurationFactory;
import org.apache.dubbo.rpc.model.ApplicationModel;

/**
 * Java Dubbo 3.3's own config center (ZookeeperDynamicConfiguration, through its DynamicConfigurationFactory),
 * driven from the command line, so TypeScript tests can check that each side reads the rules the other writes.
 *
 * <pre>
 * ConfigTool publish CONFIG_CENTER_URL KEY [GROUP]   publishes stdin as the value; prints "PUBLISHED true|false"
 * ConfigTool get CONFIG_CENTER_URL KEY [GROUP]       prints "VALUE " and the value (or "NONE")
 * ConfigTool remove CONFIG_CENTER_URL KEY [GROUP]    prints "REMOVED true|false"
 * </pre>
 * GROUP defaults to "dubbo" (DynamicConfiguration.DEFAULT_GROUP, where governance rules live).
 */
public final class ConfigTool {
  public static void main(String[] args) throws Exception {
    URL url = URL.valueOf(args[1]);
    DynamicConfigurationFactory factory = ApplicationModel.defaultModel()
        .getExtensionLoader(DynamicConfigurationFactory.class)
        .getExtension(url.getProtocol());
    DynamicConfiguration config = factory.getDynamicConfiguration(url);
    String key = args[2];
    String group = args.length > 3 ? args[3] : DynamicConfiguration.DEFAULT_GROUP;
    switch (args[0]) {
      case "publish":
        System.out.println("PUBLISHED " + config.publishConfig(key, group, readAll(System.in)));
        break;
      case "get": {
        String v = config.getConfig(key, group);
        System.out.println(v == null ? "NONE" : "VALUE " + v);
        break;
      }
      case "remove":
        System.out.println("REMOVED " + config.removeConfig(key, group));
        break;
      default:
        System.err.println("usage: ConfigTool publish|get|remove CONFIG_CENTER_URL KEY [GROUP]");
        System.exit(2);
    }
    System.out.flush();
    config.close();
    System.exit(0);
  }

  private static String readAll(InputStream in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }
}
