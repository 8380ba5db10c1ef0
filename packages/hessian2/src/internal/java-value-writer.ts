// biome-ignore-all lint/correctness/noVoidTypeReturn: dispatch returns the (void) result of the chosen writer
import type { ClassRegistry } from '../class-registry.js';
import { HessianError } from '../errors.js';
import type { Hessian2Encoder } from '../hessian2-encoder.js';
import type { JavaValue } from '../java-types.js';

/** Writes `v` as a Java collection, map or enum type named by a registration (`FieldSpec.javaType`). */
export function writeAsJavaType(enc: Hessian2Encoder, registry: ClassRegistry, v: unknown, javaType: string): void {
  if (v === null || v === undefined) return enc.writeNull();
  if (Array.isArray(v)) return enc.writeList(v, javaType);
  if (v instanceof Set) return enc.writeList([...v], javaType, v);
  if (v instanceof Map) return enc.writeMap(v, javaType);
  const c = registry.get(javaType);
  if (c && typeof v === 'object') return enc.writeValue(v);
  const values = registry.getEnum(javaType);
  if (values || typeof v === 'string') {
    let name = typeof v === 'string' ? v : undefined;
    if (values) for (const k of Object.keys(values)) if (values[k] === v) name = k;
    if (name === undefined)
      throw new HessianError('HESSIAN_ERR_ENCODE', `${String(v)} is not a constant of ${javaType}`);
    return enc.writeEnum(javaType, name);
  }
  if (typeof v === 'object' && (v as any).constructor === Object)
    return enc.writeMap(v as Record<string, unknown>, javaType);
  return enc.writeValue(v);
}

/** Writes a {@link JavaValue} wrapper as the Java type it names. */
export function writeJavaValue(enc: Hessian2Encoder, registry: ClassRegistry, j: JavaValue): void {
  const v = j.value as any;
  switch (j.shape) {
    case 'list':
      return enc.writeList(v, j.type, j);
    case 'map':
      return enc.writeMap(v, j.type, j);
    case 'enum':
      return enc.writeEnum(j.type, String(v));
    case 'object': {
      const c = registry.get(j.type);
      return c ? enc.writeRegistered(c, v) : enc.writeObject(j.type, v, j);
    }
  }
  switch (j.type) {
    case 'int':
    case 'short':
    case 'byte':
      return enc.writeInt(v);
    case 'long':
      return enc.writeLong(v);
    case 'float':
      return enc.writeFloat(v);
    case 'double':
      return enc.writeDouble(v);
    case 'boolean':
      return enc.writeBoolean(v);
    case 'char':
    case 'string':
      return enc.writeString(v);
    case 'date':
      return enc.writeDate(v);
    case 'bytes':
      return enc.writeBytes(v);
  }
  throw new HessianError('HESSIAN_ERR_ENCODE', `unknown JavaValue type ${j.type}`);
}
