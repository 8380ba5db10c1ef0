import { DubboError } from '../errors.js';

/** The parts {@link parseBody} finds (internal to the URL model). */
export interface UrlParts {
  protocol: string | undefined;
  username: string | undefined;
  password: string | undefined;
  host: string | undefined;
  port: number;
  path: string | undefined;
  parameters: Map<string, string>;
}

/** Parameter source accepted by {@link toMap}. */
type Source =
  | Readonly<Record<string, string | undefined>>
  | ReadonlyMap<string, string>
  | Iterable<readonly [string, string]>;

const DEFAULT_KEY_PREFIX = 'default.';
const COMMA_SPLIT = /\s*,+\s*/;

export function isEmpty(s: string | undefined | null): s is '' | undefined | null {
  return s === undefined || s === null || s.length === 0;
}

/** Java's `String.trim()`: strips chars <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Java's `Pattern.split`: trailing empty strings removed. */
export function commaSplit(value: string): string[] {
  const parts = value.split(COMMA_SPLIT);
  let n = parts.length;
  while (n > 0 && parts[n - 1] === '') n--;
  return n === parts.length ? parts : parts.slice(0, n);
}

export function toMap(source: Source | undefined): Map<string, string> {
  const map = new Map<string, string>();
  if (source === undefined || source === null) return map;
  if (source instanceof Map || Symbol.iterator in (source as object)) {
    for (const [k, v] of source as Iterable<readonly [string, string]>) {
      if (v !== undefined && v !== null) map.set(k, v);
    }
  } else {
    for (const [k, v] of Object.entries(source as Record<string, string | undefined>)) {
      if (v !== undefined && v !== null) map.set(k, v);
    }
  }
  return map;
}

export function paramError(key: string, value: string, type: string): DubboError {
  return new DubboError('DUBBO_ERR_URL_PARAMETER', `URL parameter "${key}"="${value}" is not ${type}`);
}

export const INT_RE = /^[+-]?\d+$/;
export const FLOAT_RE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

/** Java's Integer.parseInt / Long.parseLong (safe-integer range in JS). */
export function parseIntStrict(key: string, value: string, min: number, max: number, type: string): number {
  if (!INT_RE.test(value)) throw paramError(key, value, type);
  const n = Number(value);
  if (n < min || n > max) throw paramError(key, value, type);
  return n;
}

/** Parses the query part of a decoded URL string as Java's URLStrParser does (`&` or `;` separate pairs). */
export function parseDecodedParams(str: string, from: number, params: Map<string, string>): void {
  const len = str.length;
  let nameStart = from;
  let valueStart = -1;
  let i = from;
  for (; i < len; i++) {
    const ch = str.charCodeAt(i);
    if (ch === 0x3d /* = */) {
      if (nameStart === i) nameStart = i + 1;
      else if (valueStart < nameStart) valueStart = i + 1;
    } else if (ch === 0x26 /* & */ || ch === 0x3b /* ; */) {
      addParam(str, nameStart, valueStart, i, params);
      nameStart = i + 1;
    }
  }
  addParam(str, nameStart, valueStart, i, params);
}

function addParam(str: string, nameStart: number, valueStart: number, valueEnd: number, params: Map<string, string>) {
  if (nameStart >= valueEnd) return;
  let vs = valueStart;
  if (vs <= nameStart) vs = valueEnd + 1;
  const name = str.slice(nameStart, vs - 1);
  const value = vs >= valueEnd ? '' : str.slice(vs, valueEnd);
  params.set(name, value);
  if (name.startsWith(DEFAULT_KEY_PREFIX)) {
    const short = name.slice(DEFAULT_KEY_PREFIX.length);
    if (!params.has(short)) params.set(short, value);
  }
}

function lastIndexIn(s: string, ch: string, from: number, toExcluded: number): number {
  for (let i = Math.min(toExcluded, s.length) - 1; i >= from; i--) {
    if (s[i] === ch) return i;
  }
  return -1;
}

export function parseBody(full: string, body: string, params: Map<string, string>): UrlParts {
  let start = 0;
  let end = body.length;
  const pound = body.indexOf('#');
  if (pound !== -1) end = pound;
  let protocol: string | undefined;
  let protoEnd = body.indexOf('://');
  if (protoEnd >= 0) {
    if (protoEnd === 0) throw new DubboError('DUBBO_ERR_URL_INVALID', `url missing protocol: "${full}"`);
    protocol = body.slice(0, protoEnd);
    start = protoEnd + 3;
  } else {
    protoEnd = body.indexOf(':/');
    if (protoEnd >= 0) {
      if (protoEnd === 0) throw new DubboError('DUBBO_ERR_URL_INVALID', `url missing protocol: "${full}"`);
      protocol = body.slice(0, protoEnd);
      start = protoEnd + 1;
    }
  }
  let path: string | undefined;
  const pathStart = body.indexOf('/', start);
  if (pathStart >= 0 && pathStart < end) {
    path = body.slice(pathStart + 1, end);
    end = pathStart;
  }
  let username: string | undefined;
  let password: string | undefined;
  const at = lastIndexIn(body, '@', start, end);
  if (at > 0) {
    const colon = body.indexOf(':', start);
    if (colon !== -1 && colon < at) {
      username = body.slice(start, colon);
      password = body.slice(colon + 1, at);
    } else {
      username = body.slice(start, at);
    }
    start = at + 1;
  }
  let port = 0;
  const hostEnd = lastIndexIn(body, ':', start, end);
  if (hostEnd > 0 && hostEnd < body.length - 1 && !(lastIndexIn(body, '%', start, end) > hostEnd)) {
    const portText = body.slice(hostEnd + 1, end);
    if (!INT_RE.test(portText) || Number(portText) > 0x7fffffff) {
      throw new DubboError('DUBBO_ERR_URL_INVALID', `invalid port "${portText}" in url: "${full}"`);
    }
    port = Number(portText);
    end = hostEnd;
  }
  const host = end > start ? body.slice(start, end) : undefined;
  return { protocol, username, password, host, port, path, parameters: params };
}
