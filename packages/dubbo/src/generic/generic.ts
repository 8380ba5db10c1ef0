import { type ClassRegistry, defaultRegistry, JAVA_TYPE, JavaException, JavaValue, Long } from '@dubbo-ts/hessian2';

const MAX_DEPTH = 256;

function plainKind(v: object): boolean {
  return v instanceof Date || v instanceof Long || v instanceof Uint8Array || v instanceof Error;
}

/**
 * Turns a value into what Java's `PojoUtils.generalize` sends to generic consumers: POJOs (registered class
 * instances, objects with a Java type) become plain maps with a `class` entry; lists, maps and scalars stay.
 */
export function generalize(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return null;
  if (plainKind(value)) return value;
  if (value instanceof JavaValue) {
    if (value.shape === 'scalar') return value;
    if (value.shape === 'object') {
      const out: Record<string, unknown> = { class: value.type };
      const fields = value.value as Record<string, unknown>;
      for (const k of Object.keys(fields)) out[k] = generalize(fields[k], depth + 1);
      return out;
    }
    return new JavaValue(value.type, generalize(value.value, depth + 1), value.shape);
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => generalize(v, depth + 1));
    const t = (value as unknown as Record<symbol, unknown>)[JAVA_TYPE];
    if (t !== undefined) Object.defineProperty(out, JAVA_TYPE, { value: t, enumerable: false });
    return out;
  }
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) out.set(k, generalize(v, depth + 1));
    return out;
  }
  if (value instanceof Set) return [...value].map((v) => generalize(v, depth + 1));
  const o = value as Record<string | symbol, unknown>;
  const registered =
    o.constructor !== Object && o.constructor !== undefined ? defaultRegistry.forCtor(o.constructor) : undefined;
  const type = registered?.javaName ?? (o[JAVA_TYPE] as string | undefined);
  const out: Record<string, unknown> = {};
  if (type !== undefined) out.class = type;
  if (registered !== undefined) {
    for (let i = 0; i < registered.names.length; i++) {
      out[registered.names[i]!] = generalize(o[registered.props[i]!], depth + 1);
    }
  } else {
    for (const k of Object.keys(o)) out[k] = generalize(o[k], depth + 1);
  }
  return out;
}

/**
 * Turns what a generic consumer sent (POJOs as maps with a `class` entry) into what a TS service expects
 * (Java's `PojoUtils.realize`): a map naming a registered class becomes an instance of it; other maps with string
 * keys become plain objects (keeping the Java class name under `JAVA_TYPE`).
 */
export function realize(value: unknown, registry: ClassRegistry = defaultRegistry, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || plainKind(value)) return value;
  if (Array.isArray(value)) return value.map((v) => realize(v, registry, depth + 1));
  if (value instanceof Map) {
    let allStrings = true;
    for (const k of value.keys()) {
      if (typeof k !== 'string') {
        allStrings = false;
        break;
      }
    }
    if (!allStrings) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value) out.set(k, realize(v, registry, depth + 1));
      return out;
    }
    const cls = value.get('class');
    const c = typeof cls === 'string' ? registry.get(cls) : undefined;
    if (c !== undefined && !c.isException) {
      const obj = c.create();
      for (let i = 0; i < c.names.length; i++) {
        const name = c.names[i]!;
        if (value.has(name)) obj[c.props[i]!] = realize(value.get(name), registry, depth + 1);
      }
      return obj;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of value as Map<string, unknown>) {
      if (k === 'class' || k === '__proto__') continue;
      out[k] = realize(v, registry, depth + 1);
    }
    if (typeof cls === 'string')
      Object.defineProperty(out, JAVA_TYPE, { value: cls, enumerable: false, writable: true });
    return out;
  }
  return value;
}

/** Wraps a service exception for a generic consumer, as Java's `GenericFilter` does. */
export function toGenericException(err: unknown): JavaException {
  const cls = err instanceof JavaException ? err.javaClass : 'java.lang.RuntimeException';
  const msg =
    err instanceof Error
      ? err instanceof JavaException
        ? err.javaMessage
        : `${err.name}: ${err.message}`
      : String(err);
  return new JavaException('org.apache.dubbo.rpc.service.GenericException', msg, {
    fields: { exceptionClass: cls, exceptionMessage: msg },
  });
}
