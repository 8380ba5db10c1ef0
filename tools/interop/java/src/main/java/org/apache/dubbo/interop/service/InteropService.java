package org.apache.dubbo.interop.service;

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

/**
 * The interop service every peer (Java, dubbo-go, dubbo-ts) implements and calls on the dubbo protocol with hessian2.
 * Interface name: org.apache.dubbo.interop.service.InteropService. Every echo method returns its argument unchanged.
 * The contract (with the expected values of the make* methods) is in docs/interop-peers.md.
 */
public interface InteropService {
  // ---- primitives ----
  boolean echoBool(boolean v);
  byte echoByte(byte v);
  short echoShort(short v);
  int echoInt(int v);
  long echoLong(long v);
  float echoFloat(float v);
  double echoDouble(double v);
  char echoChar(char v);

  // ---- boxed, may be null ----
  Integer echoBoxedInt(Integer v);
  Long echoBoxedLong(Long v);
  Double echoBoxedDouble(Double v);
  Boolean echoBoxedBool(Boolean v);

  // ---- strings and binary ----
  String echoString(String v);
  byte[] echoBytes(byte[] v);
  /** Returns a string of {@code length} chars: "0123456789" repeated, cut to length (for large responses). */
  String makeString(int length);
  /** Returns {@code v.length()} (UTF-16 units) or -1 for null (for large requests). */
  int stringLength(String v);

  // ---- dates and times ----
  Date echoDate(Date v);
  java.sql.Date echoSqlDate(java.sql.Date v);
  Time echoSqlTime(Time v);
  Timestamp echoSqlTimestamp(Timestamp v);
  LocalDate echoLocalDate(LocalDate v);
  LocalTime echoLocalTime(LocalTime v);
  LocalDateTime echoLocalDateTime(LocalDateTime v);
  Instant echoInstant(Instant v);
  Duration echoDuration(Duration v);
  Period echoPeriod(Period v);
  YearMonth echoYearMonth(YearMonth v);
  ZonedDateTime echoZonedDateTime(ZonedDateTime v);
  OffsetDateTime echoOffsetDateTime(OffsetDateTime v);

  // ---- big numbers, enum ----
  BigDecimal echoBigDecimal(BigDecimal v);
  BigInteger echoBigInteger(BigInteger v);
  Color echoEnum(Color v);

  // ---- arrays and collections ----
  int[] echoIntArray(int[] v);
  long[] echoLongArray(long[] v);
  String[] echoStringArray(String[] v);
  Object[] echoObjectArray(Object[] v);
  List<Object> echoList(List<Object> v);
  Set<String> echoSet(Set<String> v);
  Map<String, Object> echoMap(Map<String, Object> v);
  Map<Integer, String> echoIntKeyMap(Map<Integer, String> v);
  /** Echoes any value typed as Object (parameter type descriptor Ljava/lang/Object;). */
  Object echoObject(Object v);

  // ---- POJOs ----
  Person echoPerson(Person v);
  List<Person> echoPersons(List<Person> v);
  Map<String, Person> echoPersonMap(Map<String, Person> v);
  /** Returns {@link Fixtures#person(String, int)}: a Person with a nested Address, tags, attributes and one friend. */
  Person makePerson(String name, int age);
  AllTypes echoAllTypes(AllTypes v);
  /** Returns {@link Fixtures#allTypes()}. */
  AllTypes makeAllTypes();

  // ---- null ----
  /** Always returns null. */
  String returnNull();
  /** Returns true when v is null. */
  boolean isNull(Object v);

  // ---- overloads (same name, different parameter types) ----
  String overload(String v);
  String overload(int v);
  String overload(String a, int b);

  // ---- exceptions ----
  /** Throws {@code new IllegalArgumentException(message)}. */
  String throwIllegalArgument(String message);
  /** Throws {@code new InteropException(message, code)} (a checked, declared exception). */
  String throwCustom(String message, int code) throws InteropException;

  // ---- timeouts ----
  /** Sleeps {@code millis} ms, then returns millis. */
  long sleep(long millis);

  // ---- attachments ----
  /**
   * Returns the request attachments the provider received whose key starts with "x-" (values as strings), and
   * sets the response attachment "x-reply" to "reply:" + the value of request attachment "x-trace".
   */
  Map<String, String> echoAttachments();

  // ---- benchmark ----
  /** The ~200-byte string echo of the rpc benchmark. */
  String echo(String v);

  // ---- call counting (cluster tests: which provider a consumer called, how often) ----
  /** Calls of every other method of this service since the provider started or {@link #resetHits()}. */
  long hits();
  /** Sets {@link #hits()} to 0; returns the count it had. */
  long resetHits();
}
