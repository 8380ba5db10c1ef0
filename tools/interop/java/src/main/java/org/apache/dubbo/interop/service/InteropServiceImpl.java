package org.apache.dubbo.interop.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.dubbo.rpc.RpcContext;

/** Java implementation of {@link InteropService}. */
public class InteropServiceImpl implements InteropService {
  @Override public boolean echoBool(boolean v) { return v; }
  @Override public byte echoByte(byte v) { return v; }
  @Override public short echoShort(short v) { return v; }
  @Override public int echoInt(int v) { return v; }
  @Override public long echoLong(long v) { return v; }
  @Override public float echoFloat(float v) { return v; }
  @Override public double echoDouble(double v) { return v; }
  @Override public char echoChar(char v) { return v; }
  @Override public Integer echoBoxedInt(Integer v) { return v; }
  @Override public Long echoBoxedLong(Long v) { return v; }
  @Override public Double echoBoxedDouble(Double v) { return v; }
  @Override public Boolean echoBoxedBool(Boolean v) { return v; }
  @Override public String echoString(String v) { return v; }
  @Override public byte[] echoBytes(byte[] v) { return v; }
  @Override public String makeString(int length) { return Fixtures.digits(length); }
  @Override public int stringLength(String v) { return v == null ? -1 : v.length(); }
  @Override public Date echoDate(Date v) { return v; }
  @Override public java.sql.Date echoSqlDate(java.sql.Date v) { return v; }
  @Override public Time echoSqlTime(Time v) { return v; }
  @Override public Timestamp echoSqlTimestamp(Timestamp v) { return v; }
  @Override public LocalDate echoLocalDate(LocalDate v) { return v; }
  @Override public LocalTime echoLocalTime(LocalTime v) { return v; }
  @Override public LocalDateTime echoLocalDateTime(LocalDateTime v) { return v; }
  @Override public Instant echoInstant(Instant v) { return v; }
  @Override public Duration echoDuration(Duration v) { return v; }
  @Override public Period echoPeriod(Period v) { return v; }
  @Override public YearMonth echoYearMonth(YearMonth v) { return v; }
  @Override public ZonedDateTime echoZonedDateTime(ZonedDateTime v) { return v; }
  @Override public OffsetDateTime echoOffsetDateTime(OffsetDateTime v) { return v; }
  @Override public BigDecimal echoBigDecimal(BigDecimal v) { return v; }
  @Override public BigInteger echoBigInteger(BigInteger v) { return v; }
  @Override public Color echoEnum(Color v) { return v; }
  @Override public int[] echoIntArray(int[] v) { return v; }
  @Override public long[] echoLongArray(long[] v) { return v; }
  @Override public String[] echoStringArray(String[] v) { return v; }
  @Override public Object[] echoObjectArray(Object[] v) { return v; }
  @Override public List<Object> echoList(List<Object> v) { return v; }
  @Override public Set<String> echoSet(Set<String> v) { return v; }
  @Override public Map<String, Object> echoMap(Map<String, Object> v) { return v; }
  @Override public Map<Integer, String> echoIntKeyMap(Map<Integer, String> v) { return v; }
  @Override public Object echoObject(Object v) { return v; }
  @Override public Person echoPerson(Person v) { return v; }
  @Override public List<Person> echoPersons(List<Person> v) { return v; }
  @Override public Map<String, Person> echoPersonMap(Map<String, Person> v) { return v; }
  @Override public Person makePerson(String name, int age) { return Fixtures.person(name, age); }
  @Override public AllTypes echoAllTypes(AllTypes v) { return v; }
  @Override public AllTypes makeAllTypes() { return Fixtures.allTypes(); }
  @Override public String returnNull() { return null; }
  @Override public boolean isNull(Object v) { return v == null; }
  @Override public String overload(String v) { return "string:" + v; }
  @Override public String overload(int v) { return "int:" + v; }
  @Override public String overload(String a, int b) { return "string,int:" + a + "," + b; }

  @Override
  public String throwIllegalArgument(String message) {
    throw new IllegalArgumentException(message);
  }

  @Override
  public String throwCustom(String message, int code) throws InteropException {
    throw new InteropException(message, code);
  }

  @Override
  public long sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return millis;
  }

  @Override
  public Map<String, String> echoAttachments() {
    Map<String, Object> received = RpcContext.getServerAttachment().getObjectAttachments();
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, Object> e : received.entrySet()) {
      if (e.getKey().startsWith("x-")) out.put(e.getKey(), String.valueOf(e.getValue()));
    }
    RpcContext.getServerContext().setAttachment("x-reply", "reply:" + received.get("x-trace"));
    return out;
  }

  @Override public String echo(String v) { return v; }

  @Override public long hits() { return HITS.get(); }
  @Override public long resetHits() { return HITS.getAndSet(0); }

  /** Calls of every method but hits/resetHits, counted by {@link #counting()} as they start. */
  static final AtomicLong HITS = new AtomicLong();

  /**
   * This implementation behind a proxy that counts every call but {@code hits()} / {@code resetHits()} before the
   * call runs (a call that sleeps or throws counts too), so no method body needs to.
   */
  public static InteropService counting() {
    InteropServiceImpl target = new InteropServiceImpl();
    return (InteropService) Proxy.newProxyInstance(
        InteropService.class.getClassLoader(),
        new Class<?>[] {InteropService.class},
        (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) return method.invoke(target, args);
          String name = method.getName();
          if (!name.equals("hits") && !name.equals("resetHits")) HITS.incrementAndGet();
          try {
            return method.invoke(target, args);
          } catch (InvocationTargetException e) {
            throw e.getCause(); // the method's own exception, as the service threw it
          }
        });
  }
}
