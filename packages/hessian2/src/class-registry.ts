import { HessianError } from './errors.js';
import { JavaException } from './java-exception.js';
import type { JavaScalarKind } from './java-types.js';

/** How a registered field is written: a Java scalar kind, or `object` (the default): whatever the JS value is. */
export type FieldType = JavaScalarKind | 'object';

/** One Java field of a registered class. */
export interface FieldSpec {
  /** The Java field name (what goes on the wire). */
  readonly name: string;
  /** The TS property holding it. @defaultValue the Java field name */
  readonly prop?: string;
  /** How the value is written. @defaultValue `'object'` */
  readonly type?: FieldType;
  /**
   * The Java type of a collection, map or enum field, e.g. `java.util.HashSet`, `java.util.TreeMap`,
   * `com.example.Color`: an array or `Set` is written as that collection, a `Map` or object as that map, and a
   * string (or a value registered with `registerEnum`) as that enum constant.
   */
  readonly javaType?: string;
}

/** A class registration: a TS class (or a plain-object shape) under its Java class name. */
export interface ClassDescriptor<T extends object = any> {
  /** The Java class name, e.g. `com.example.User`. */
  readonly javaName: string;
  /**
   * Fields in Java's wire order. hessian-lite writes declared fields of the class reversed, then the superclass's
   * reversed (primitives and `java.lang.*` first); the golden vectors show it. Unknown wire fields are skipped
   * on decode.
   */
  readonly fields: ReadonlyArray<string | FieldSpec>;
  /**
   * Java field names accepted on decode only: each is read into the instance under its Java name (for `resolve` to
   * use) and never written. For a class Java writes in another form too (a BigDecimal as its raw fields).
   */
  readonly readOnlyFields?: readonly string[];
  /** The TS class decoded instances are made from (also used to find the descriptor when encoding). */
  readonly ctor?: new () => T;
  /** Makes an empty instance. @defaultValue `new ctor()` or `{}` */
  readonly create?: () => T;
  /** Turns a decoded instance into the value the caller sees (e.g. a `bigint`). @defaultValue identity */
  readonly resolve?: (decoded: T) => unknown;
  /** Turns the value being encoded into an object with the wire fields. @defaultValue identity */
  readonly toWire?: (value: any) => any;
}

/** A descriptor with its per-class compiled field access; built once per class and cached. */
export class CompiledClass {
  /** The Java class name. */
  readonly javaName: string;
  /** Java field names, in wire order. */
  readonly names: readonly string[];
  /** The TS property of each field (same index as {@link CompiledClass.names}). */
  readonly props: readonly string[];
  /** How each field is written (same index as {@link CompiledClass.names}). */
  readonly types: readonly FieldType[];
  /** The registration this was compiled from. */
  readonly descriptor: ClassDescriptor;
  /** Writes the fields of `obj` in order through the encoder (compiled). */
  readonly writeFields: (enc: any, obj: any) => void;
  /** Makes a new empty instance. */
  readonly create: () => any;
  /** Whether the TS class is a {@link JavaException} (written and read with Throwable's rules). */
  readonly isException: boolean;
  private readonly readers = new Map<string, (dec: any, obj: any) => void>();

  constructor(d: ClassDescriptor) {
    this.descriptor = d;
    this.javaName = d.javaName;
    const specs: FieldSpec[] = d.fields.map((f) => (typeof f === 'string' ? { name: f } : f));
    this.names = specs.map((s) => s.name);
    this.props = specs.map((s) => s.prop ?? s.name);
    this.types = specs.map((s) => s.type ?? 'object');
    const ctor = d.ctor;
    this.isException = !!ctor && ctor.prototype instanceof JavaException;
    this.create = d.create ?? (ctor ? () => new ctor() : () => ({}));
    const body = this.props
      .map((p, i) => {
        const acc = `o[${JSON.stringify(p)}]`;
        const jt = specs[i]!.javaType;
        if (jt) return `e.writeTyped(${acc}, ${JSON.stringify(jt)});`;
        return `e.${WRITER[this.types[i]!]}(${acc});`;
      })
      .join('\n');
    this.writeFields = new Function('e', 'o', body) as (enc: any, obj: any) => void;
  }

  /** A compiled reader for one wire field order (cached by that order). */
  readerFor(wireNames: readonly string[]): (dec: any, obj: any) => void {
    const key = wireNames.join('\0');
    let r = this.readers.get(key);
    if (!r) {
      const body = wireNames
        .map((n) => {
          const i = this.names.indexOf(n);
          if (i < 0) {
            if (n !== '__proto__' && this.descriptor.readOnlyFields?.includes(n))
              return `o[${JSON.stringify(n)}] = d.readValue();`;
            return 'd.readValue();';
          }
          const p = this.props[i]!;
          if (p === '__proto__')
            return `Object.defineProperty(o, '__proto__', { value: d.readValue(), enumerable: true, writable: true, configurable: true });`;
          return `o[${JSON.stringify(p)}] = d.${READER[this.types[i]!]}();`;
        })
        .join('\n');
      r = new Function('d', 'o', body) as (dec: any, obj: any) => void;
      this.readers.set(key, r);
    }
    return r;
  }
}

