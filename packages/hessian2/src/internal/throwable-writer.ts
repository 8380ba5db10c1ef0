// biome-ignore-all lint/correctness/noVoidTypeReturn: dispatch returns the (void) result of the chosen writer
import type { ClassRegistry } from '../class-registry.js';
import type { Hessian2Encoder } from '../hessian2-encoder.js';
import { JAVA_FIELDS, type JavaException } from '../java-exception.js';

const EMPTY_LIST_TYPE = 'java.util.Collections$EmptyList';
/** Stands for Java's shared `Throwable.SUPPRESSED_SENTINEL`: written once per message, then referenced. */
const EMPTY_SUPPRESSED: readonly unknown[] = Object.freeze([]);
const STE_ARRAY = '[java.lang.StackTraceElement';
const THROWABLE_FIELDS = ['suppressedExceptions', 'stackTrace', 'cause', 'detailMessage'] as const;

/** Writes a Java exception as hessian-lite does: Throwable's fields (in its wire order) plus any others. */
export function writeThrowable(enc: Hessian2Encoder, e: JavaException, registry: ClassRegistry): void {
  if (enc.addRef(e)) return;
  const c = registry.get(e.javaClass);
  if (c && !e[JAVA_FIELDS]) {
    enc.writeObjectHeader(c.javaName, c.javaName, c.names);
    for (let i = 0; i < c.names.length; i++) writeField(enc, e, c.names[i]!, c.props[i]!);
    return;
  }
  const extra = Object.keys(e.fields);
  const names = e[JAVA_FIELDS] ?? (extra.length ? [...THROWABLE_FIELDS, ...extra] : THROWABLE_FIELDS);
  enc.writeObjectHeader(`${e.javaClass}\0${names.join(',')}`, e.javaClass, names);
  for (const n of names) writeField(enc, e, n, n);
}

function writeField(enc: Hessian2Encoder, e: JavaException, name: string, prop: string): void {
  switch (name) {
    case 'detailMessage':
      return enc.writeString(e.javaMessage as string);
    case 'cause':
      if (e.cause === undefined || e.cause === e) {
        // Java's "no cause" is the exception itself
        enc.writeRaw(REF_TAG);
        return enc.writeInt(enc.refIdOf(e)!);
      }
      return enc.writeValue(e.cause);
    case 'stackTrace':
      return enc.writeList(e.stackTrace, STE_ARRAY);
    case 'suppressedExceptions':
      if (e.suppressed.length > 0) return enc.writeList(e.suppressed, null);
      return enc.writeList(EMPTY_SUPPRESSED, EMPTY_LIST_TYPE);
    default:
      return enc.writeValue(name in e.fields ? e.fields[name] : (e as any)[prop]);
  }
}

const REF_TAG = new Uint8Array([0x51]);
