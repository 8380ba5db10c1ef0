import { ExtensionRegistry } from '../common/extensions.js';

/** Merges the results of several groups into one (Java's `Merger`). */
export type Merger = (results: readonly unknown[]) => unknown;

function concat(results: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const r of results) if (Array.isArray(r)) out.push(...r);
  return out;
}

function union(results: readonly unknown[]): Set<unknown> {
  const out = new Set<unknown>();
  for (const r of results) {
    if (r instanceof Set || Array.isArray(r)) for (const v of r) out.add(v);
  }
  return out;
}

function mergeMaps(results: readonly unknown[]): unknown {
  if (results.some((r) => r instanceof Map)) {
    const out = new Map<unknown, unknown>();
    for (const r of results) {
      if (r instanceof Map) for (const [k, v] of r) out.set(k, v);
      else if (r !== null && typeof r === 'object') for (const [k, v] of Object.entries(r)) out.set(k, v);
    }
    return out;
  }
  return Object.assign({}, ...results.filter((r) => r !== null && typeof r === 'object'));
}

/**
 * Mergers by name, for `merger=<name>` (Java's `Merger` extensions), and by Java return type for `merger=true`.
 * Built in: `array` and `list` (concatenation), `set` (union), `map` (later groups win a key), `boolean` (and),
 * `sum` (numbers). Add one with `mergers.register('name', (results) => merged)`.
 */
export const mergers = new ExtensionRegistry<Merger>('merger', {
  array: concat,
  list: concat,
  set: union,
  map: mergeMaps,
  boolean: (rs) => rs.every((r) => r === true),
  sum: (rs) => rs.reduce<number>((a, r) => a + (typeof r === 'number' ? r : 0), 0),
});

/**
 * The merger for `merger=true` (or `default`): by the method's Java return type (arrays, `List`, `Set`, `Map`,
 * `boolean`), else by the first result's runtime type; `undefined` when nothing fits.
 */
export function mergerFor(returnType: string | undefined, first: unknown): Merger | undefined {
  const t = returnType ?? '';
  if (t.startsWith('[')) return mergers.find('array');
  if (/^java\.util\.(List|ArrayList|LinkedList|Collection)$/.test(t)) return mergers.find('list');
  if (/^java\.util\.(Set|HashSet|LinkedHashSet|TreeSet)$/.test(t)) return mergers.find('set');
  if (/^java\.util\.(Map|HashMap|LinkedHashMap|TreeMap)$/.test(t)) return mergers.find('map');
  if (t === 'boolean' || t === 'java.lang.Boolean') return mergers.find('boolean');
  if (Array.isArray(first)) return mergers.find('list');
  if (first instanceof Set) return mergers.find('set');
  if (first instanceof Map) return mergers.find('map');
  return undefined;
}
