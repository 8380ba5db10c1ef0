package org.apache.dubbo.interop.service;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.MethodConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.RpcException;
import org.apache.dubbo.rpc.service.GenericException;
import org.apache.dubbo.rpc.service.GenericService;

/**
 * Calls every method of InteropService against a provider of any language and checks the results.
 *
 * <pre>
 * InteropConsumer URL [--only go] [--filter REGEX] [--timeout MS]
 *   URL     dubbo://127.0.0.1:PORT (the interface path is appended) or a full dubbo:// service URL
 *   --only go      run only the dubbo-go subset (cases marked [go] in docs/interop-peers.md)
 *   --filter REGEX run only cases whose name matches
 * </pre>
 * Prints "PASS name" / "FAIL name: reason" per case, then "SUMMARY passed=N failed=M"; exits 1 when any failed.
 */
public final class InteropConsumer {
  static final String IFACE = InteropService.class.getName();

  interface Check {
    void run() throws Exception;
  }

  record Case(String name, boolean go, Check check) {}

  private final List<Case> cases = new ArrayList<>();
  private InteropService svc;
  private GenericService generic;

  private void add(String name, boolean go, Check check) {
    cases.add(new Case(name, go, check));
  }

  static void expect(Object actual, Object expected) {
    if (!Objects.deepEquals(actual, expected)) {
      throw new AssertionError("expected <" + show(expected) + "> but got <" + show(actual) + ">");
    }
  }

  static String show(Object o) {
    String s;
    if (o instanceof Object[] a) s = Arrays.deepToString(a);
    else if (o instanceof int[] a) s = Arrays.toString(a);
    else if (o instanceof long[] a) s = Arrays.toString(a);
    else if (o instanceof byte[] a) s = "byte[" + a.length + "]";
    else s = String.valueOf(o);
    if (o != null) s += " (" + o.getClass().getName() + ")";
    return s.length() > 700 ? s.substring(0, 700) + "...(" + s.length() + " chars)" : s;
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
    return b;
  }

