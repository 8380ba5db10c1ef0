package org.apache.dubbo.interop.hessian;

import java.io.*;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;

/** The golden vector list: deterministic values (fixed times, fixed stack traces, stable orders). */
final class Vectors {
  private Vectors() {}

  static final class Vector {
    final String name;
    final String javaType;
    final Object value;

    Vector(String name, String javaType, Object value) {
      this.name = name;
      this.javaType = javaType;
      this.value = value;
    }
  }

  private static final List<Vector> out = new ArrayList<>();
  private static final Set<String> names = new HashSet<>();

  private static void add(String name, String javaType, Object value) {
    if (!names.add(name)) throw new IllegalStateException("duplicate vector " + name);
    out.add(new Vector(name, javaType, value));
  }

  private static String repeat(String s, int n) {
    StringBuilder b = new StringBuilder();
    while (b.length() < n) b.append(s);
    return b.substring(0, n);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
    return b;
  }

  static StackTraceElement[] stack(String cls) {
    return new StackTraceElement[] {
      new StackTraceElement(cls, "call", "Service.java", 42),
      new StackTraceElement("org.example.Caller", "invoke", null, -1),
    };
  }

  private static <T extends Throwable> T ex(T t) {
    t.setStackTrace(stack("org.example.Service"));
    return t;
  }

