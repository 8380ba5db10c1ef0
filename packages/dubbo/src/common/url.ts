import { DubboError } from '../errors.js';
import { urlDecode, urlEncode } from './url-encoding.js';
import { DEFAULT_RETRIES, DEFAULT_SERIALIZATION, DEFAULT_TIMEOUT, DEFAULT_WEIGHT, URL_KEYS } from './url-keys.js';
import {
  commaSplit,
  FLOAT_RE,
  INT_RE,
  isEmpty,
  javaTrim,
  paramError,
  parseBody,
  parseDecodedParams,
  parseIntStrict,
  toMap,
} from './url-parser.js';

/** Java's parser builds its URL without the password-without-username check; so does valueOf. */
let parsing = false;

/** The parts of a {@link DubboUrl}; everything is optional. */
export interface DubboUrlInit {
  /** Scheme, e.g. `dubbo`. */
  readonly protocol?: string | undefined;
  /** User name (only with a password or alone). */
  readonly username?: string | undefined;
  /** Password (requires a username). */
  readonly password?: string | undefined;
  /** Host name or IP. */
  readonly host?: string | undefined;
  /** Port; 0 means none. @defaultValue 0 */
  readonly port?: number | undefined;
  /** Path without the leading `/`, usually the interface name. */
  readonly path?: string | undefined;
  /** Parameters; empty values are kept as given. */
  readonly parameters?: ParameterSource | undefined;
}

/** Parameters given as a record, a map or key/value pairs. */
export type ParameterSource =
  | Readonly<Record<string, string | undefined>>
  | ReadonlyMap<string, string>
  | Iterable<readonly [string, string]>;

/** Values {@link DubboUrl.addParameter} accepts; they are written with `String(value)`. */
export type ParameterValue = string | number | bigint | boolean | null | undefined;

/**
 * The Dubbo URL (`dubbo://user:pwd@host:port/path?key=value&...`), an immutable value matching Java's
 * `org.apache.dubbo.common.URL`: the same parsing ({@link DubboUrl.valueOf}), the same strings
 * ({@link DubboUrl.toString}, {@link DubboUrl.toFullString}: parameters sorted by key, values not encoded),
 * the same keys and defaults. Every `with*`/`add*`/`remove*` returns a new URL (or `this` when nothing changes).
 */
export class DubboUrl {
  /** Scheme, e.g. `dubbo`; undefined when the string had none. */
  readonly protocol: string | undefined;
  /** User name, if any. */
  readonly username: string | undefined;
  /** Password, if any. */
  readonly password: string | undefined;
  /** Host, if any. */
  readonly host: string | undefined;
  /** Port; 0 when absent. */
  readonly port: number;
  /** Path without the leading `/`, if any. */
  readonly path: string | undefined;
  readonly #params: ReadonlyMap<string, string>;
  #serviceKey: string | null | undefined;
  #identity: string | undefined;

