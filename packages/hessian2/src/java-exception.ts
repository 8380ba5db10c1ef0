/** One frame of a Java stack trace (`java.lang.StackTraceElement`, fields as Java 9+ writes them). */
export class StackTraceElement {
  /** Java's internal format flags byte. @defaultValue 0 */
  format = 0;
  /** Source line, or a negative number when unknown. */
  lineNumber = -1;
  /** Source file name, if known. */
  fileName: string | null = null;
  /** Method name. */
  methodName = '';
  /** Fully qualified class name. */
  declaringClass = '';
  /** Module version, if any. */
  moduleVersion: string | null = null;
  /** Module name, if any. */
  moduleName: string | null = null;
  /** Class loader name, if any. */
  classLoaderName: string | null = null;

  /** Builds a frame from its four usual parts. */
  static of(
    declaringClass: string,
    methodName: string,
    fileName: string | null,
    lineNumber: number,
  ): StackTraceElement {
    const e = new StackTraceElement();
    e.declaringClass = declaringClass;
    e.methodName = methodName;
    e.fileName = fileName;
    e.lineNumber = lineNumber;
    return e;
  }

  /** `cls.method(File.java:12)`, as Java prints it. */
  toString(): string {
    const where = this.fileName
      ? this.lineNumber >= 0
        ? `${this.fileName}:${this.lineNumber}`
        : this.fileName
      : 'Unknown Source';
    return `${this.declaringClass}.${this.methodName}(${where})`;
  }
}

/** Hidden list of a decoded exception's Java field names in wire order (so it re-encodes identically). */
export const JAVA_FIELDS: unique symbol = Symbol.for('@dubbo-ts/hessian2.javaFields') as any;

/** Options of {@link JavaException}. */
export interface JavaExceptionOptions {
  /** The Java cause. */
  cause?: unknown;
  /** Java stack frames. @defaultValue `[]` */
  stackTrace?: StackTraceElement[];
  /** Suppressed exceptions. @defaultValue `[]` */
  suppressed?: JavaException[];
  /** Further Java fields of the exception class (e.g. `bytesTransferred`). @defaultValue `{}` */
  fields?: Record<string, unknown>;
}

/**
 * A Java `Throwable` as a JS `Error`: keeps the Java class name, message, cause, stack trace elements and suppressed
 * exceptions, and encodes back to the same Java class. JDK classes decode to subclasses (see {@link jdkException}).
 */
export class JavaException extends Error {
  /** The Java class name, e.g. `java.lang.IllegalStateException`. */
  javaClass: string;
  /** The Java stack trace. */
  stackTrace: StackTraceElement[];
  /** The suppressed exceptions. */
  suppressed: JavaException[];
  /** Further Java fields beyond Throwable's. */
  fields: Record<string, unknown>;
  /** The Java message (`null` when Java had none). */
  javaMessage: string | null;
  /** The Java field names in wire order, when decoded from an unregistered class (re-encoded the same way). */
  declare [JAVA_FIELDS]?: readonly string[];

  constructor(javaClass: string, message: string | null = null, options: JavaExceptionOptions = {}) {
    super(message ?? '', options.cause === undefined ? undefined : { cause: options.cause });
    this.name = javaClass.slice(javaClass.lastIndexOf('.') + 1);
    this.javaClass = javaClass;
    this.javaMessage = message;
    this.stackTrace = options.stackTrace ?? [];
    this.suppressed = options.suppressed ?? [];
    this.fields = options.fields ?? {};
  }

  /** Rebuilds `stack` from the Java frames, as Java prints a stack trace. */
  refreshStack(): void {
    const head = this.javaMessage === null ? this.javaClass : `${this.javaClass}: ${this.javaMessage}`;
    this.stack = [head, ...this.stackTrace.map((f) => `\tat ${f.toString()}`)].join('\n');
  }
}

