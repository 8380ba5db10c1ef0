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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Deterministic sample values shared by the provider (make* methods) and the consumer (expected results). */
public final class Fixtures {
  private Fixtures() {}

  /** 2024-02-29T12:34:56.789Z in epoch milliseconds. */
  public static final long EPOCH_MILLIS = 1709210096789L;

  /** A string of {@code length} chars: "0123456789" repeated and cut. */
  public static String digits(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) sb.append((char) ('0' + i % 10));
    return sb.toString();
  }

  /**
   * makePerson(name, age): Person{name, age, id=age*1000+7, tags=[a, b, name], attributes={k1=v1, name=name},
   * address=Address{street="1 Main St", city="Springfield", zip=12345}, friends=[Person{name="friend of "+name,
   * age=age+1, id=0, tags=[], attributes={}, address=null, friends=null}]}.
   */
  public static Person person(String name, int age) {
    Person p = new Person(name, age);
    p.setId(age * 1000L + 7);
    p.setTags(new ArrayList<>(Arrays.asList("a", "b", name)));
    Map<String, String> attrs = new HashMap<>();
    attrs.put("k1", "v1");
    attrs.put("name", name);
    p.setAttributes(attrs);
    p.setAddress(new Address("1 Main St", "Springfield", 12345));
    Person friend = new Person("friend of " + name, age + 1);
    friend.setTags(new ArrayList<>());
    friend.setAttributes(new HashMap<>());
    List<Person> friends = new ArrayList<>();
    friends.add(friend);
    p.setFriends(friends);
    return p;
  }

  /** The value makeAllTypes() returns; see docs/interop-peers.md for every field. */
  public static AllTypes allTypes() {
    AllTypes a = new AllTypes();
    a.boolValue = true;
    a.byteValue = (byte) -7;
    a.shortValue = (short) -1234;
    a.intValue = 2_000_000_000;
    a.longValue = 9_007_199_254_740_993L; // 2^53 + 1: not representable as a JS number
    a.doubleValue = 3.141592653589793;
    a.charValue = '\u4e2d';
    a.boxedInt = 42;
    a.boxedLong = null;
    a.boxedDouble = -0.5;
    a.boxedBool = Boolean.FALSE;
    a.string = "héllo 世界 😀";
    a.bytes = new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    a.date = new java.util.Date(EPOCH_MILLIS);
    a.sqlDate = new java.sql.Date(EPOCH_MILLIS);
    a.sqlTime = new Time(EPOCH_MILLIS);
    a.sqlTimestamp = new Timestamp(EPOCH_MILLIS);
    a.localDate = LocalDate.of(2024, 2, 29);
    a.localTime = LocalTime.of(12, 34, 56, 789_000_000);
    a.localDateTime = LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000);
    a.instant = Instant.ofEpochMilli(EPOCH_MILLIS);
    a.duration = Duration.ofSeconds(3723, 500_000_000);
    a.zonedDateTime = ZonedDateTime.of(a.localDateTime, ZoneId.of("Asia/Shanghai"));
    a.offsetDateTime = OffsetDateTime.of(a.localDateTime, ZoneOffset.ofHours(2));
    a.bigDecimal = new BigDecimal("12345678901234567890.123456789");
    a.bigInteger = new BigInteger("-123456789012345678901234567890");
    a.color = Color.GREEN;
    a.ints = new int[] {1, -2, 3, Integer.MAX_VALUE, Integer.MIN_VALUE};
    a.longs = new long[] {1L, -2L, Long.MAX_VALUE, Long.MIN_VALUE};
    a.strings = new String[] {"x", "", null, "y"};
    a.objects = new Object[] {1, "two", 3.0, null, true, 4L};
    a.list = new ArrayList<>(Arrays.asList(1, "two", null, Arrays.asList(3, 4)));
    a.set = new LinkedHashSet<>(Arrays.asList("s1", "s2"));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("int", 1);
    map.put("str", "v");
    map.put("list", new ArrayList<>(Arrays.asList("a", "b")));
    map.put("null", null);
    a.map = map;
    a.person = person("Alice", 30);
    a.nothing = null;
    return a;
  }
}