/** The decoder's reader for each field type: the form Java writes for it inline, anything else as readValue. */
const READER: Record<FieldType, string> = {
  int: 'readIntField',
  short: 'readIntField',
  byte: 'readIntField',
  long: 'readLongField',
  float: 'readDoubleField',
  double: 'readDoubleField',
  boolean: 'readBooleanField',
  char: 'readStringField',
  string: 'readStringField',
  date: 'readDateField',
  bytes: 'readValue',
  object: 'readObjectField',
};

const WRITER: Record<FieldType, string> = {
  int: 'writeInt',
  short: 'writeInt',
  byte: 'writeInt',
  long: 'writeLong',
  float: 'writeFloat',
  double: 'writeDouble',
  boolean: 'writeBoolean',
  char: 'writeString',
  string: 'writeString',
  date: 'writeDate',
  bytes: 'writeBytes',
  object: 'writeValue',
};

let defaultParent: ClassRegistry | undefined;

/** @internal Sets the parent new registries get by default (the JDK types registry; avoids an import cycle). */
export function setDefaultParent(r: ClassRegistry): void {
  defaultParent = r;
}

/**
 * Maps Java class names to TS classes / descriptors, both ways. Decoding an instance of a registered Java class
 * yields an instance of its TS class; encoding an instance of a registered TS class writes its Java class.
 * Use {@link defaultRegistry} unless you need isolation.
 */
export class ClassRegistry {
  private readonly byName = new Map<string, CompiledClass>();
  private readonly byCtor = new Map<Function, CompiledClass>();
  private readonly enums = new Map<string, Record<string, unknown>>();
  private readonly parent: ClassRegistry | undefined;
  /** @internal Decoded class definitions by Java name, with their raw field-list bytes (see the decoder). */
  readonly defCache = new Map<string, { tail: Buffer; def: unknown }>();

  /**
   * @param parent - a registry consulted when this one has no entry. `null` for none.
   * @defaultValue the registry of built-in JDK types (`jdkRegistry`), so java.time, BigDecimal, exceptions... work
   */
  constructor(parent?: ClassRegistry | null) {
    this.parent = parent === undefined ? (defaultParent ?? undefined) : (parent ?? undefined);
  }

  /** Registers a descriptor; returns its compiled form. Re-registering a name replaces it. */
  register<T extends object>(descriptor: ClassDescriptor<T>): CompiledClass {
    if (!descriptor.javaName || !Array.isArray(descriptor.fields)) {
      throw new HessianError('HESSIAN_ERR_INVALID_ARG', 'a class descriptor needs javaName and fields');
    }
    const c = new CompiledClass(descriptor);
    this.defCache.clear();
    this.byName.set(descriptor.javaName, c);
    if (descriptor.ctor) this.byCtor.set(descriptor.ctor, c);
    return c;
  }

  /**
   * Registers a TS class under a Java class name.
   * @param aliases - Java field name to TS property name, for fields named differently in TS.
   */
  registerClass<T extends object>(
    ctor: new () => T,
    javaName: string,
    fields: ReadonlyArray<string | FieldSpec>,
    aliases: Record<string, string> = {},
  ): CompiledClass {
    const specs = fields.map((f) => {
      const s = typeof f === 'string' ? { name: f } : f;
      const prop = aliases[s.name];
      return prop ? { ...s, prop } : s;
    });
    return this.register({ javaName, fields: specs, ctor });
  }

  /**
   * Registers a Java enum: decoding a constant yields `values[name]` (e.g. a TS enum member). Encoding goes
   * through `java.enum(javaName, name)` or a registered class field.
   */
  registerEnum(javaName: string, values: Record<string, unknown>): void {
    this.enums.set(javaName, values);
    this.defCache.clear();
  }

  /** The compiled class registered under a Java name, if any. */
  get(javaName: string): CompiledClass | undefined {
    return this.byName.get(javaName) ?? this.parent?.get(javaName);
  }

  /** The compiled class registered for a TS constructor, if any. */
  forCtor(ctor: Function): CompiledClass | undefined {
    return this.byCtor.get(ctor) ?? this.parent?.forCtor(ctor);
  }

  /** The enum values registered under a Java name, if any. */
  getEnum(javaName: string): Record<string, unknown> | undefined {
    return this.enums.get(javaName) ?? this.parent?.getEnum(javaName);
  }
}
