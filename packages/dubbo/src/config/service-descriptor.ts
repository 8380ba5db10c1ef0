import { DubboError } from '../errors.js';
import { isJavaTypeName, javaTypeToDescriptor, type ValueWriter, writerFor } from '../protocol/dubbo/java-type.js';

/** One method of a Java interface. */
export interface MethodInit {
  /** The Java method name. @defaultValue the key of the method in {@link ServiceDescriptorInit.methods} */
  readonly name?: string;
  /** The Java parameter types in order, e.g. `['java.lang.String', 'int', 'com.example.User']`. */
  readonly params: readonly string[];
  /** The Java return type (how a TS provider writes the value). @defaultValue `'java.lang.Object'` (as the value is) */
  readonly returns?: string;
  /** Consumer-side timeout of this method in ms; overrides the reference's. */
  readonly timeout?: number;
}

/** What {@link defineService} takes: the Java interface name and every method, keyed by its TS name. */
export interface ServiceDescriptorInit<T = unknown> {
  /** The Java interface name, e.g. `org.apache.dubbo.interop.service.UserService`. */
  readonly interfaceName: string;
  /**
   * The methods, keyed by the TS method name. A key may map to another Java name (`name`), which is how Java
   * overloads get distinct TS names: `overloadInt: { name: 'overload', params: ['int'] }`.
   */
  readonly methods: { readonly [K in keyof T & string]: MethodInit | readonly string[] };
}

/** A method of a {@link ServiceDescriptor}, compiled once: descriptor string and value writers. */
export class MethodDescriptor {
  /** The TS name (key). */
  readonly key: string;
  /** The Java method name. */
  readonly name: string;
  /** The Java parameter types. */
  readonly parameterTypes: readonly string[];
  /** The JVM parameter-type descriptor, e.g. `Ljava/lang/String;I`. */
  readonly desc: string;
  /** The Java return type. */
  readonly returnType: string;
  /** Per-method timeout (ms), if any. */
  readonly timeout: number | undefined;
  /** @internal */
  readonly argWriters: readonly ValueWriter[];
  /** @internal */
  readonly returnWriter: ValueWriter;

  constructor(key: string, init: MethodInit) {
    this.key = key;
    this.name = init.name ?? key;
    this.parameterTypes = Object.freeze([...init.params]);
    this.desc = this.parameterTypes.map(javaTypeToDescriptor).join('');
    this.returnType = init.returns ?? 'java.lang.Object';
    this.timeout = init.timeout;
    this.argWriters = Object.freeze(this.parameterTypes.map(writerFor));
    this.returnWriter = writerFor(this.returnType);
  }
}

const JAVA_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const JAVA_CLASS = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function invalid(msg: string): DubboError {
  return new DubboError('DUBBO_ERR_SERVICE_DESCRIPTOR', msg);
}

/**
 * A Java interface as dubbo-ts sees it: its name and its methods with Java parameter and return types. Written
 * once per interface (see {@link defineService}) and used by both consumers (to write arguments as the
 * right Java types, with no per-argument wrappers) and providers (to match requests and write results).
 */
export class ServiceDescriptor<T = unknown> {
  /** The Java interface name. */
  readonly interfaceName: string;
  /** Methods by TS name. */
  readonly methods: ReadonlyMap<string, MethodDescriptor>;
  private readonly bySignature = new Map<string, MethodDescriptor>();
  private readonly byNameDesc = new Map<string, Map<string, MethodDescriptor>>();
  private readonly byName = new Map<string, MethodDescriptor[]>();
  declare readonly __type?: T;

