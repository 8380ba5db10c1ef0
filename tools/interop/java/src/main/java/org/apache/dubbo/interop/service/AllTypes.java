package org.apache.dubbo.interop.service;

import java.io.Serializable;
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
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One POJO holding a field of every row of the hessian2 type table.
 * No float field: hessian-lite 4.0.4 (Dubbo 3.3.6) corrupts a POJO's float field and the field after it when
 * deserializing (seen Java to Java: float 1.5 read back as 0.0 and the next char clobbered); floats are covered by
 * echoFloat instead.
 */
public class AllTypes implements Serializable {
  private static final long serialVersionUID = 1L;

  public boolean boolValue;
  public byte byteValue;
  public short shortValue;
  public int intValue;
  public long longValue;
  public double doubleValue;
  public char charValue;
  public Integer boxedInt;
  public Long boxedLong;
  public Double boxedDouble;
  public Boolean boxedBool;
  public String string;
  public byte[] bytes;
  public Date date;
  public java.sql.Date sqlDate;
  public Time sqlTime;
  public Timestamp sqlTimestamp;
  public LocalDate localDate;
  public LocalTime localTime;
  public LocalDateTime localDateTime;
  public Instant instant;
  public Duration duration;
  public ZonedDateTime zonedDateTime;
  public OffsetDateTime offsetDateTime;
  public BigDecimal bigDecimal;
  public BigInteger bigInteger;
  public Color color;
  public int[] ints;
  public long[] longs;
  public String[] strings;
  public Object[] objects;
  public List<Object> list;
  public Set<String> set;
  public Map<String, Object> map;
  public Person person;
  public Object nothing;

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof AllTypes)) return false;
    AllTypes a = (AllTypes) o;
    return boolValue == a.boolValue && byteValue == a.byteValue && shortValue == a.shortValue
        && intValue == a.intValue && longValue == a.longValue
        && Double.compare(doubleValue, a.doubleValue) == 0
        && charValue == a.charValue && Objects.equals(boxedInt, a.boxedInt) && Objects.equals(boxedLong, a.boxedLong)
        && Objects.equals(boxedDouble, a.boxedDouble) && Objects.equals(boxedBool, a.boxedBool)
        && Objects.equals(string, a.string) && Arrays.equals(bytes, a.bytes) && Objects.equals(date, a.date)
        && Objects.equals(sqlDate, a.sqlDate) && Objects.equals(sqlTime, a.sqlTime)
        && Objects.equals(sqlTimestamp, a.sqlTimestamp) && Objects.equals(localDate, a.localDate)
        && Objects.equals(localTime, a.localTime) && Objects.equals(localDateTime, a.localDateTime)
        && Objects.equals(instant, a.instant) && Objects.equals(duration, a.duration)
        && Objects.equals(zonedDateTime, a.zonedDateTime) && Objects.equals(offsetDateTime, a.offsetDateTime)
        && Objects.equals(bigDecimal, a.bigDecimal) && Objects.equals(bigInteger, a.bigInteger)
        && color == a.color && Arrays.equals(ints, a.ints) && Arrays.equals(longs, a.longs)
        && Arrays.equals(strings, a.strings) && Arrays.deepEquals(objects, a.objects)
        && Objects.equals(list, a.list) && Objects.equals(set, a.set) && Objects.equals(map, a.map)
        && Objects.equals(person, a.person) && Objects.equals(nothing, a.nothing);
  }

  @Override
  public int hashCode() { return Objects.hash(intValue, longValue, string); }

  @Override
  public String toString() {
    return "AllTypes{bool=" + boolValue + ", byte=" + byteValue + ", short=" + shortValue + ", int=" + intValue
        + ", long=" + longValue + ", double=" + doubleValue + ", char=" + (int) charValue
        + ", boxedInt=" + boxedInt + ", boxedLong=" + boxedLong + ", boxedDouble=" + boxedDouble
        + ", boxedBool=" + boxedBool + ", string=" + string + ", bytes=" + Arrays.toString(bytes)
        + ", date=" + (date == null ? null : date.getTime()) + ", sqlDate=" + sqlDate + ", sqlTime=" + sqlTime
        + ", sqlTimestamp=" + sqlTimestamp + ", localDate=" + localDate + ", localTime=" + localTime
        + ", localDateTime=" + localDateTime + ", instant=" + instant + ", duration=" + duration
        + ", zoned=" + zonedDateTime + ", offset=" + offsetDateTime + ", bigDecimal=" + bigDecimal
        + ", bigInteger=" + bigInteger + ", color=" + color + ", ints=" + Arrays.toString(ints)
        + ", longs=" + Arrays.toString(longs) + ", strings=" + Arrays.toString(strings)
        + ", objects=" + Arrays.deepToString(objects) + ", list=" + list + ", set=" + set + ", map=" + map
        + ", person=" + person + ", nothing=" + nothing + "}";
  }
}
