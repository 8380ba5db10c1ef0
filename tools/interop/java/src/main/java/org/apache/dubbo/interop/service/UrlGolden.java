package org.apache.dubbo.interop.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.dubbo.common.URL;

/**
 * Prints golden vectors of org.apache.dubbo.common.URL (parse, strings, keys) and URL.encode/decode as JSON, for
 * packages/dubbo/test/common/url-golden.json: {@code interop.sh url-golden > packages/dubbo/test/common/url-golden.json}.
 */
public final class UrlGolden {
  static final String[] URLS = {
    "dubbo://admin:hello1234@10.20.130.230:20880/context/path?version=1.0.0&application=morgan&noValue",
    "dubbo://10.20.130.230:20880/org.apache.Svc?interface=org.apache.Svc&group=g1&version=1.0.0&timeout=3000"
        + "&default.retries=5&methods=sayHello,echo&sayHello.timeout=500",
    "dubbo://127.0.0.1:20880/org.apache.dubbo.demo.DemoService?anyhost=true&application=demo&dubbo=2.0.2"
        + "&interface=org.apache.dubbo.demo.DemoService&methods=sayHello,sayHelloAsync&pid=1&release=3.3.6"
        + "&side=provider&timestamp=1700000000000",
    "zookeeper://127.0.0.1:2181/org.apache.dubbo.registry.RegistryService?backup=127.0.0.1:2182,127.0.0.1:2183"
        + "&application=demo",
    "consumer://10.0.0.1/org.apache.Svc?category=consumers&check=false&group=g&version=1.0",
    "file:/home/user1/router.js?type=script",
    "file:///home/user1/router.js?type=script",
    "file:///D:/1/router.js?type=script",
    "10.20.130.230:20880",
    "dubbo://[::1]:20880/svc",
    "dubbo://[::ffff:127.0.0.1]:20880/svc?interface=x.Y",
    "dubbo://fe80:0:0:0:894:aeec:f37d:23e1%en0/svc",
    "dubbo://host:20880/svc?a=1;b=2&&c==3&=d&e= x ",
    "dubbo://admin@host/p#frag?x=1",
    "dubbo://h:1/p#a?b=c",
    "/home/user1/router.js?type=script",
    "home/user1/router.js?type=script",
    "dubbo://host:20880/svc?key=va=lue",
    "dubbo://u:p@h:1/a/b/c?x",
    "dubbo://h:1?x=1",
    "dubbo://h",
    "dubbo://:20880/svc",
    "dubbo://h:1/p?a=1&a=2",
    "dubbo://h:1/p?default.timeout=5&timeout=7",
    "dubbo://h:1/p?timeout=7&default.timeout=5",
    "dubbo://h:1/p?k=%E4%B8%AD&s=a+b",
    "dubbo://h:1/p?",
    "dubbo://user@h:1",
    "dubbo://:pwd@host:1/x",
    "dubbo://h:1/p?interface=I&version=&group=",
    "tri://h:50051/p?interface=I&group=G&version=V&methods=a,b&a.timeout=10&b.retries=3&timeout=99",
    "://host",
    "dubbo://host:abc/x",
    "dubbo://host:/x",
    "dubbo://h:99999999999/p",
  };

  static String q(String s) {
    if (s == null) return "null";
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }

