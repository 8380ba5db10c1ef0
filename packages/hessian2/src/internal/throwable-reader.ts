import type { CompiledClass } from '../class-registry.js';
import type { Hessian2Decoder } from '../hessian2-decoder.js';
import { JAVA_FIELDS, type JavaException, javaException, StackTraceElement } from '../java-exception.js';
import { setSafe } from './set-safe.js';

/**
 * Reads a Java Throwable's fields into a {@link JavaException} (the registered TS class, or the JDK subclass for
 * its name); unregistered ones keep their field list so they re-encode identically.
 */
export function readThrowable(
  dec: Hessian2Decoder,
  name: string,
  fields: readonly string[],
  c: CompiledClass | undefined,
): JavaException {
  const e: JavaException = c ? c.create() : javaException(name);
  if (c) e.javaClass = name;
  else
    Object.defineProperty(e, JAVA_FIELDS, {
      value: fields,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  dec.pushRef(e);
  for (const f of fields) {
    const v = dec.readValue();
    switch (f) {
      case 'detailMessage':
        e.javaMessage = typeof v === 'string' ? v : null;
        e.message = e.javaMessage ?? '';
        break;
      case 'cause':
        // Java's "no cause yet" is the exception itself; an explicit null cause stays null (it encodes as null)
        if (v !== e)
          Object.defineProperty(e, 'cause', { value: v, enumerable: false, writable: true, configurable: true });
        break;
      case 'stackTrace':
        e.stackTrace = Array.isArray(v) ? v.filter((x) => x instanceof StackTraceElement) : [];
        break;
      case 'suppressedExceptions':
        e.suppressed = Array.isArray(v) ? (v.filter((x) => x instanceof Error) as JavaException[]) : [];
        break;
      default: {
        const i = c ? c.names.indexOf(f) : -1;
        if (i >= 0) setSafe(e, c!.props[i]!, v);
        else setSafe(e.fields, f, v);
      }
    }
  }
  e.refreshStack();
  return e;
}