  static synchronized List<Vector> all() {
    if (!out.isEmpty()) return out;
    // null, boolean
    add("null", "null", null);
    add("bool_true", "boolean", true);
    add("bool_false", "boolean", false);
    // int: every compact-form edge
    int[] ints = {0, 1, -1, -16, -17, 47, 48, -2048, -2049, 2047, 2048, -262144, -262145, 262143, 262144,
      Integer.MIN_VALUE, Integer.MAX_VALUE, 100, -100, 65535, 1 << 24};
    for (int i : ints) add("int_" + i, "int", i);
    add("short_min", "short", Short.MIN_VALUE);
    add("short_max", "short", Short.MAX_VALUE);
    add("byte_min", "byte", Byte.MIN_VALUE);
    add("byte_max", "byte", Byte.MAX_VALUE);
    // long: every compact-form edge
    long[] longs = {0, 1, -1, -8, -9, 15, 16, -2048, -2049, 2047, 2048, -262144, -262145, 262143, 262144,
      Integer.MIN_VALUE, Integer.MAX_VALUE, (long) Integer.MIN_VALUE - 1, (long) Integer.MAX_VALUE + 1,
      Long.MIN_VALUE, Long.MAX_VALUE, 9007199254740991L, 9007199254740993L, -9007199254740993L, 1700000000000L};
    for (long l : longs) add("long_" + l, "long", l);
    // double: every compact form and special value
    double[] doubles = {0.0, 1.0, -1.0, 127.0, -128.0, 128.0, -129.0, 32767.0, -32768.0, 32768.0, -32769.0, 0.5,
      1.5, 0.001, -0.001, 12.25, 2147483.647, -2147483.648, 2147483.648, 0.1, 3.14159, 1e300, -1e-300,
      Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      65536.0, 2147483647.0, 1e10};
    for (int i = 0; i < doubles.length; i++) add("double_" + i, "double", doubles[i]);
    add("float_1_5", "float", 1.5f);
    add("float_0_1", "float", 0.1f);
    add("float_max", "float", Float.MAX_VALUE);
    add("char_a", "char", 'a');
    add("char_cjk", "char", '\u670d');
    // dates: minute form and ms form
    add("date_epoch", "java.util.Date", new Date(0));
    add("date_minute", "java.util.Date", new Date(1700000040000L));
    add("date_ms", "java.util.Date", new Date(1700000000123L));
    add("date_negative", "java.util.Date", new Date(-86400000L * 365 * 100 + 7));
    add("date_negative_minute", "java.util.Date", new Date(-60000L * 1000));
    add("date_far", "java.util.Date", new Date(60000L * (1L << 33)));
    // strings: every length form, chunks, multi-byte, surrogates
    int[] slens = {0, 1, 31, 32, 33, 1023, 1024, 1025, 4096, 32767, 32768, 32769, 65535, 65536, 70000};
    for (int n : slens) add("string_ascii_" + n, "java.lang.String", repeat("abcdefghij", n));
    for (int n : new int[] {1, 31, 32, 1024, 32768, 32769}) add("string_cjk_" + n, "java.lang.String", repeat("\u670d\u52a1\u00e9", n));
    add("string_2byte", "java.lang.String", "\u00e9\u00e8\u07ff\u0080");
    add("string_3byte", "java.lang.String", "\u0800\uffff\ufffd");
    add("string_emoji", "java.lang.String", "hi \ud83d\ude00 there \ud83c\udf89");
    add("string_emoji_only", "java.lang.String", "\ud83d\ude00");
    add("string_nul", "java.lang.String", "a\u0000b");
    add("string_lone_high", "java.lang.String", "x\ud800y");
    add("string_lone_low", "java.lang.String", "x\udc00y");
    // emoji straddling the 0x8000 chunk boundary: Java shortens the chunk by one unit
    add("string_emoji_chunk_edge", "java.lang.String", repeat("a", 32767) + "\ud83d\ude00" + "tail");
    add("string_emoji_32k", "java.lang.String", repeat("\ud83d\ude00", 32800));
    add("string_mixed_1000", "java.lang.String", mixed());
    // binaries: every length form and chunks
    int[] blens = {0, 1, 15, 16, 17, 255, 1023, 1024, 1025, 4096, 8189, 8190, 20000};
    for (int n : blens) add("bytes_" + n, "byte[]", bytes(n));
    // Java cuts binary chunks at its 8 KiB output-buffer boundary, so chunk sizes depend on what came before
    add("bytes_20000_in_list", "java.util.ArrayList", new ArrayList<>(List.of("x", bytes(20000))));
    // untyped lists (ArrayList): direct lengths 0..7, then fixed
    for (int n : new int[] {0, 1, 2, 7, 8, 9, 100}) {
      ArrayList<Object> l = new ArrayList<>();
      for (int i = 0; i < n; i++) l.add(i % 2 == 0 ? (Object) i : "s" + i);
      add("list_" + n, "java.util.ArrayList", l);
    }
    add("list_nested", "java.util.ArrayList", new ArrayList<>(List.of(new ArrayList<>(List.of(1, 2)), new ArrayList<>())));
    add("list_mixed", "java.util.ArrayList", new ArrayList<>(Arrays.asList(null, true, 1, 2L, 3.5, "x", new Date(0))));
    // typed collections
    for (int n : new int[] {0, 3, 7, 8, 20}) {
      LinkedList<String> ll = new LinkedList<>();
      TreeSet<Integer> ts = new TreeSet<>();
      LinkedHashSet<String> lhs = new LinkedHashSet<>();
      HashSet<String> hs = new HashSet<>();
      java.util.Vector<Integer> vec = new java.util.Vector<>();
      for (int i = 0; i < n; i++) { ll.add("e" + i); ts.add(i * 3); lhs.add("k" + i); hs.add("h" + i); vec.add(i); }
      add("linkedlist_" + n, "java.util.LinkedList", ll);
      add("treeset_" + n, "java.util.TreeSet", ts);
      add("linkedhashset_" + n, "java.util.LinkedHashSet", lhs);
      add("hashset_" + n, "java.util.HashSet", hs);
      add("vector_" + n, "java.util.Vector", vec);
    }
    add("copyonwritelist", "java.util.concurrent.CopyOnWriteArrayList", new CopyOnWriteArrayList<>(List.of("a", "b")));
    // arrays
    for (int n : new int[] {0, 1, 7, 8, 20}) {
      int[] ia = new int[n]; long[] la = new long[n]; double[] da = new double[n]; String[] sa = new String[n];
      Object[] oa = new Object[n]; boolean[] za = new boolean[n]; short[] sh = new short[n]; float[] fa = new float[n];
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        ia[i] = i * 1000 - 5; la[i] = (long) i << 40; da[i] = i + 0.25; sa[i] = "s" + i; oa[i] = i % 2 == 0 ? "o" : (Object) i;
        za[i] = i % 3 == 0; sh[i] = (short) (i - 3); fa[i] = i + 0.5f; boxed[i] = i % 4 == 0 ? null : i;
      }
      add("array_int_" + n, "int[]", ia);
      add("array_long_" + n, "long[]", la);
      add("array_double_" + n, "double[]", da);
      add("array_string_" + n, "java.lang.String[]", sa);
      add("array_object_" + n, "java.lang.Object[]", oa);
      add("array_boolean_" + n, "boolean[]", za);
      add("array_short_" + n, "short[]", sh);
      add("array_float_" + n, "float[]", fa);
      add("array_Integer_" + n, "java.lang.Integer[]", boxed);
    }
    add("array_char", "char[]", "chars".toCharArray());
    add("array_int_2d", "int[][]", new int[][] {{1, 2}, {3}});
    add("array_date", "java.util.Date[]", new Date[] {new Date(0), new Date(1000)});
    // maps
    for (int n : new int[] {0, 1, 5, 100}) {
      HashMap<String, Double> hm = new HashMap<>();
      TreeMap<String, Integer> tm = new TreeMap<>();
      LinkedHashMap<String, String> lhm = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) { hm.put("k" + i, i + 0.5); tm.put("t" + i, i); lhm.put("z" + (n - i), "v" + i); }
      add("hashmap_" + n, "java.util.HashMap", hm);
      add("treemap_" + n, "java.util.TreeMap", tm);
      add("linkedhashmap_" + n, "java.util.LinkedHashMap", lhm);
    }
    HashMap<Object, Object> keys = new HashMap<>();
    keys.put(1, "int key"); keys.put(2L, "long key"); keys.put(true, "bool key"); keys.put(null, "null key");
    add("map_nonstring_keys", "java.util.HashMap", keys);
    Hashtable<String, String> ht = new Hashtable<>(); ht.put("a", "1"); ht.put("b", "2");
    add("hashtable", "java.util.Hashtable", ht);
    ConcurrentHashMap<String, Integer> chm = new ConcurrentHashMap<>(); chm.put("x", 1); chm.put("y", 2);
    add("concurrenthashmap", "java.util.concurrent.ConcurrentHashMap", chm);
    HashMap<String, Object> proto = new HashMap<>();
    proto.put("__proto__", "p"); proto.put("constructor", "c"); proto.put("prototype", "q");
    add("map_proto_keys", "java.util.HashMap", proto);
    HashMap<String, Object> nested = new HashMap<>();
    nested.put("list", new ArrayList<>(List.of(1, 2))); nested.put("map", new HashMap<>(Map.of("in", 1)));
    nested.put("bd", new BigDecimal("1.50"));
    add("map_nested", "java.util.HashMap", nested);
    // POJOs
    add("pojo_user", GoldenTypes.User.class.getName(), user(1));
    ArrayList<GoldenTypes.User> users = new ArrayList<>();
    for (int i = 0; i < 100; i++) users.add(user(i));
    add("pojo_user_list_100", "java.util.ArrayList", users);
    add("pojo_boxed_nulls", GoldenTypes.Boxed.class.getName(), new GoldenTypes.Boxed());
    GoldenTypes.Boxed boxed = new GoldenTypes.Boxed();
    boxed.i = 7; boxed.l = 1L << 40; boxed.d = 2.5; boxed.b = true; boxed.s = "s"; boxed.sh = 3; boxed.by = -1; boxed.c = 'c'; boxed.f = 0.75f;
    add("pojo_boxed_values", GoldenTypes.Boxed.class.getName(), boxed);
    GoldenTypes.Prims p = new GoldenTypes.Prims();
    p.i = -5; p.l = Long.MIN_VALUE; p.d = 1e-7; p.s = -300; p.b = 100; p.c = 'Z'; p.z = true;
    add("pojo_prims", GoldenTypes.Prims.class.getName(), p);
    add("pojo_prims_default", GoldenTypes.Prims.class.getName(), new GoldenTypes.Prims());
    GoldenTypes.Derived d = new GoldenTypes.Derived(); d.baseField = "base"; d.derivedField = 9;
    add("pojo_inherited", GoldenTypes.Derived.class.getName(), d);
    GoldenTypes.Holder h = new GoldenTypes.Holder();
    h.value = new BigDecimal("123.456"); h.color = GoldenTypes.Color.GREEN; h.extra = new HashMap<>(Map.of("k", 1L));
    add("pojo_holder", GoldenTypes.Holder.class.getName(), h);
    // shared and cyclic graphs (value references)
    GoldenTypes.User shared = user(5);
    add("ref_shared_pojo", "java.util.ArrayList", new ArrayList<>(List.of(shared, shared, user(6), shared)));
    GoldenTypes.Node n1 = new GoldenTypes.Node(); n1.name = "self"; n1.next = n1;
    add("ref_cycle_self", GoldenTypes.Node.class.getName(), n1);
    GoldenTypes.Node a = new GoldenTypes.Node(), b = new GoldenTypes.Node(); a.name = "a"; b.name = "b"; a.next = b; b.next = a;
    add("ref_cycle_pair", GoldenTypes.Node.class.getName(), a);
    ArrayList<Object> selfList = new ArrayList<>(); selfList.add("x"); selfList.add(selfList);
    add("ref_list_self", "java.util.ArrayList", selfList);
    ArrayList<Object> sharedList = new ArrayList<>(List.of(1, 2));
    add("ref_shared_list", "java.util.ArrayList", new ArrayList<>(List.of(sharedList, sharedList)));
    // many classes: class-definition references beyond the 16 direct ones
    ArrayList<Object> many = new ArrayList<>(List.of(user(1), new GoldenTypes.Boxed(), new GoldenTypes.Prims(), d, h,
        LocalDate.of(2024, 2, 29), LocalTime.of(1, 2, 3), Duration.ofSeconds(5), Period.of(1, 2, 3), Year.of(2020),
        YearMonth.of(2020, 5), MonthDay.of(12, 25), ZoneOffset.ofHours(8), Instant.ofEpochSecond(10, 5),
        new BigDecimal("1"), GoldenTypes.Color.RED, Locale.CHINA, ZoneId.of("Asia/Shanghai"), user(2), LocalDate.of(2000, 1, 1)));
    add("many_classes", "java.util.ArrayList", many);
    // big numbers
    for (String s : new String[] {"0", "1.50", "-123456789012345678901234567890.123456789", "1E+10", "0.000001"})
      add("bigdecimal_" + s, "java.math.BigDecimal", new BigDecimal(s));
    for (String s : new String[] {"0", "-1", "123456789012345678901234567890", "9223372036854775808"})
      add("biginteger_" + s, "java.math.BigInteger", new BigInteger(s));
    // enums
    add("enum_red", GoldenTypes.Color.class.getName(), GoldenTypes.Color.RED);
    add("enum_blue", GoldenTypes.Color.class.getName(), GoldenTypes.Color.BLUE);
    add("enum_timeunit", "java.util.concurrent.TimeUnit", TimeUnit.SECONDS);
    add("enum_list", "java.util.ArrayList", new ArrayList<>(List.of(GoldenTypes.Color.RED, GoldenTypes.Color.RED, GoldenTypes.Color.BLUE)));
    // misc JDK value types
    add("class_string", "java.lang.Class", String.class);
    add("class_int_array", "java.lang.Class", int[].class);
    add("locale_zh_cn", "java.util.Locale", Locale.CHINA);
    add("locale_en", "java.util.Locale", Locale.ENGLISH);
    add("uuid", "java.util.UUID", new UUID(0x0123456789abcdefL, 0xfedcba9876543210L));
    add("currency_usd", "java.util.Currency", Currency.getInstance("USD"));
    add("currency_cny", "java.util.Currency", Currency.getInstance("CNY"));
    add("sql_date", "java.sql.Date", new java.sql.Date(1700000000000L));
    add("sql_time", "java.sql.Time", new java.sql.Time(45296789L));
    add("sql_timestamp", "java.sql.Timestamp", new java.sql.Timestamp(1700000000123L));
    // java.time, as hessian-lite writes them (handle objects)
    add("localdate", "java.time.LocalDate", LocalDate.of(2024, 2, 29));
    add("localdate_min", "java.time.LocalDate", LocalDate.of(-999, 1, 1));
    add("localtime", "java.time.LocalTime", LocalTime.of(13, 45, 30, 123456789));
    add("localtime_midnight", "java.time.LocalTime", LocalTime.MIDNIGHT);
    add("localdatetime", "java.time.LocalDateTime", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000000));
    add("instant", "java.time.Instant", Instant.ofEpochSecond(1700000000L, 123456789));
    add("instant_negative", "java.time.Instant", Instant.ofEpochSecond(-5, 1));
    add("duration", "java.time.Duration", Duration.ofSeconds(3723, 500));
    add("duration_negative", "java.time.Duration", Duration.ofMillis(-1500));
    add("period", "java.time.Period", Period.of(1, -2, 30));
    add("zoneoffset", "java.time.ZoneOffset", ZoneOffset.ofHoursMinutes(5, 30));
    add("zoneid_region", "java.time.ZoneId", ZoneId.of("Europe/Paris"));
    add("zoneid_utc", "java.time.ZoneOffset", ZoneOffset.UTC);
    add("zoneddatetime", "java.time.ZonedDateTime", ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")));
    add("offsetdatetime", "java.time.OffsetDateTime", OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(-7)));
    add("offsettime", "java.time.OffsetTime", OffsetTime.of(8, 30, 0, 0, ZoneOffset.ofHours(2)));
    add("year", "java.time.Year", Year.of(1999));
    add("yearmonth", "java.time.YearMonth", YearMonth.of(2024, 12));
    add("monthday", "java.time.MonthDay", MonthDay.of(2, 29));
    // exceptions: 40+ JDK classes, plus cause chains and suppressed
    List<Throwable> exs = List.of(new RuntimeException("rt"), new Exception("e"), new IllegalArgumentException("iae"),
        new IllegalStateException("ise"), new NullPointerException("npe"), new ArithmeticException("/ by zero"),
        new ArrayIndexOutOfBoundsException("aioobe"), new IndexOutOfBoundsException("ioobe"),
        new StringIndexOutOfBoundsException("sioobe"), new ClassCastException("cce"),
        new NumberFormatException("nfe"), new UnsupportedOperationException("uoe"),
        new NegativeArraySizeException("nase"), new ArrayStoreException("ase"), new SecurityException("se"),
        new CloneNotSupportedException("cnse"), new InterruptedException("ie"), new ClassNotFoundException("cnfe"),
        new NoSuchFieldException("nsfe"), new NoSuchMethodException("nsme"), new InstantiationException("inste"),
        new IllegalAccessException("iace"), new IllegalMonitorStateException("imse"),
        new java.util.NoSuchElementException("nsee"), new java.util.ConcurrentModificationException("cme"),
        new java.util.EmptyStackException(), new java.util.MissingResourceException("mre", "Cls", "key"),
        new java.util.InputMismatchException("ime"), new IOException("io"), new FileNotFoundException("fnfe"),
        new EOFException("eof"), new UnsupportedEncodingException("uee"), new UTFDataFormatException("udfe"),
        new InterruptedIOException("iioe"), new java.io.NotSerializableException("nse"),
        new ExecutionException("ee", null), new TimeoutException("te"), new CancellationException("ce"),
        new RejectedExecutionException("ree"), new CompletionException("ce2", null),
        new BrokenBarrierException("bbe"), new SocketException("se2"), new SocketTimeoutException("ste"),
        new ConnectException("conn"), new UnknownHostException("uhe"), new MalformedURLException("mue"),
        new BindException("be"), new URISyntaxException("in", "reason"), new NoSuchFileException("nsfe2"),
        new UncheckedIOException("uioe", new IOException("inner")), new java.util.zip.DataFormatException("dfe"),
        new java.util.concurrent.CompletionException(new IOException("wrapped")));
    for (Throwable t : exs) {
      String n = "exception_" + t.getClass().getSimpleName();
      if (names.contains(n)) n += "_with_cause";
      add(n, t.getClass().getName(), ex(t));
    }
    add("exception_null_message", "java.lang.RuntimeException", ex(new RuntimeException()));
    RuntimeException chained = ex(new RuntimeException("outer", ex(new IllegalStateException("middle", ex(new IOException("root"))))));
    add("exception_cause_chain", "java.lang.RuntimeException", chained);
    Exception withSup = ex(new Exception("primary"));
    withSup.addSuppressed(ex(new IllegalStateException("suppressed-1")));
    withSup.addSuppressed(ex(new IOException("suppressed-2")));
    add("exception_suppressed", "java.lang.Exception", withSup);
    add("exception_user", GoldenTypes.BizException.class.getName(), ex(new GoldenTypes.BizException("biz failed", 4001)));
    return out;
  }

  static String mixed() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 1000; i++) sb.append(i % 3 == 0 ? "\u670d\u52a1".charAt(i % 2) : (char) ('a' + (i % 26)));
    return sb.toString();
  }

  static GoldenTypes.User user(int i) {
    GoldenTypes.User u = new GoldenTypes.User();
    u.id = 1000000 + i; u.name = "user-" + i; u.email = "user" + i + "@example.com"; u.age = 20 + (i % 50);
    u.active = i % 2 == 0; u.tags = new ArrayList<>(List.of("a", "bb", "ccc")); u.createdAt = new Date(1700000000000L + i);
    return u;
  }
}