  static String urlJson(String input, boolean encoded) {
    StringBuilder b = new StringBuilder("{\"input\":").append(q(input)).append(",\"encoded\":").append(encoded);
    URL u;
    try {
      u = URL.valueOf(input, encoded);
    } catch (RuntimeException e) {
      return b.append(",\"error\":").append(q(e.getClass().getSimpleName())).append('}').toString();
    }
    b.append(",\"protocol\":").append(q(u.getProtocol()));
    b.append(",\"username\":").append(q(u.getUsername()));
    b.append(",\"password\":").append(q(u.getPassword()));
    b.append(",\"host\":").append(q(u.getHost()));
    b.append(",\"port\":").append(u.getPort());
    b.append(",\"path\":").append(q(u.getPath()));
    b.append(",\"parameters\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(u.getParameters()).entrySet()) {
      if (!first) b.append(',');
      first = false;
      b.append(q(e.getKey())).append(':').append(q(e.getValue()));
    }
    b.append('}');
    b.append(",\"toString\":").append(q(u.toString()));
    b.append(",\"toFullString\":").append(q(u.toFullString()));
    b.append(",\"toIdentityString\":").append(q(u.toIdentityString()));
    b.append(",\"toServiceString\":").append(q(u.toServiceStringWithoutResolving()));
    b.append(",\"serviceKey\":").append(q(u.getServiceKey()));
    b.append(",\"pathKey\":").append(q(u.getPathKey()));
    b.append(",\"colonSeparatedKey\":").append(q(u.getColonSeparatedKey()));
    b.append(",\"displayServiceKey\":").append(q(u.getDisplayServiceKey()));
    b.append(",\"protocolServiceKey\":").append(q(u.getProtocolServiceKey()));
    b.append(",\"address\":").append(q(u.getAddress()));
    b.append(",\"authority\":").append(q(u.getAuthority()));
    b.append(",\"timeout\":").append(u.getParameter("timeout", 1000));
    b.append(",\"timeoutA\":").append(u.getMethodParameter("a", "timeout", 1000));
    b.append(",\"retriesB\":").append(u.getMethodParameter("b", "retries", 2));
    return b.append('}').toString();
  }

  public static void main(String[] args) {
    List<String> items = new ArrayList<>();
    for (String s : URLS) items.add(urlJson(s, false));
    for (String s : URLS) {
      try {
        items.add(urlJson(URL.encode(URL.valueOf(s).toFullString()), true));
      } catch (RuntimeException e) {
        // unparsable input: nothing to encode
      }
    }
    Random r = new Random(20261127);
    List<String> strings = new ArrayList<>(List.of("", " ", "~!@#$%^&*()_+-={}[]|\\:\";'<>?,./`", "a b+c",
        "中文", "😀", "\ud83d", "x\udc00y", "\u0000\u007f\u0080\u07ff\u0800\uffff"));
    String alphabet = " +%&=?#/:;~*._-aZ09\u00e9\u4e2d\ud83d\ude00\u0000\u007f";
    for (int i = 0; i < 200; i++) {
      StringBuilder sb = new StringBuilder();
      int len = r.nextInt(12);
      for (int k = 0; k < len; k++) {
        int idx = r.nextInt(alphabet.length());
        char c = alphabet.charAt(idx);
        sb.append(c);
        if (Character.isHighSurrogate(c) && r.nextInt(4) > 0 && idx + 1 < alphabet.length()) {
          sb.append(alphabet.charAt(idx + 1));
        }
      }
      strings.add(sb.toString());
    }
    List<String> enc = new ArrayList<>();
    for (String s : strings) {
      String e = URL.encode(s);
      enc.add("{\"value\":" + q(s) + ",\"encoded\":" + q(e) + ",\"decoded\":" + q(URL.decode(e)) + "}");
    }
    List<String> dec = new ArrayList<>();
    for (String s : new String[] {"a+b%20c", "%E4%B8%AD%e6%96%87", "%F0%9F%98%80", "%C3%28", "%FF", "%+1", "%ED%A0%BD",
        "%F0%9F%98", "%E4%B8%ADx%E6", "%", "%4", "%zz", "%-1", "abc%", "%C0%80"}) {
      String out;
      try {
        out = "\"decoded\":" + q(URL.decode(s));
      } catch (RuntimeException e) {
        out = "\"error\":" + q(e.getClass().getSimpleName());
      }
      dec.add("{\"value\":" + q(s) + "," + out + "}");
    }
    System.out.println("{\"generator\":\"tools/interop/java UrlGolden (Dubbo 3.3.6)\",");
    System.out.println("\"urls\":[\n" + String.join(",\n", items) + "],");
    System.out.println("\"encode\":[\n" + String.join(",\n", enc) + "],");
    System.out.println("\"decode\":[\n" + String.join(",\n", dec) + "]}");
  }
}