/** JDK exception classes that decode to their own `Error` subclass: Java name -> Java parent name. */
const JDK: Record<string, string> = {
  'java.lang.Throwable': '',
  'java.lang.Exception': 'java.lang.Throwable',
  'java.lang.Error': 'java.lang.Throwable',
  'java.lang.RuntimeException': 'java.lang.Exception',
  'java.lang.IllegalArgumentException': 'java.lang.RuntimeException',
  'java.lang.IllegalStateException': 'java.lang.RuntimeException',
  'java.lang.NullPointerException': 'java.lang.RuntimeException',
  'java.lang.ArithmeticException': 'java.lang.RuntimeException',
  'java.lang.IndexOutOfBoundsException': 'java.lang.RuntimeException',
  'java.lang.ArrayIndexOutOfBoundsException': 'java.lang.IndexOutOfBoundsException',
  'java.lang.StringIndexOutOfBoundsException': 'java.lang.IndexOutOfBoundsException',
  'java.lang.ClassCastException': 'java.lang.RuntimeException',
  'java.lang.NumberFormatException': 'java.lang.IllegalArgumentException',
  'java.lang.UnsupportedOperationException': 'java.lang.RuntimeException',
  'java.lang.NegativeArraySizeException': 'java.lang.RuntimeException',
  'java.lang.ArrayStoreException': 'java.lang.RuntimeException',
  'java.lang.SecurityException': 'java.lang.RuntimeException',
  'java.lang.IllegalMonitorStateException': 'java.lang.RuntimeException',
  'java.lang.CloneNotSupportedException': 'java.lang.Exception',
  'java.lang.InterruptedException': 'java.lang.Exception',
  'java.lang.ReflectiveOperationException': 'java.lang.Exception',
  'java.lang.ClassNotFoundException': 'java.lang.ReflectiveOperationException',
  'java.lang.NoSuchFieldException': 'java.lang.ReflectiveOperationException',
  'java.lang.NoSuchMethodException': 'java.lang.ReflectiveOperationException',
  'java.lang.InstantiationException': 'java.lang.ReflectiveOperationException',
  'java.lang.IllegalAccessException': 'java.lang.ReflectiveOperationException',
  'java.lang.StackOverflowError': 'java.lang.Error',
  'java.lang.OutOfMemoryError': 'java.lang.Error',
  'java.lang.AssertionError': 'java.lang.Error',
  'java.util.NoSuchElementException': 'java.lang.RuntimeException',
  'java.util.ConcurrentModificationException': 'java.lang.RuntimeException',
  'java.util.EmptyStackException': 'java.lang.RuntimeException',
  'java.util.MissingResourceException': 'java.lang.RuntimeException',
  'java.util.InputMismatchException': 'java.util.NoSuchElementException',
  'java.util.zip.DataFormatException': 'java.lang.Exception',
  'java.io.IOException': 'java.lang.Exception',
  'java.io.FileNotFoundException': 'java.io.IOException',
  'java.io.EOFException': 'java.io.IOException',
  'java.io.UnsupportedEncodingException': 'java.io.IOException',
  'java.io.UTFDataFormatException': 'java.io.IOException',
  'java.io.InterruptedIOException': 'java.io.IOException',
  'java.io.ObjectStreamException': 'java.io.IOException',
  'java.io.NotSerializableException': 'java.io.ObjectStreamException',
  'java.io.UncheckedIOException': 'java.lang.RuntimeException',
  'java.nio.file.FileSystemException': 'java.io.IOException',
  'java.nio.file.NoSuchFileException': 'java.nio.file.FileSystemException',
  'java.util.concurrent.ExecutionException': 'java.lang.Exception',
  'java.util.concurrent.TimeoutException': 'java.lang.Exception',
  'java.util.concurrent.CancellationException': 'java.lang.IllegalStateException',
  'java.util.concurrent.RejectedExecutionException': 'java.lang.RuntimeException',
  'java.util.concurrent.CompletionException': 'java.lang.RuntimeException',
  'java.util.concurrent.BrokenBarrierException': 'java.lang.Exception',
  'java.net.SocketException': 'java.io.IOException',
  'java.net.SocketTimeoutException': 'java.io.InterruptedIOException',
  'java.net.ConnectException': 'java.net.SocketException',
  'java.net.BindException': 'java.net.SocketException',
  'java.net.UnknownHostException': 'java.io.IOException',
  'java.net.MalformedURLException': 'java.io.IOException',
  'java.net.URISyntaxException': 'java.lang.Exception',
};

const classes = new Map<string, typeof JavaException>();

/** Java class names of the JDK exceptions that have their own `Error` subclass. */
export const JDK_EXCEPTIONS: readonly string[] = Object.keys(JDK);

/**
 * The `Error` subclass for a JDK exception class, e.g. `jdkException('java.io.IOException')`; subclasses follow
 * Java's hierarchy, so `instanceof jdkException('java.io.IOException')` holds for a decoded `FileNotFoundException`.
 * Returns `JavaException` itself for other names.
 */
export function jdkException(javaClass: string): typeof JavaException {
  let c = classes.get(javaClass);
  if (c) return c;
  const parentName = JDK[javaClass];
  if (parentName === undefined) return JavaException;
  const parent: any = parentName ? jdkException(parentName) : JavaException;
  const root = parent === JavaException;
  const simple = javaClass.slice(javaClass.lastIndexOf('.') + 1);
  c = {
    [simple]: class extends parent {
      constructor(message: string | null = null, options: JavaExceptionOptions = {}) {
        super(...(root ? [javaClass, message, options] : [message, options]));
        this.javaClass = javaClass;
        this.name = simple;
      }
    },
  }[simple] as unknown as typeof JavaException;
  classes.set(javaClass, c);
  return c;
}

/** Builds a JDK (or any) Java exception by class name. */
export function javaException(
  javaClass: string,
  message: string | null = null,
  options: JavaExceptionOptions = {},
): JavaException {
  const C = jdkException(javaClass);
  return C === JavaException ? new JavaException(javaClass, message, options) : new (C as any)(message, options);
}
