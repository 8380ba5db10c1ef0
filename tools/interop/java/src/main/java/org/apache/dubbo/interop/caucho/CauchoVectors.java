package org.apache.dubbo.interop.caucho;

import com.caucho.hessian.io.Hessian2Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test vectors written by stock Caucho Hessian ({@code com.caucho:hessian}), not hessian-lite. Caucho has no serializer
 * of its own for {@code java.math.BigDecimal} and {@code java.math.BigInteger}: it writes them as their raw fields
 * ({@code intVal}, {@code scale}, {@code precision}, {@code stringCache}, {@code intCompact}; {@code signum},
 * {@code mag}, ...), where hessian-lite writes a BigDecimal as its string {@code value}.
 * <p>{@code generate <dir>} writes one {@code <name>.bin} per vector plus {@code manifest.json} with each value's
 * {@code toString()} (deterministic: CI regenerates and diffs them against the committed ones).
 */
public final class CauchoVectors {
  private CauchoVectors() {}

  static byte[] encode(Object o) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    Hessian2Output out = new Hessian2Output(bos);
    out.writeObject(o);
    out.flush();
    return bos.toByteArray();
  }

  static Map<String, Object> vectors() {
    Map<String, Object> v = new LinkedHashMap<>();
    // BigDecimals made from a BigInteger keep it in their intVal field, so Caucho's fields form carries the value.
    v.put("bigdecimal_zero", BigDecimal.ZERO);
    v.put("bigdecimal_one", BigDecimal.ONE);
    v.put("bigdecimal_ten", BigDecimal.TEN);
    v.put("bigdecimal_positive", new BigDecimal(new BigInteger("12345"), 2));
    v.put("bigdecimal_negative", new BigDecimal(new BigInteger("-987654321"), 4));
    v.put("bigdecimal_zero_scale_2", new BigDecimal(BigInteger.ZERO, 2));
    v.put("bigdecimal_small_fraction", new BigDecimal(BigInteger.ONE, 6));
    v.put("bigdecimal_tiny_fraction", new BigDecimal(BigInteger.ONE, 7));
    v.put("bigdecimal_negative_tiny", new BigDecimal(new BigInteger("-123"), 12));
    v.put("bigdecimal_big_scale", new BigDecimal("1.23456789012345678901234567890123456789E-40"));
    v.put("bigdecimal_negative_scale", new BigDecimal(BigInteger.ONE, -10));
    v.put("bigdecimal_negative_scale_neg", new BigDecimal(BigInteger.valueOf(-42), -6));
    v.put("bigdecimal_long_min", new BigDecimal(Long.MIN_VALUE));
    v.put("bigdecimal_huge_unscaled", new BigDecimal("123456789012345678901234567890.123456789"));
    v.put("bigdecimal_huge_negative", new BigDecimal("-98765432109876543210987654321098765432109876543210"));
    v.put("bigdecimal_huge_negative_scale", new BigDecimal("-9.8765432109876543210987654321E+100"));
    // Values that fit a long keep it only in the transient intCompact field: Caucho writes scale and a null intVal,
    // and nothing on the wire tells the value (Caucho itself reads them back wrong).
    v.put("bigdecimal_compact_positive", new BigDecimal("123.45"));
    v.put("bigdecimal_compact_negative", new BigDecimal("-98765.4321"));
    v.put("bigdecimal_compact_long_max", new BigDecimal(Long.MAX_VALUE));
    v.put("bigdecimal_compact_negative_scale", new BigDecimal("1E+10"));
    v.put("biginteger_zero", BigInteger.ZERO);
    v.put("biginteger_positive", new BigInteger("12345"));
    v.put("biginteger_negative", new BigInteger("-12345678901234567890"));
    v.put("biginteger_huge", new BigInteger("340282366920938463463374607431768211457"));
    List<Object> list = new ArrayList<>();
    list.add(new BigDecimal(BigInteger.valueOf(15), 1));
    list.add(new BigDecimal(BigInteger.valueOf(-25), 2));
    list.add(list.get(0));
    v.put("bigdecimal_list", list);
    return v;
  }

  /** Whether Caucho's fields form of {@code o} carries its value (a BigDecimal's intVal is set). */
  static boolean carried(Object o) throws ReflectiveOperationException {
    if (o instanceof List) {
      for (Object e : (List<?>) o) if (!carried(e)) return false;
      return true;
    }
    if (!(o instanceof BigDecimal)) return true;
    Field f = BigDecimal.class.getDeclaredField("intVal");
    f.setAccessible(true);
    return f.get(o) != null;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("generate")) {
      System.err.println("usage: CauchoVectors generate <dir>");
      System.exit(2);
    }
    Path dir = Paths.get(args[1]);
    Files.createDirectories(dir);
    Map<String, Object> vectors = vectors();
    StringBuilder m = new StringBuilder("[\n");
    int i = 0;
    for (Map.Entry<String, Object> e : vectors.entrySet()) {
      Files.write(dir.resolve(e.getKey() + ".bin"), encode(e.getValue()));
      m.append("  {\"name\":\"").append(e.getKey()).append("\",\"file\":\"").append(e.getKey()).append(".bin\"");
      m.append(",\"javaType\":\"").append(javaType(e.getValue())).append("\",\"expected\":");
      if (e.getValue() instanceof List) {
        m.append('[');
        List<?> l = (List<?>) e.getValue();
        for (int j = 0; j < l.size(); j++) m.append(j > 0 ? "," : "").append('"').append(l.get(j)).append('"');
        m.append(']');
      } else {
        m.append('"').append(e.getValue()).append('"');
      }
      m.append(",\"carried\":").append(carried(e.getValue()));
      m.append('}').append(++i < vectors.size() ? ",\n" : "\n");
    }
    m.append("]\n");
    Files.write(dir.resolve("manifest.json"), m.toString().getBytes(StandardCharsets.UTF_8));
    System.out.println("generated " + vectors.size() + " Caucho Hessian vectors in " + dir);
  }

  private static String javaType(Object o) {
    return o instanceof List ? "java.util.List<java.math.BigDecimal>" : o.getClass().getName();
  }
}
