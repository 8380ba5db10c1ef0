package org.apache.dubbo.interop.hessian;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.*;
import java.util.*;

/**
 * The JSON form ("jv") of a value that both the Java golden tool and the TS tests compute: the manifest's expected
 * values, and the check in verify mode (decoded value's jv equals the original value's jv).
 */
final class Jv {
  private final IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();

  static String of(Object v) {
    StringBuilder sb = new StringBuilder();
    new Jv().write(sb, v);
    return sb.toString();
  }

  static void str(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    sb.append('"');
  }

  private static final Set<String> UNORDERED = Set.of("java.util.HashMap", "java.util.Hashtable",
      "java.util.concurrent.ConcurrentHashMap", "java.util.HashSet");

  private static String dbl(double d) {
    if (Double.isNaN(d)) return "\"NaN\"";
    if (Double.isInfinite(d)) return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    if (d == 0 && 1 / d < 0) return "\"-0\"";
    return Double.toString(d);
  }

  private boolean ref(StringBuilder sb, Object v) {
    Integer r = seen.get(v);
    if (r != null) {
      sb.append("{\"ref\":").append(r).append('}');
      return true;
    }
    seen.put(v, seen.size());
    return false;
  }

  static String arrayType(Class<?> c) {
    Class<?> comp = c.getComponentType();
    String n;
    if (comp.isArray()) n = arrayType(comp);
    else if (comp == String.class) n = "string";
    else if (comp == Object.class) n = "object";
    else if (comp == Date.class) n = "date";
    else n = comp.getName();
    return "[" + n;
  }

