package org.apache.dubbo.interop.hessian;

import java.io.Serializable;
import java.util.Date;
import java.util.List;
import java.util.Map;

/** POJOs and enums used by the hessian2 golden vectors (the TS tests register the same names). */
public final class GoldenTypes {
  private GoldenTypes() {}

  public enum Color { RED, GREEN, BLUE }

  public static class User implements Serializable {
    public long id;
    public String name;
    public String email;
    public int age;
    public boolean active;
    public List<String> tags;
    public Date createdAt;
  }

  public static class Boxed implements Serializable {
    public Integer i;
    public Long l;
    public Double d;
    public Boolean b;
    public String s;
    public Short sh;
    public Byte by;
    public Character c;
    public Float f;
  }

  /**
   * Primitive fields. No primitive float: hessian-lite 4.0.4 reads a primitive float field back as 0.0 and clobbers
   * the fields stored next to it (a Java-to-Java round trip fails), so no codec could pass such a vector; boxed
   * Float is in {@link Boxed}.
   */
  public static class Prims implements Serializable {
    public int i;
    public long l;
    public double d;
    public short s;
    public byte b;
    public char c;
    public boolean z;
  }

  public static class Node implements Serializable {
    public String name;
    public Node next;
  }

  public static class Base implements Serializable {
    public String baseField;
  }

  public static class Derived extends Base {
    public int derivedField;
  }

  public static class Holder implements Serializable {
    public Object value;
    public Color color;
    public Map<String, Object> extra;
  }

  /** A user exception class, registered by the TS side like a POJO. */
  public static class BizException extends RuntimeException {
    public int code;

    public BizException(String message, int code) {
      super(message);
      this.code = code;
    }
  }
}