  private void defineCases() {
    AllTypes all = Fixtures.allTypes();
    // primitives
    for (boolean v : new boolean[] {true, false}) add("echoBool(" + v + ")", true, () -> expect(svc.echoBool(v), v));
    for (byte v : new byte[] {0, -128, 127}) add("echoByte(" + v + ")", false, () -> expect(svc.echoByte(v), v));
    for (short v : new short[] {0, -32768, 32767}) add("echoShort(" + v + ")", false, () -> expect(svc.echoShort(v), v));
    for (int v : new int[] {0, -16, 47, 48, -2048, 2047, 2048, -262144, 262143, 262144, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
      add("echoInt(" + v + ")", true, () -> expect(svc.echoInt(v), v));
    }
    for (long v : new long[] {0, -8, 15, 16, -2048, 2047, -262144, 262143, Integer.MIN_VALUE, Integer.MAX_VALUE,
        2147483648L, 9007199254740993L, Long.MIN_VALUE, Long.MAX_VALUE}) {
      add("echoLong(" + v + ")", true, () -> expect(svc.echoLong(v), v));
    }
    for (float v : new float[] {0f, 1.5f, -3.25f, Float.MAX_VALUE, Float.MIN_VALUE}) {
      add("echoFloat(" + v + ")", false, () -> expect(svc.echoFloat(v), v));
    }
    for (double v : new double[] {0.0, 1.0, -128.0, 127.0, 32767.0, -32768.0, 1.5, 0.001, 3.141592653589793, 1e300,
        Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE}) {
      add("echoDouble(" + v + ")", true, () -> expect(svc.echoDouble(v), v));
    }
    for (char v : new char[] {'a', '\u4e2d', '\u00e9', '\u0000'}) {
      add("echoChar(U+" + Integer.toHexString(v) + ")", false, () -> expect(svc.echoChar(v), v));
    }
    // boxed and null
    add("echoBoxedInt(null)", false, () -> expect(svc.echoBoxedInt(null), null));
    add("echoBoxedInt(5)", false, () -> expect(svc.echoBoxedInt(5), 5));
    add("echoBoxedLong(null)", false, () -> expect(svc.echoBoxedLong(null), null));
    add("echoBoxedLong(-5)", false, () -> expect(svc.echoBoxedLong(-5L), -5L));
    add("echoBoxedDouble(null)", false, () -> expect(svc.echoBoxedDouble(null), null));
    add("echoBoxedBool(null)", false, () -> expect(svc.echoBoxedBool(null), null));
    add("echoBoxedBool(true)", false, () -> expect(svc.echoBoxedBool(true), true));
    // strings
    for (String v : new String[] {"", "hello", "héllo 世界 😀", "\ud83d\ude00\ud83d\ude00"}) {
      add("echoString(" + v + ")", true, () -> expect(svc.echoString(v), v));
    }
    // not in the go subset: dubbo-go cannot pass a null to a Go string parameter ("reflect: Call using *string")
    add("echoString(null)", false, () -> expect(svc.echoString(null), null));
    for (int n : new int[] {31, 32, 1023, 1024, 32767, 32768, 65536}) {
      add("echoString(len=" + n + ")", n <= 1024, () -> expect(svc.echoString(Fixtures.digits(n)), Fixtures.digits(n)));
    }
    add("echoString(1MiB)", true, () -> {
      String big = Fixtures.digits(1 << 20);
      expect(svc.echoString(big), big);
    });
    add("echoString(1MiB unicode)", false, () -> {
      String big = "中".repeat(1 << 19) + "😀".repeat(1 << 18);
      expect(svc.echoString(big), big);
    });
    add("makeString(1MiB)", false, () -> expect(svc.makeString(1 << 20), Fixtures.digits(1 << 20)));
    add("stringLength(1MiB)", true, () -> expect(svc.stringLength(Fixtures.digits(1 << 20)), 1 << 20));
    add("stringLength(null)", false, () -> expect(svc.stringLength(null), -1));
    for (int n : new int[] {0, 15, 16, 1023, 1024, 65536}) {
      add("echoBytes(len=" + n + ")", false, () -> expect(svc.echoBytes(bytes(n)), bytes(n)));
    }
    add("echoBytes(null)", false, () -> expect(svc.echoBytes(null), null));
    // dates and times
    add("echoDate", false, () -> expect(svc.echoDate(all.date), all.date));
    add("echoSqlDate", false, () -> expect(svc.echoSqlDate(all.sqlDate), all.sqlDate));
    add("echoSqlTime", false, () -> expect(svc.echoSqlTime(all.sqlTime), all.sqlTime));
    add("echoSqlTimestamp", false, () -> expect(svc.echoSqlTimestamp(all.sqlTimestamp), all.sqlTimestamp));
    add("echoLocalDate", false, () -> expect(svc.echoLocalDate(all.localDate), all.localDate));
    add("echoLocalDate(min)", false, () -> expect(svc.echoLocalDate(LocalDate.of(1, 1, 1)), LocalDate.of(1, 1, 1)));
    add("echoLocalTime", false, () -> expect(svc.echoLocalTime(all.localTime), all.localTime));
    add("echoLocalTime(nanos)", false,
        () -> expect(svc.echoLocalTime(LocalTime.of(23, 59, 59, 123456789)), LocalTime.of(23, 59, 59, 123456789)));
    add("echoLocalDateTime", false, () -> expect(svc.echoLocalDateTime(all.localDateTime), all.localDateTime));
    add("echoLocalDateTime(null)", false, () -> expect(svc.echoLocalDateTime(null), null));
    add("echoInstant", false, () -> expect(svc.echoInstant(all.instant), all.instant));
    add("echoDuration", false, () -> expect(svc.echoDuration(all.duration), all.duration));
    add("echoPeriod", false, () -> expect(svc.echoPeriod(Period.of(1, 2, 3)), Period.of(1, 2, 3)));
    add("echoYearMonth", false, () -> expect(svc.echoYearMonth(YearMonth.of(2024, 2)), YearMonth.of(2024, 2)));
    add("echoZonedDateTime", false, () -> expect(svc.echoZonedDateTime(all.zonedDateTime), all.zonedDateTime));
    add("echoOffsetDateTime", false, () -> expect(svc.echoOffsetDateTime(all.offsetDateTime), all.offsetDateTime));
    // big numbers, enum
    for (String v : new String[] {"0", "-1.50", "12345678901234567890.123456789", "1E+10"}) {
      add("echoBigDecimal(" + v + ")", false, () -> expect(svc.echoBigDecimal(new BigDecimal(v)), new BigDecimal(v)));
    }
    for (String v : new String[] {"0", "-123456789012345678901234567890", "18446744073709551616"}) {
      add("echoBigInteger(" + v + ")", false, () -> expect(svc.echoBigInteger(new BigInteger(v)), new BigInteger(v)));
    }
    add("echoEnum(GREEN)", false, () -> expect(svc.echoEnum(Color.GREEN), Color.GREEN));
    add("echoEnum(null)", false, () -> expect(svc.echoEnum(null), null));
    // arrays and collections
    add("echoIntArray", false, () -> expect(svc.echoIntArray(all.ints), all.ints));
    add("echoIntArray(empty)", false, () -> expect(svc.echoIntArray(new int[0]), new int[0]));
    add("echoLongArray", false, () -> expect(svc.echoLongArray(all.longs), all.longs));
    add("echoStringArray", false, () -> expect(svc.echoStringArray(all.strings), all.strings));
    add("echoObjectArray", false, () -> expect(svc.echoObjectArray(all.objects), all.objects));
    add("echoList", false, () -> expect(svc.echoList(all.list), all.list));
    add("echoList(empty)", false, () -> expect(svc.echoList(new ArrayList<>()), new ArrayList<>()));
    add("echoSet", false, () -> expect(svc.echoSet(all.set), all.set));
    add("echoMap", false, () -> expect(svc.echoMap(all.map), all.map));
    add("echoMap(string values)", true, () -> {
      Map<String, Object> m = new HashMap<>();
      m.put("a", "1");
      m.put("b", "2");
      expect(svc.echoMap(m), m);
    });
    add("echoIntKeyMap", false, () -> {
      Map<Integer, String> m = new HashMap<>();
      m.put(1, "one");
      m.put(-2, "minus two");
      expect(svc.echoIntKeyMap(m), m);
    });
    add("echoObject(Person)", false, () -> {
      Person p = Fixtures.person("Obj", 1);
      expect(svc.echoObject(p), p);
    });
    add("echoObject(Integer)", false, () -> expect(svc.echoObject(7), 7));
    add("echoObject(null)", false, () -> expect(svc.echoObject(null), null));
    // POJOs
    // not in the go subset: dubbo-go-hessian2 decodes an empty list into a nil slice and writes it back as null
    add("echoPerson", false, () -> {
      Person p = Fixtures.person("Bob", 42);
      expect(svc.echoPerson(p), p);
    });
    add("echoPerson(no empty collections)", true, () -> {
      Person p = Fixtures.person("Dan", 42);
      p.getFriends().get(0).setTags(new ArrayList<>(Arrays.asList("f")));
      p.getFriends().get(0).setAttributes(new HashMap<>(Map.of("k", "v")));
      expect(svc.echoPerson(p), p);
    });
    // not in the go subset: dubbo-go passes a zero Person, not nil, for a null POJO argument
    add("echoPerson(null)", false, () -> expect(svc.echoPerson(null), null));
    add("makePerson", true, () -> expect(svc.makePerson("Carol", 7), Fixtures.person("Carol", 7)));
    add("echoPersons", false, () -> {
      List<Person> l = new ArrayList<>(Arrays.asList(Fixtures.person("A", 1), null, Fixtures.person("B", 2)));
      expect(svc.echoPersons(l), l);
    });
    add("echoPersons(shared ref)", false, () -> {
      Person p = Fixtures.person("Same", 3);
      List<Person> l = new ArrayList<>(Arrays.asList(p, p));
      List<Person> r = svc.echoPersons(l);
      expect(r, l);
      if (r.get(0) != r.get(1)) throw new AssertionError("shared reference not kept");
    });
    add("echoPersonMap", false, () -> {
      Map<String, Person> m = new LinkedHashMap<>();
      m.put("x", Fixtures.person("X", 10));
      m.put("y", null);
      expect(svc.echoPersonMap(m), m);
    });
    add("echoAllTypes", false, () -> expect(svc.echoAllTypes(all), all));
    add("makeAllTypes", false, () -> expect(svc.makeAllTypes(), all));
    // null
    add("returnNull", false, () -> expect(svc.returnNull(), null));
    add("isNull(null)", false, () -> expect(svc.isNull(null), true));
    add("isNull(x)", false, () -> expect(svc.isNull("x"), false));
    // overloads
    add("overload(String)", false, () -> expect(svc.overload("s"), "string:s"));
    add("overload(int)", false, () -> expect(svc.overload(5), "int:5"));
    add("overload(String,int)", false, () -> expect(svc.overload("s", 5), "string,int:s,5"));
    // exceptions
    add("throwIllegalArgument", true, () -> {
      try {
        svc.throwIllegalArgument("bad arg");
        throw new AssertionError("no exception");
      } catch (IllegalArgumentException e) {
        expect(e.getMessage(), "bad arg");
      }
    });
    add("throwIllegalArgument(any error)", true, () -> {
      try {
        svc.throwIllegalArgument("bad arg");
        throw new AssertionError("no exception");
      } catch (AssertionError e) {
        throw e;
      } catch (RuntimeException e) {
        if (e instanceof RpcException r && (r.isTimeout() || r.isNetwork())) throw e;
        if (String.valueOf(e.getMessage()).indexOf("bad arg") < 0) {
          throw new AssertionError("message lacks 'bad arg': " + e);
        }
      }
    });
    add("throwCustom", true, () -> {
      try {
        svc.throwCustom("custom failure", 42);
        throw new AssertionError("no exception");
      } catch (InteropException e) {
        expect(e.getMessage(), "custom failure");
        expect(e.getCode(), 42);
      }
    });
    add("callAfterException", true, () -> expect(svc.echoString("still ok"), "still ok"));
    // timeouts (reference method timeout for sleep is 500 ms)
    add("sleep(10)", true, () -> expect(svc.sleep(10), 10L));
    add("sleep(2000) times out", true, () -> {
      try {
        svc.sleep(2000);
        throw new AssertionError("no timeout");
      } catch (RpcException e) {
        if (!e.isTimeout()) throw new AssertionError("not a timeout: " + e);
      }
      expect(svc.echoString("after timeout"), "after timeout");
    });
    // attachments both ways
    add("echoAttachments", false, () -> {
      RpcContext.getClientAttachment().setAttachment("x-trace", "t-123");
      RpcContext.getClientAttachment().setAttachment("x-user", "alice");
      Map<String, String> got = svc.echoAttachments();
      Map<String, String> want = new HashMap<>();
      want.put("x-trace", "t-123");
      want.put("x-user", "alice");
      expect(new HashMap<>(got), want);
      expect(RpcContext.getServerContext().getAttachment("x-reply"), "reply:t-123");
    });
    // generic invocation ($invoke through GenericService)
    add("generic echoString", false, () -> expect(
        generic.$invoke("echoString", new String[] {"java.lang.String"}, new Object[] {"gen"}), "gen"));
    add("generic echoInt", false, () -> expect(generic.$invoke("echoInt", new String[] {"int"}, new Object[] {9}), 9));
    add("generic makePerson", false, () -> {
      Object r = generic.$invoke("makePerson", new String[] {"java.lang.String", "int"}, new Object[] {"Gen", 5});
      if (!(r instanceof Map<?, ?> m)) throw new AssertionError("not a map: " + show(r));
      expect(m.get("name"), "Gen");
      expect(m.get("age"), 5);
      expect(m.get("class"), Person.class.getName());
      expect(m.get("tags"), Arrays.asList("a", "b", "Gen"));
    });
    add("generic echoPerson(map)", false, () -> {
      Map<String, Object> p = new HashMap<>();
      p.put("class", Person.class.getName());
      p.put("name", "Map");
      p.put("age", 8);
      p.put("tags", Arrays.asList("t"));
      Object r = generic.$invoke("echoPerson", new String[] {Person.class.getName()}, new Object[] {p});
      if (!(r instanceof Map<?, ?> m)) throw new AssertionError("not a map: " + show(r));
      expect(m.get("name"), "Map");
      expect(m.get("age"), 8);
      expect(m.get("tags"), Arrays.asList("t"));
    });
    add("generic throwCustom", false, () -> {
      try {
        generic.$invoke("throwCustom", new String[] {"java.lang.String", "int"}, new Object[] {"gen failure", 1});
        throw new AssertionError("no exception");
      } catch (GenericException e) {
        expect(e.getExceptionClass(), InteropException.class.getName());
        expect(e.getExceptionMessage(), "gen failure");
      }
    });
    // load: many calls in flight on one connection
    add("load 10000 calls, 100 in flight", true, () -> {
      int total = 10_000;
      int inflight = 100;
      ExecutorService pool = Executors.newFixedThreadPool(inflight);
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < inflight; t++) {
        fs.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < total) {
            String s = "call-" + i;
            try {
              if (!s.equals(svc.echoString(s))) errors.incrementAndGet();
            } catch (RuntimeException e) {
              errors.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : fs) f.get(120, TimeUnit.SECONDS);
      pool.shutdown();
      expect(errors.get(), 0);
    });
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    String url = args.get("url", 0, null);
    if (url == null) {
      System.err.println("usage: InteropConsumer dubbo://127.0.0.1:PORT [--only go] [--filter REGEX]");
      System.exit(2);
    }
    boolean onlyGo = "go".equals(args.get("only", -1, ""));
    Pattern filter = Pattern.compile(args.get("filter", -1, ".*"));
    int timeout = args.getInt("timeout", -1, 10_000);
    String base = Args.keepLoopback(url.replaceAll("/+$", ""));
    String serviceUrl = base.matches("^[a-z]+://[^/]+$") ? base + "/" + IFACE : base;

    ApplicationConfig application = new ApplicationConfig("dubbo-ts-interop-consumer");
    application.setQosEnable(false);
    application.setSerializeCheckStatus("WARN");

    ReferenceConfig<InteropService> ref = new ReferenceConfig<>();
    ref.setInterface(InteropService.class);
    ref.setUrl(serviceUrl);
    ref.setTimeout(timeout);
    ref.setRetries(0);
    MethodConfig sleep = new MethodConfig();
    sleep.setName("sleep");
    sleep.setTimeout(500);
    sleep.setRetries(0);
    ref.setMethods(Collections.singletonList(sleep));

    ReferenceConfig<GenericService> gref = new ReferenceConfig<>();
    gref.setInterface(IFACE);
    gref.setGeneric("true");
    gref.setUrl(serviceUrl);
    gref.setTimeout(timeout);
    gref.setRetries(0);

    DubboBootstrap bootstrap = DubboBootstrap.getInstance().application(application).reference(ref);
    if (!onlyGo) bootstrap.reference(gref);
    bootstrap.start();

    InteropConsumer c = new InteropConsumer();
    c.svc = ref.get();
    c.generic = onlyGo ? null : gref.get();
    c.defineCases();
    int passed = 0;
    int failed = 0;
    for (Case k : c.cases) {
      if (onlyGo && !k.go()) continue;
      if (!filter.matcher(k.name()).find()) continue;
      try {
        k.check().run();
        passed++;
        System.out.println("PASS " + k.name());
      } catch (Throwable e) {
        failed++;
        String msg = String.valueOf(e).replace('\n', ' ');
        System.out.println("FAIL " + k.name() + ": " + (msg.length() > 1500 ? msg.substring(0, 1500) + "..." : msg));
      }
      System.out.flush();
    }
    System.out.println("SUMMARY passed=" + passed + " failed=" + failed);
    System.out.flush();
    Runtime.getRuntime().halt(failed == 0 && passed > 0 ? 0 : 1);
  }
}