  /** @throws DubboError `DUBBO_ERR_SERVICE_DESCRIPTOR` when the interface, a method name or a Java type is invalid. */
  constructor(init: ServiceDescriptorInit<T>) {
    if (init === null || typeof init !== 'object') throw invalid('a service descriptor needs an object');
    if (typeof init.interfaceName !== 'string' || !JAVA_CLASS.test(init.interfaceName)) {
      throw invalid(`not a Java interface name: ${String(init.interfaceName)}`);
    }
    if (init.methods === null || typeof init.methods !== 'object') {
      throw invalid(`${init.interfaceName}: methods must be an object`);
    }
    this.interfaceName = init.interfaceName;
    const methods = new Map<string, MethodDescriptor>();
    for (const key of Object.keys(init.methods)) {
      const raw = (init.methods as Record<string, MethodInit | readonly string[]>)[key]!;
      const m: MethodInit = Array.isArray(raw) ? { params: raw as readonly string[] } : (raw as MethodInit);
      const where = `${init.interfaceName}.${key}`;
      if (m === null || typeof m !== 'object' || !Array.isArray(m.params))
        throw invalid(`${where}: params must be an array`);
      const name = m.name ?? key;
      if (!JAVA_IDENTIFIER.test(name) || name.startsWith('$'))
        throw invalid(`${where}: not a Java method name: ${name}`);
      for (const p of m.params) {
        if (!isJavaTypeName(p) || p === 'void') throw invalid(`${where}: not a Java parameter type: ${String(p)}`);
      }
      if (m.returns !== undefined && !isJavaTypeName(m.returns)) {
        throw invalid(`${where}: not a Java return type: ${String(m.returns)}`);
      }
      if (m.timeout !== undefined && !(Number.isFinite(m.timeout) && m.timeout > 0)) {
        throw invalid(`${where}: timeout must be a positive number of ms`);
      }
      const md = new MethodDescriptor(key, m);
      const sig = `${md.name}(${md.desc})`;
      if (this.bySignature.has(sig)) throw invalid(`${where}: duplicate Java method ${sig}`);
      this.bySignature.set(sig, md);
      let descs = this.byNameDesc.get(md.name);
      if (descs === undefined) this.byNameDesc.set(md.name, (descs = new Map()));
      descs.set(md.desc, md);
      const list = this.byName.get(md.name);
      if (list) list.push(md);
      else this.byName.set(md.name, [md]);
      methods.set(key, md);
    }
    this.methods = methods;
  }

  /**
   * The method a request names: by Java name and descriptor, else by name and argument count when that is
   * unambiguous (peers that write a looser descriptor, e.g. `Ljava/lang/Object;`).
   */
  findMethod(name: string, desc: string, argc: number): MethodDescriptor | undefined {
    const m = this.byNameDesc.get(name)?.get(desc);
    if (m !== undefined) return m;
    const list = this.byName.get(name);
    if (list === undefined) return undefined;
    let found: MethodDescriptor | undefined;
    for (const c of list) {
      if (c.parameterTypes.length !== argc) continue;
      if (found !== undefined) return undefined;
      found = c;
    }
    return found;
  }

  /** The method of a Java name and parameter types (for generic calls); parameter types may be omitted when unique. */
  findByTypes(name: string, types: readonly string[] | null): MethodDescriptor | undefined {
    const list = this.byName.get(name);
    if (list === undefined) return undefined;
    if (types === null) return list.length === 1 ? list[0] : undefined;
    let desc: string;
    try {
      desc = types.map(javaTypeToDescriptor).join('');
    } catch {
      return undefined;
    }
    return this.bySignature.get(`${name}(${desc})`) ?? (list.length === 1 ? list[0] : undefined);
  }
}

/**
 * Describes a Java interface once, for consumers and providers:
 *
 * ```ts
 * interface UserService { getUser(id: number): Promise<User>; existUser(email: string): Promise<boolean> }
 * const UserServiceDescriptor = defineService<UserService>({
 *   interfaceName: 'org.apache.dubbo.interop.service.UserService',
 *   methods: {
 *     getUser: { params: ['long'], returns: 'org.apache.dubbo.interop.service.User' },
 *     existUser: { params: ['java.lang.String'], returns: 'boolean' },
 *   },
 * });
 * ```
 *
 * @throws DubboError `DUBBO_ERR_SERVICE_DESCRIPTOR` on an invalid descriptor (checked here, at startup).
 */
export function defineService<T>(init: ServiceDescriptorInit<T>): ServiceDescriptor<T> {
  return new ServiceDescriptor<T>(init);
}
