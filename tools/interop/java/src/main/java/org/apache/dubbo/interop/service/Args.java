package org.apache.dubbo.interop.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tiny argument parser: positional args plus --name value options, falling back to -Dinterop.name properties. */
final class Args {
  final List<String> positional = new ArrayList<>();
  private final Map<String, String> options = new HashMap<>();

  Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        if (eq > 0) {
          options.put(a.substring(2, eq), a.substring(eq + 1));
        } else if (i + 1 < args.length) {
          options.put(a.substring(2), args[++i]);
        } else {
          options.put(a.substring(2), "true");
        }
      } else {
        positional.add(a);
      }
    }
  }

  String get(String name, int position, String defaultValue) {
    String v = options.get(name);
    if (v == null && position >= 0 && position < positional.size()) v = positional.get(position);
    if (v == null) v = System.getProperty("interop." + name);
    return v == null ? defaultValue : v;
  }

  int getInt(String name, int position, int defaultValue) {
    String v = get(name, position, null);
    return v == null ? defaultValue : Integer.parseInt(v);
  }

  /**
   * Java Dubbo replaces a 127.x or localhost host in a direct URL with the machine's own (non-loopback) address
   * before connecting (NetUtils.filterLocalHost). Writing the host as the IPv4-mapped IPv6 literal
   * [::ffff:127.0.0.1] keeps the connection on loopback: Dubbo does not rewrite it and Java connects to 127.0.0.1.
   */
  static String keepLoopback(String url) {
    return url.replaceFirst("^([a-z]+://)(?:localhost|(127\\.\\d+\\.\\d+\\.\\d+))(?=[:/]|$)", "$1[::ffff:$2]")
        .replace("[::ffff:]", "[::ffff:127.0.0.1]");
  }
}
