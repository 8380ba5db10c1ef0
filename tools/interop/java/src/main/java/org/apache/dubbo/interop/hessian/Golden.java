package org.apache.dubbo.interop.hessian;

import com.alibaba.com.caucho.hessian.io.Hessian2Input;
import com.alibaba.com.caucho.hessian.io.Hessian2Output;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * hessian-lite golden vectors for @dubbo-ts/hessian2.
 * <ul>
 *   <li>{@code generate <dir>}: writes one {@code <name>.bin} per vector plus {@code manifest.json}.</li>
 *   <li>{@code verify <dir>}: decodes each {@code <name>.bin} (written by the TS encoder) with hessian-lite and checks
 *   it against the original Java value (field by field, through the shared JSON form), printing per-vector results.</li>
 * </ul>
 */
public final class Golden {
  private Golden() {}

  static byte[] encode(Object o) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    Hessian2Output out = new Hessian2Output(bos);
    out.writeObject(o);
    out.flush();
    return bos.toByteArray();
  }

  static Object decode(byte[] b) throws IOException {
    Hessian2Input in = new Hessian2Input(new ByteArrayInputStream(b));
    Object v = in.readObject();
    if (in.read() != -1) throw new IOException("trailing bytes after the value");
    return v;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("generate") || args[0].equals("verify"))) {
      System.err.println("usage: Golden generate|verify <dir>");
      System.exit(2);
    }
    List<Vectors.Vector> vectors = Vectors.all();
    Path dir = Paths.get(args[1]);
    if (args[0].equals("generate")) generate(vectors, dir);
    else System.exit(verify(vectors, dir) ? 0 : 1);
  }

  private static void generate(List<Vectors.Vector> vectors, Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder m = new StringBuilder("[\n");
    for (int i = 0; i < vectors.size(); i++) {
      Vectors.Vector v = vectors.get(i);
      Files.write(dir.resolve(v.name + ".bin"), encode(v.value));
      m.append("  {\"name\":"); Jv.str(m, v.name);
      m.append(",\"file\":"); Jv.str(m, v.name + ".bin");
      m.append(",\"javaType\":"); Jv.str(m, v.javaType);
      m.append(",\"expected\":").append(Jv.of(v.value)).append('}');
      m.append(i + 1 < vectors.size() ? ",\n" : "\n");
    }
    m.append("]\n");
    Files.write(dir.resolve("manifest.json"), m.toString().getBytes(StandardCharsets.UTF_8));
    System.out.println("generated " + vectors.size() + " vectors in " + dir);
  }

  private static boolean verify(List<Vectors.Vector> vectors, Path dir) {
    int pass = 0, fail = 0, missing = 0;
    for (Vectors.Vector v : vectors) {
      Path f = dir.resolve(v.name + ".bin");
      if (!Files.exists(f)) {
        missing++;
        System.out.println("MISSING " + v.name);
        continue;
      }
      String expected = Jv.of(v.value);
      try {
        Object got = decode(Files.readAllBytes(f));
        String actual = Jv.of(got);
        if (expected.equals(actual)) {
          pass++;
          System.out.println("PASS " + v.name);
        } else {
          fail++;
          System.out.println("FAIL " + v.name + " expected=" + expected + " actual=" + actual);
        }
      } catch (Throwable t) {
        fail++;
        System.out.println("FAIL " + v.name + " " + t);
      }
    }
    System.out.println("verify: pass=" + pass + " fail=" + fail + " missing=" + missing + " total=" + vectors.size());
    return fail == 0 && missing == 0;
  }

}
