import { hash } from 'node:crypto';
import { javaString } from '../../common/java-string.js';
import type { DubboUrl } from '../../common/url.js';
import type { RpcInvocation } from '../../rpc/invocation.js';
import { settingsNameOf } from '../../rpc/method-name.js';
import type { ProviderInvoker } from '../provider-invoker.js';
import type { LoadBalance } from './load-balance.js';
import { md5FirstWordAscii } from './md5-short.js';

interface Ring {
  readonly invokers: readonly ProviderInvoker[];
  readonly points: Float64Array;
  readonly owners: readonly ProviderInvoker[];
  readonly argumentIndexes: readonly number[];
  /** Key text -> owner, for keys seen lately (bounded: cleared when full), so a repeated key costs no MD5. */
  readonly recent: Map<string, ProviderInvoker>;
}

/** Entries of {@link Ring.recent} before it is cleared. */
const RECENT_KEYS = 4096;

/**
 * Java's `consistenthash` (ketama over MD5), the same choice as a Java consumer for the same arguments and
 * providers: `hash.nodes` (default 160) virtual nodes per provider, 4 points per MD5 of `host:port` + i; the key is
 * the arguments at `hash.arguments` (default `0`) written as Java's `String.valueOf` writes them, joined with no
 * separator; the first point at or after MD5(key)'s first point, wrapping around. Weight is ignored (as Java).
 * Settings come from the first provider's URL; the ring is rebuilt when the provider list changes.
 */
export class ConsistentHashLoadBalance implements LoadBalance {
  /** serviceKey -> method -> ring (two levels, so no key string is built per call). */
  private readonly rings = new Map<string | undefined, Map<string, Ring>>();

  select(invokers: readonly ProviderInvoker[], _url: DubboUrl, inv: RpcInvocation): ProviderInvoker {
    const method = settingsNameOf(inv);
    const serviceKey = invokers[0]!.url.serviceKey;
    let byMethod = this.rings.get(serviceKey);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.rings.set(serviceKey, byMethod);
    }
    let ring = byMethod.get(method);
    if (ring === undefined || !sameList(ring.invokers, invokers)) {
      ring = buildRing(invokers, method);
      byMethod.set(method, ring);
    }
    const args = argumentsOf(inv);
    const types = typesOf(inv);
    let text = '';
    for (const i of ring.argumentIndexes) {
      if (i >= 0 && i < args.length) text += javaString(args[i], types?.[i] as string | undefined);
    }
    let owner = ring.recent.get(text);
    if (owner === undefined) {
      const w = md5FirstWordAscii(text); // short ASCII keys (the usual ones) without a native call
      owner = ring.owners[ceilIndex(ring.points, w >= 0 ? w : point(md5(text), 0))]!;
      if (ring.recent.size >= RECENT_KEYS) ring.recent.clear();
      ring.recent.set(text, owner);
    }
    return owner;
  }
}

function sameList(a: readonly ProviderInvoker[], b: readonly ProviderInvoker[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function buildRing(invokers: readonly ProviderInvoker[], method: string): Ring {
  const url = invokers[0]!.url;
  const nodes = Number(url.getMethodParameter(method, 'hash.nodes') ?? '160');
  const replicas = Number.isFinite(nodes) && nodes > 0 ? Math.trunc(nodes) : 160;
  const argumentIndexes = (url.getMethodParameter(method, 'hash.arguments') ?? '0')
    .split(/\s*[,]+\s*/)
    .filter((s) => s !== '')
    .map((s) => Number.parseInt(s, 10));
  const byPoint = new Map<number, ProviderInvoker>();
  for (const invoker of invokers) {
    const address = invoker.url.address ?? '';
    for (let i = 0; i < Math.trunc(replicas / 4); i++) {
      const digest = md5(address + i);
      for (let h = 0; h < 4; h++) byPoint.set(point(digest, h), invoker); // a later provider wins a collision
    }
  }
  const sorted = [...byPoint.keys()].sort((x, y) => x - y);
  return {
    invokers,
    points: Float64Array.from(sorted),
    owners: sorted.map((p) => byPoint.get(p)!),
    argumentIndexes,
    recent: new Map(),
  };
}

/** ES2024's `String.prototype.isWellFormed` (Node >= 20; the lib is ES2022). */
type WellFormed = string & { isWellFormed(): boolean };

/** An unpaired UTF-16 surrogate. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * MD5 of the UTF-8 bytes as Java's `String.getBytes(UTF_8)` writes them: an unpaired surrogate becomes `?` (Node
 * would write U+FFFD, 3 bytes), so a key with one hashes as in Java.
 */
function md5(text: string): Buffer {
  // Well-formed (the usual case) is checked natively; only a string with a lone surrogate is rewritten.
  const bytes = (text as WellFormed).isWellFormed() ? text : text.replace(LONE_SURROGATE, '?');
  return hash('md5', bytes, 'buffer') as Buffer; // one-shot: no Hash object per call
}

/** Little-endian uint32 of digest bytes [4h, 4h + 4): Java's `hash(digest, h)`. */
function point(d: Buffer, h: number): number {
  return d.readUInt32LE(h * 4);
}

/** Index of the first point >= `p`, wrapping to 0 (Java's `ceilingEntry`, else `firstEntry`). */
function ceilIndex(points: Float64Array, p: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]! < p) lo = mid + 1;
    else hi = mid;
  }
  return lo === points.length ? 0 : lo;
}

/** A generic call's target list (its `[object` / `[string` wrapper's array, or a plain array). */
function listOf(v: unknown): readonly unknown[] | undefined {
  const list = Array.isArray(v) ? v : (v as { value?: unknown } | null)?.value;
  return Array.isArray(list) ? list : undefined;
}

const isGeneric = (inv: RpcInvocation) =>
  (inv.methodName === '$invoke' || inv.methodName === '$invokeAsync') && inv.arguments.length === 3;

/** The arguments that key a call: a generic call's target arguments (the third argument of `$invoke`). */
function argumentsOf(inv: RpcInvocation): readonly unknown[] {
  return (isGeneric(inv) ? listOf(inv.arguments[2]) : undefined) ?? inv.arguments;
}

/** The declared Java types of {@link argumentsOf}: the method's, or a generic call's second argument. */
function typesOf(inv: RpcInvocation): readonly unknown[] | undefined {
  if (inv.method !== null) return inv.method.parameterTypes;
  return isGeneric(inv) && listOf(inv.arguments[2]) !== undefined ? listOf(inv.arguments[1]) : undefined;
}