  /**
   * @param init - The parts. A password without a username is refused, as in Java.
   * @throws DubboError `DUBBO_ERR_URL_INVALID` for a password without username or a bad port.
   */
  constructor(init: DubboUrlInit = {}) {
    if (!parsing && isEmpty(init.username) && !isEmpty(init.password)) {
      throw new DubboError('DUBBO_ERR_URL_INVALID', 'Invalid url, password without username!');
    }
    const port = init.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 0x7fffffff) {
      throw new DubboError('DUBBO_ERR_URL_INVALID', `invalid port: ${port}`);
    }
    this.protocol = init.protocol ?? undefined;
    this.username = init.username ?? undefined;
    this.password = init.password ?? undefined;
    this.host = init.host ?? undefined;
    this.port = port;
    this.path = init.path ?? undefined;
    this.#params = init.parameters instanceof Map ? new Map(init.parameters) : toMap(init.parameters);
  }

  /**
   * Parses a URL string as Java's `URL.valueOf(url, encoded)`: `protocol://[user[:pwd]@]host[:port][/path][?k=v&...]`,
   * also `file:/path` and plain `host:port`. Parameter pairs are separated by `&` or `;`; a key without `=` gets
   * the value `''`; `default.x=v` also sets `x` when absent.
   *
   * @param url - The URL text.
   * @param encoded - Whether the whole string is percent-encoded (as registries store it). @defaultValue false
   * @throws DubboError `DUBBO_ERR_URL_INVALID` (or `DUBBO_ERR_URL_DECODE` when `encoded`) on malformed input.
   */
  static valueOf(url: string, encoded = false): DubboUrl {
    if (typeof url !== 'string') throw new DubboError('DUBBO_ERR_URL_INVALID', 'url must be a string');
    const params = new Map<string, string>();
    if (encoded) {
      const q = url.toUpperCase().indexOf('%3F');
      if (q >= 0) parseDecodedParams(urlDecode(url.slice(q + 3)), 0, params);
      const body = urlDecode(q >= 0 ? url.slice(0, q) : url);
      return fromParts(parseBody(url, body, params));
    }
    const q = url.indexOf('?');
    if (q >= 0) parseDecodedParams(url, q + 1, params);
    return fromParts(parseBody(url, q >= 0 ? url.slice(0, q) : url, params));
  }

  /** Java's `URL.encode` (java.net.URLEncoder, UTF-8). See {@link urlEncode}. */
  static encode(value: string | null | undefined): string {
    return urlEncode(value);
  }

  /** Java's `URL.decode` (java.net.URLDecoder, UTF-8). See {@link urlDecode}. */
  static decode(value: string | null | undefined): string {
    return urlDecode(value);
  }

  /**
   * The service key `group/path:version` (group and version left out when empty), as Java's `URL.buildKey`.
   *
   * @param path - Interface name or path.
   * @param group - Group, may be empty.
   * @param version - Version, may be empty.
   */
  static buildKey(path: string, group?: string | null, version?: string | null): string {
    let key = isEmpty(group) ? path : `${group}/${path}`;
    if (!isEmpty(version)) key += `:${version}`;
    return key;
  }

  // ---- address ----

  /** `host:port`, or `host` when the port is 0 (undefined without host and port). */
  get address(): string | undefined {
    // As Java's URLAddress: a port without host gives "null:port".
    if (this.port <= 0) return this.host;
    return `${this.host ?? 'null'}:${this.port}`;
  }

  /** `user:pwd@host:port` per RFC 3986, undefined when empty. */
  get authority(): string | undefined {
    let s = '';
    if (!isEmpty(this.username) || !isEmpty(this.password)) s = `${this.username ?? ''}:${this.password ?? ''}`;
    if (!isEmpty(this.host)) {
      if (s.length > 0) s += '@';
      s += this.host;
      if (this.port !== 0) s += `:${this.port}`;
    }
    return s.length === 0 ? undefined : s;
  }

  /** The path with a leading `/`. */
  get absolutePath(): string | undefined {
    const p = this.path;
    return p !== undefined && !p.startsWith('/') ? `/${p}` : p;
  }

  /** The address and the `backup` addresses, comma-joined, each given `defaultPort` when it has none or 0. */
  getBackupAddress(defaultPort = 0): string {
    const parts = [appendDefaultPort(this.address ?? '', defaultPort)];
    for (const b of this.getListParameter(URL_KEYS.BACKUP)) parts.push(appendDefaultPort(b, defaultPort));
    return parts.join(',');
  }

  // ---- parameters ----

  /** All parameters (insertion order; string forms sort them by key). */
  get parameters(): ReadonlyMap<string, string> {
    return this.#params;
  }

  /** The parameters as a plain object. */
  toParameterRecord(): Record<string, string> {
    return Object.fromEntries(this.#params);
  }

  /**
   * The raw value of a parameter; with a default, an empty or missing value gives the default (as Java).
   *
   * @param key - Parameter key.
   * @param defaultValue - Returned when the value is missing or empty.
   */
  getParameter(key: string): string | undefined;
  getParameter(key: string, defaultValue: string): string;
  getParameter(key: string, defaultValue?: string): string | undefined {
    const v = this.#params.get(key);
    if (defaultValue !== undefined && isEmpty(v)) return defaultValue;
    return v;
  }

  /** Whether the parameter is present with a non-empty value. */
  hasParameter(key: string): boolean {
    return !isEmpty(this.#params.get(key));
  }

  /** The parameter {@link urlDecode}d (`''` when missing and no default). */
  getParameterAndDecoded(key: string, defaultValue?: string): string {
    return urlDecode(this.getParameter(key) || defaultValue);
  }

  /**
   * An int parameter (Java's `Integer.parseInt`: optional sign and decimal digits, 32-bit range).
   *
   * @throws DubboError `DUBBO_ERR_URL_PARAMETER` when the value is not an int.
   */
  getIntParameter(key: string, defaultValue: number): number {
    const v = this.#params.get(key);
    if (isEmpty(v)) return defaultValue;
    return parseIntStrict(key, v, -0x80000000, 0x7fffffff, 'an int');
  }

  /**
   * A long parameter (decimal digits within the JS safe-integer range).
   *
   * @throws DubboError `DUBBO_ERR_URL_PARAMETER` when the value is not an integer.
   */
  getLongParameter(key: string, defaultValue: number): number {
    const v = this.#params.get(key);
    if (isEmpty(v)) return defaultValue;
    return parseIntStrict(key, v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a long');
  }

  /**
   * A floating-point parameter (Java's `Double.parseDouble` forms).
   *
   * @throws DubboError `DUBBO_ERR_URL_PARAMETER` when the value is not a number.
   */
  getNumberParameter(key: string, defaultValue: number): number {
    const v = this.#params.get(key);
    if (isEmpty(v)) return defaultValue;
    const t = javaTrim(v);
    if (!FLOAT_RE.test(t)) throw paramError(key, v, 'a number');
    return Number.parseFloat(t.replace(/^\+/, '').replace(/[fFdD]$/, ''));
  }

  /**
   * Java's `getPositiveParameter`: the int value, or `defaultValue` when it is missing or <= 0.
   *
   * @throws DubboError `DUBBO_ERR_INVALID_ARG` when `defaultValue` <= 0; `DUBBO_ERR_URL_PARAMETER` on a non-int.
   */
  getPositiveIntParameter(key: string, defaultValue: number): number {
    if (defaultValue <= 0) throw new DubboError('DUBBO_ERR_INVALID_ARG', 'defaultValue <= 0');
    const v = this.getIntParameter(key, defaultValue);
    return v <= 0 ? defaultValue : v;
  }

  /** Java's `Boolean.parseBoolean`: `true` (any case) is true, any other non-empty value false. */
  getBooleanParameter(key: string, defaultValue = false): boolean {
    const v = this.#params.get(key);
    if (isEmpty(v)) return defaultValue;
    return v.toLowerCase() === 'true';
  }

  /** A comma-separated parameter split as Java does (`\s*,+\s*`); `defaultValue` when missing or empty. */
  getListParameter(key: string, defaultValue: readonly string[] = []): string[] {
    const v = this.#params.get(key);
    if (isEmpty(v)) return [...defaultValue];
    return commaSplit(v);
  }

  /**
   * The `<method>.<key>` parameter only (Java's `getMethodParameterStrict`). When `methods` is set, the method
   * must be listed in it.
   */
  getMethodParameterStrict(method: string, key: string): string | undefined {
    const methods = this.#params.get(URL_KEYS.METHODS);
    if (!isEmpty(methods)) {
      if (!methods.includes(method) || !methods.split(',').includes(method)) return undefined;
    } else if (method.length === 0 || method.includes('.')) {
      return undefined;
    }
    return this.#params.get(`${method}.${key}`);
  }

  /** The `<method>.<key>` parameter, falling back to `<key>`; `defaultValue` when both are missing or empty. */
  getMethodParameter(method: string, key: string): string | undefined;
  getMethodParameter(method: string, key: string, defaultValue: string): string;
  getMethodParameter(method: string, key: string, defaultValue?: string): string | undefined {
    const strict = this.getMethodParameterStrict(method, key);
    const v = isEmpty(strict) ? this.#params.get(key) : strict;
    if (defaultValue !== undefined && isEmpty(v)) return defaultValue;
    return v;
  }

  /**
   * An int `<method>.<key>` parameter, falling back to `<key>` then `defaultValue`.
   *
   * @throws DubboError `DUBBO_ERR_URL_PARAMETER` when the value is not an int.
   */
  getMethodIntParameter(method: string, key: string, defaultValue: number): number {
    const v = this.getMethodParameter(method, key);
    if (isEmpty(v)) return defaultValue;
    return parseIntStrict(`${method}.${key}`, v, -0x80000000, 0x7fffffff, 'an int');
  }

  /** Whether `<method>.<key>` is set (non-empty). */
  hasMethodParameter(method: string, key: string): boolean {
    return !isEmpty(this.getMethodParameterStrict(method, key));
  }

  // ---- typed accessors ----

  /** The `interface` parameter, else the path (Java's `getServiceInterface`). */
  get serviceInterface(): string | undefined {
    const v = this.#params.get(URL_KEYS.INTERFACE);
    return isEmpty(v) ? this.path : v;
  }

  /** The `group` parameter (undefined when empty). */
  get group(): string | undefined {
    return this.#nonEmpty(URL_KEYS.GROUP);
  }

  /** The `version` parameter (undefined when empty). */
  get version(): string | undefined {
    return this.#nonEmpty(URL_KEYS.VERSION);
  }

  /** The `application` parameter (undefined when empty). */
  get application(): string | undefined {
    return this.#nonEmpty(URL_KEYS.APPLICATION);
  }

  /** The `side` parameter: `provider` or `consumer` (undefined when empty). */
  get side(): string | undefined {
    return this.#nonEmpty(URL_KEYS.SIDE);
  }

  /** The `category` parameter (undefined when empty). */
  get category(): string | undefined {
    return this.#nonEmpty(URL_KEYS.CATEGORY);
  }

  /** The `serialization` parameter, {@link DEFAULT_SERIALIZATION} when empty. */
  get serialization(): string {
    return this.getParameter(URL_KEYS.SERIALIZATION, DEFAULT_SERIALIZATION);
  }

  /** The `methods` parameter split on commas (empty when absent). */
  get methods(): string[] {
    return this.getListParameter(URL_KEYS.METHODS);
  }

  /** The `weight` parameter, {@link DEFAULT_WEIGHT} when empty. */
  get weight(): number {
    return this.getIntParameter(URL_KEYS.WEIGHT, DEFAULT_WEIGHT);
  }

  /**
   * The call timeout in ms: `<method>.timeout`, else `timeout`, else {@link DEFAULT_TIMEOUT}.
   *
   * @param method - Method name; omitted reads only `timeout`.
   */
  getTimeout(method?: string): number {
    return method === undefined
      ? this.getIntParameter(URL_KEYS.TIMEOUT, DEFAULT_TIMEOUT)
      : this.getMethodIntParameter(method, URL_KEYS.TIMEOUT, DEFAULT_TIMEOUT);
  }

  /**
   * Retries after the first try: `<method>.retries`, else `retries`, else {@link DEFAULT_RETRIES}.
   *
   * @param method - Method name; omitted reads only `retries`.
   */
  getRetries(method?: string): number {
    return method === undefined
      ? this.getIntParameter(URL_KEYS.RETRIES, DEFAULT_RETRIES)
      : this.getMethodIntParameter(method, URL_KEYS.RETRIES, DEFAULT_RETRIES);
  }

  /** `group/interface:version` (Java's `getServiceKey`); undefined without interface and path. */
  get serviceKey(): string | undefined {
    if (this.#serviceKey === undefined) {
      const inf = this.serviceInterface;
      this.#serviceKey = inf === undefined ? null : DubboUrl.buildKey(inf, this.group, this.version);
    }
    return this.#serviceKey ?? undefined;
  }

  /** `group/path:version`, the path preferred over `interface` (Java's `getPathKey`). */
  get pathKey(): string | undefined {
    const inf = isEmpty(this.path) ? this.serviceInterface : this.path;
    return inf === undefined ? undefined : DubboUrl.buildKey(inf, this.group, this.version);
  }

  /** `interface:version` or `interface` (Java's `getDisplayServiceKey`). */
  get displayServiceKey(): string | undefined {
    const inf = this.serviceInterface;
    return isEmpty(this.version) ? inf : `${inf ?? 'null'}:${this.version}`;
  }

  /** `interface:version:group` with empty slots kept (Java's `getColonSeparatedKey`). */
  get colonSeparatedKey(): string {
    return `${this.serviceInterface ?? 'null'}:${this.version ?? ''}:${this.group ?? ''}`;
  }

  /** {@link serviceKey} followed by `:protocol` unless the protocol is `consumer` (Java's `getProtocolServiceKey`). */
  get protocolServiceKey(): string {
    // Java concatenates nulls as "null".
    const key = this.serviceKey ?? 'null';
    return this.protocol === 'consumer' ? key : `${key}:${this.protocol ?? 'null'}`;
  }

  /** Whether the host is `0.0.0.0` or `anyhost=true`. */
  get isAnyHost(): boolean {
    return this.host === '0.0.0.0' || this.getBooleanParameter(URL_KEYS.ANYHOST);
  }

  #nonEmpty(key: string): string | undefined {
    const v = this.#params.get(key);
    return isEmpty(v) ? undefined : v;
  }

  // ---- immutable updates ----

  #with(parts: DubboUrlInit, params?: ReadonlyMap<string, string>): DubboUrl {
    return new DubboUrl({
      protocol: 'protocol' in parts ? parts.protocol : this.protocol,
      username: 'username' in parts ? parts.username : this.username,
      password: 'password' in parts ? parts.password : this.password,
      host: 'host' in parts ? parts.host : this.host,
      port: 'port' in parts ? parts.port : this.port,
      path: 'path' in parts ? parts.path : this.path,
      parameters: params ?? this.#params,
    });
  }

  /** A copy with another protocol. */
  withProtocol(protocol: string | undefined): DubboUrl {
    return this.#with({ protocol });
  }

  /** A copy with another username. */
  withUsername(username: string | undefined): DubboUrl {
    return this.#with({ username });
  }

  /** A copy with another password. */
  withPassword(password: string | undefined): DubboUrl {
    return this.#with({ password });
  }

  /** A copy with another host. */
  withHost(host: string | undefined): DubboUrl {
    return this.#with({ host });
  }

  /** A copy with another port. */
  withPort(port: number): DubboUrl {
    return this.#with({ port });
  }

  /** A copy with another path. */
  withPath(path: string | undefined): DubboUrl {
    return this.#with({ path });
  }

  /**
   * A copy with another address: `host:port` (split at the last `:`) or `host` (port kept).
   *
   * @throws DubboError `DUBBO_ERR_URL_INVALID` on a bad port.
   */
  withAddress(address: string): DubboUrl {
    const i = address.lastIndexOf(':');
    if (i < 0) return this.#with({ host: address });
    const portText = address.slice(i + 1);
    if (!INT_RE.test(portText)) throw new DubboError('DUBBO_ERR_URL_INVALID', `invalid port in "${address}"`);
    return this.#with({ host: address.slice(0, i), port: Number(portText) });
  }

  /** A copy with `interface` set. */
  withServiceInterface(service: string): DubboUrl {
    return this.addParameter(URL_KEYS.INTERFACE, service);
  }

  /**
   * A copy with the parameter set; as Java, an empty key or an empty/null/undefined value changes nothing,
   * and setting the same value returns `this`.
   */
  addParameter(key: string, value: ParameterValue): DubboUrl {
    if (value === undefined || value === null) return this;
    const s = String(value);
    if (key.length === 0 || s.length === 0 || this.#params.get(key) === s) return this;
    const next = new Map(this.#params);
    next.set(key, s);
    return this.#with({}, next);
  }

  /** A copy with the value {@link urlEncode}d then set (nothing when empty). */
  addParameterAndEncoded(key: string, value: string | undefined): DubboUrl {
    if (isEmpty(value)) return this;
    return this.addParameter(key, urlEncode(value));
  }

  /** A copy with the parameter set only when it is not already present (non-empty). */
  addParameterIfAbsent(key: string, value: ParameterValue): DubboUrl {
    if (this.hasParameter(key)) return this;
    return this.addParameter(key, value);
  }

  /** A copy with all the given parameters set (overriding); `this` when nothing changes. */
  addParameters(parameters: ParameterSource): DubboUrl {
    const add = toMap(parameters);
    let changed = false;
    for (const [k, v] of add) {
      if (this.#params.get(k) !== v) {
        changed = true;
        break;
      }
    }
    if (!changed) return this;
    const next = new Map(this.#params);
    for (const [k, v] of add) next.set(k, v);
    return this.#with({}, next);
  }

  /** A copy with the given parameters set where absent. */
  addParametersIfAbsent(parameters: ParameterSource): DubboUrl {
    const next = new Map(this.#params);
    let changed = false;
    for (const [k, v] of toMap(parameters)) {
      if (!next.has(k)) {
        next.set(k, v);
        changed = true;
      }
    }
    return changed ? this.#with({}, next) : this;
  }

  /** A copy with the parameters of a query string (`a=1&b=2`, not decoded) added. */
  addParameterString(query: string): DubboUrl {
    if (isEmpty(query)) return this;
    const params = new Map<string, string>();
    parseDecodedParams(query, 0, params);
    return this.addParameters(params);
  }

  /** A copy without the given parameters; `this` when none was present. */
  removeParameters(...keys: string[]): DubboUrl {
    if (!keys.some((k) => this.#params.has(k))) return this;
    const next = new Map(this.#params);
    for (const k of keys) next.delete(k);
    return this.#with({}, next);
  }

  /** A copy without the given parameter. */
  removeParameter(key: string): DubboUrl {
    return this.removeParameters(key);
  }

  /** A copy without any parameter. */
  clearParameters(): DubboUrl {
    return this.#params.size === 0 ? this : this.#with({}, new Map());
  }

  // ---- strings ----

  /** Parameters as `k=v&...` sorted by key (values trimmed, not encoded), only `include` keys when given. */
  toParameterString(...include: string[]): string {
    return this.#buildParameters(false, include);
  }

  #buildParameters(concat: boolean, include: readonly string[]): string {
    if (this.#params.size === 0) return '';
    const keys = [...this.#params.keys()].sort();
    let out = '';
    for (const key of keys) {
      if (key.length === 0 || (include.length > 0 && !include.includes(key))) continue;
      out += out.length === 0 ? (concat ? '?' : '') : '&';
      out += `${key}=${javaTrim(this.#params.get(key) ?? '')}`;
    }
    return out;
  }

  #build(appendUser: boolean, appendParams: boolean, useService: boolean, include: readonly string[]): string {
    let out = '';
    if (!isEmpty(this.protocol)) out += `${this.protocol}://`;
    if (appendUser && !isEmpty(this.username)) {
      out += this.username;
      if (!isEmpty(this.password)) out += `:${this.password}`;
      out += '@';
    }
    if (!isEmpty(this.host)) {
      out += this.host;
      if (this.port > 0) out += `:${this.port}`;
    }
    const path = useService ? this.serviceKey : this.path;
    if (!isEmpty(path)) out += `/${path}`;
    if (appendParams) out += this.#buildParameters(true, include);
    return out;
  }

  /** `protocol://host:port/path?params` without user info (Java's `toString`); only `include` keys when given. */
  toString(...include: string[]): string {
    return this.#build(false, true, false, include);
  }

  /** `protocol://user:pwd@host:port/path?params` (Java's `toFullString`); only `include` keys when given. */
  toFullString(...include: string[]): string {
    return this.#build(true, true, false, include);
  }

  /** `protocol://user:pwd@host:port/path`, no parameters (Java's `toIdentityString`). */
  toIdentityString(): string {
    // Cached: balancers key per-provider state by it on every call (the URL is immutable).
    this.#identity ??= this.#build(true, false, false, []);
    return this.#identity;
  }

  /** `protocol://user:pwd@host:port/group/interface:version` (Java's `toServiceStringWithoutResolving`). */
  toServiceString(): string {
    return this.#build(true, false, true, []);
  }

  /**
   * The parameters plus `protocol`, `username`, `password`, `host`, `port` (when > 0), `path` and `address`
   * (Java's `toMap`).
   */
  toMap(): Map<string, string> {
    const map = new Map(this.#params);
    if (this.protocol !== undefined) map.set('protocol', this.protocol);
    if (this.username !== undefined) map.set('username', this.username);
    if (this.password !== undefined) map.set('password', this.password);
    if (this.host !== undefined) map.set('host', this.host);
    if (this.port > 0) map.set('port', String(this.port));
    if (this.path !== undefined) map.set('path', this.path);
    const address = this.address;
    if (address !== undefined) map.set('address', address);
    return map;
  }

  /** Same parts and same parameters (order ignored). */
  equals(other: DubboUrl): boolean {
    if (this === other) return true;
    if (
      this.protocol !== other.protocol ||
      this.username !== other.username ||
      this.password !== other.password ||
      this.host !== other.host ||
      this.port !== other.port ||
      this.path !== other.path ||
      this.#params.size !== other.#params.size
    ) {
      return false;
    }
    for (const [k, v] of this.#params) if (other.#params.get(k) !== v) return false;
    return true;
  }
}

function fromParts(parts: DubboUrlInit): DubboUrl {
  parsing = true;
  try {
    return new DubboUrl(parts);
  } finally {
    parsing = false;
  }
}

function appendDefaultPort(address: string, defaultPort: number): string {
  if (address.length === 0 || defaultPort <= 0) return address;
  const i = address.indexOf(':');
  if (i < 0) return `${address}:${defaultPort}`;
  if (Number(address.slice(i + 1)) === 0) return `${address.slice(0, i + 1)}${defaultPort}`;
  return address;
}