  void write(StringBuilder sb, Object v) {
    if (v == null) { sb.append("null"); return; }
    if (v instanceof Boolean) { sb.append(v); return; }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) { sb.append("{\"int\":").append(v).append('}'); return; }
    if (v instanceof Long) { sb.append("{\"long\":\"").append(v).append("\"}"); return; }
    // hessian-lite writes a float as Double.parseDouble(String.valueOf(f))
    if (v instanceof Float) { sb.append("{\"double\":").append(dbl(Double.parseDouble(String.valueOf(v)))).append('}'); return; }
    if (v instanceof Double) { sb.append("{\"double\":").append(dbl((Double) v)).append('}'); return; }
    if (v instanceof Character) { str(sb, String.valueOf(v)); return; }
    if (v instanceof String) { str(sb, (String) v); return; }
    if (v instanceof char[]) { str(sb, new String((char[]) v)); return; }
    if (v instanceof byte[]) {
      sb.append("{\"bytes\":\"");
      for (byte b : (byte[]) v) sb.append(String.format("%02x", b & 0xff));
      sb.append("\"}");
      return;
    }
    if (v instanceof java.sql.Date || v instanceof java.sql.Time || v instanceof java.sql.Timestamp) {
      sb.append("{\"sql\":\"").append(v.getClass().getName()).append("\",\"ms\":").append(((Date) v).getTime()).append('}');
      return;
    }
    if (v instanceof Date) { sb.append("{\"date\":").append(((Date) v).getTime()).append('}'); return; }
    if (v instanceof BigDecimal) { sb.append("{\"bigdecimal\":"); str(sb, v.toString()); sb.append('}'); return; }
    if (v instanceof BigInteger) { sb.append("{\"biginteger\":"); str(sb, v.toString()); sb.append('}'); return; }
    if (v instanceof Enum) {
      sb.append("{\"enum\":"); str(sb, ((Enum<?>) v).getDeclaringClass().getName());
      sb.append(",\"name\":"); str(sb, ((Enum<?>) v).name()); sb.append('}');
      return;
    }
    if (v instanceof Class) { sb.append("{\"class\":"); str(sb, ((Class<?>) v).getName()); sb.append('}'); return; }
    if (v instanceof Locale) { sb.append("{\"locale\":"); str(sb, v.toString()); sb.append('}'); return; }
    if (v instanceof UUID) { sb.append("{\"uuid\":"); str(sb, v.toString()); sb.append('}'); return; }
    if (v instanceof Currency) { sb.append("{\"currency\":"); str(sb, ((Currency) v).getCurrencyCode()); sb.append('}'); return; }
    if (v.getClass().getName().startsWith("java.time.")) { time(sb, v); return; }
    if (v instanceof Throwable) { exception(sb, (Throwable) v); return; }
    if (v.getClass().isArray()) {
      if (ref(sb, v)) return;
      sb.append("{\"list\":[");
      int n = Array.getLength(v);
      for (int i = 0; i < n; i++) { if (i > 0) sb.append(','); write(sb, Array.get(v, i)); }
      sb.append("],\"type\":"); str(sb, arrayType(v.getClass())); sb.append('}');
      return;
    }
    if (v instanceof Collection) {
      if (ref(sb, v)) return;
      String type = v.getClass() == ArrayList.class ? null : v.getClass().getName();
      List<String> items = new ArrayList<>();
      for (Object o : (Collection<?>) v) { StringBuilder b = new StringBuilder(); write(b, o); items.add(b.toString()); }
      if (type != null && UNORDERED.contains(type)) Collections.sort(items);
      sb.append("{\"list\":[").append(String.join(",", items)).append("],\"type\":");
      if (type == null) sb.append("null"); else str(sb, type);
      sb.append('}');
      return;
    }
    if (v instanceof Map) {
      if (ref(sb, v)) return;
      String type = v.getClass() == HashMap.class ? null : v.getClass().getName();
      List<String> items = new ArrayList<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        StringBuilder b = new StringBuilder("[");
        write(b, e.getKey()); b.append(','); write(b, e.getValue()); b.append(']');
        items.add(b.toString());
      }
      if (type == null || UNORDERED.contains(type)) Collections.sort(items);
      sb.append("{\"map\":[").append(String.join(",", items)).append("],\"type\":");
      if (type == null) sb.append("null"); else str(sb, type);
      sb.append('}');
      return;
    }
    pojo(sb, v);
  }

  private void pojo(StringBuilder sb, Object v) {
    if (ref(sb, v)) return;
    TreeMap<String, Field> fields = new TreeMap<>();
    for (Class<?> c = v.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) continue;
        fields.putIfAbsent(f.getName(), f);
      }
    }
    sb.append("{\"object\":"); str(sb, v.getClass().getName()); sb.append(",\"fields\":{");
    boolean first = true;
    for (Map.Entry<String, Field> e : fields.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      str(sb, e.getKey()); sb.append(':');
      try {
        Field f = e.getValue();
        f.setAccessible(true);
        write(sb, f.get(v));
      } catch (IllegalAccessException ex) {
        throw new IllegalStateException(ex);
      }
    }
    sb.append("}}");
  }

  private static Object field(Class<?> c, String name, Object o) {
    try {
      Field f = c.getDeclaredField(name);
      f.setAccessible(true);
      return f.get(o);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private void exception(StringBuilder sb, Throwable t) {
    if (ref(sb, t)) return;
    sb.append("{\"exception\":"); str(sb, t.getClass().getName());
    sb.append(",\"message\":");
    write(sb, field(Throwable.class, "detailMessage", t));
    sb.append(",\"cause\":");
    write(sb, t.getCause());
    sb.append(",\"stack\":[");
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < st.length; i++) {
      if (i > 0) sb.append(',');
      sb.append('['); str(sb, st[i].getClassName()); sb.append(','); str(sb, st[i].getMethodName()); sb.append(',');
      if (st[i].getFileName() == null) sb.append("null"); else str(sb, st[i].getFileName());
      sb.append(',').append(st[i].getLineNumber()).append(']');
    }
    sb.append("],\"suppressed\":[");
    Throwable[] sup = t.getSuppressed();
    for (int i = 0; i < sup.length; i++) { if (i > 0) sb.append(','); write(sb, sup[i]); }
    sb.append("],\"fields\":{");
    TreeMap<String, Field> fields = new TreeMap<>();
    for (Class<?> c = t.getClass(); c != Throwable.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) continue;
        fields.putIfAbsent(f.getName(), f);
      }
    }
    boolean first = true;
    for (Map.Entry<String, Field> e : fields.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      str(sb, e.getKey()); sb.append(':');
      write(sb, field(e.getValue().getDeclaringClass(), e.getKey(), t));
    }
    sb.append("}}");
  }

  private void time(StringBuilder sb, Object v) {
    sb.append("{\"time\":\"").append(v.getClass().getName()).append("\",\"v\":");
    if (v instanceof LocalDate) {
      LocalDate d = (LocalDate) v;
      sb.append("{\"year\":").append(d.getYear()).append(",\"month\":").append(d.getMonthValue()).append(",\"day\":").append(d.getDayOfMonth()).append('}');
    } else if (v instanceof LocalTime) {
      LocalTime t = (LocalTime) v;
      sb.append("{\"hour\":").append(t.getHour()).append(",\"minute\":").append(t.getMinute()).append(",\"second\":").append(t.getSecond()).append(",\"nano\":").append(t.getNano()).append('}');
    } else if (v instanceof LocalDateTime) {
      LocalDateTime t = (LocalDateTime) v;
      sb.append("{\"date\":"); write(sb, t.toLocalDate()); sb.append(",\"time\":"); write(sb, t.toLocalTime()); sb.append('}');
    } else if (v instanceof Instant) {
      Instant t = (Instant) v;
      sb.append("{\"seconds\":\"").append(t.getEpochSecond()).append("\",\"nanos\":").append(t.getNano()).append('}');
    } else if (v instanceof Duration) {
      Duration t = (Duration) v;
      sb.append("{\"seconds\":\"").append(t.getSeconds()).append("\",\"nanos\":").append(t.getNano()).append('}');
    } else if (v instanceof Period) {
      Period p = (Period) v;
      sb.append("{\"years\":").append(p.getYears()).append(",\"months\":").append(p.getMonths()).append(",\"days\":").append(p.getDays()).append('}');
    } else if (v instanceof ZoneOffset) {
      sb.append("{\"seconds\":").append(((ZoneOffset) v).getTotalSeconds()).append('}');
    } else if (v instanceof ZoneId) {
      sb.append("{\"id\":"); str(sb, ((ZoneId) v).getId()); sb.append('}');
    } else if (v instanceof ZonedDateTime) {
      ZonedDateTime z = (ZonedDateTime) v;
      sb.append("{\"dateTime\":"); write(sb, z.toLocalDateTime()); sb.append(",\"offset\":"); write(sb, z.getOffset());
      sb.append(",\"zoneId\":"); str(sb, z.getZone().getId()); sb.append('}');
    } else if (v instanceof OffsetDateTime) {
      OffsetDateTime z = (OffsetDateTime) v;
      sb.append("{\"dateTime\":"); write(sb, z.toLocalDateTime()); sb.append(",\"offset\":"); write(sb, z.getOffset()); sb.append('}');
    } else if (v instanceof OffsetTime) {
      OffsetTime z = (OffsetTime) v;
      sb.append("{\"localTime\":"); write(sb, z.toLocalTime()); sb.append(",\"zoneOffset\":"); write(sb, z.getOffset()); sb.append('}');
    } else if (v instanceof Year) {
      sb.append("{\"year\":").append(((Year) v).getValue()).append('}');
    } else if (v instanceof YearMonth) {
      YearMonth y = (YearMonth) v;
      sb.append("{\"year\":").append(y.getYear()).append(",\"month\":").append(y.getMonthValue()).append('}');
    } else if (v instanceof MonthDay) {
      MonthDay m = (MonthDay) v;
      sb.append("{\"month\":").append(m.getMonthValue()).append(",\"day\":").append(m.getDayOfMonth()).append('}');
    } else {
      str(sb, v.toString());
    }
    sb.append('}');
  }
}
