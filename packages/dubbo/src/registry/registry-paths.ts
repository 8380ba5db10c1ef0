import { DubboUrl } from '../common/url.js';
import type { RegistryOptions } from './registry-options.js';

/** The four categories of Java's interface-level layout. */
export const CATEGORIES = ['providers', 'consumers', 'routers', 'configurators'] as const;
/** Category of a URL without a `category` parameter. */
export const DEFAULT_CATEGORY = 'providers';
const ANY = '*';

/** `namespace + root` with a trailing `/` (Java's `toRootDir`). */
export function rootDir(o: RegistryOptions): string {
  const r = o.namespace + o.root;
  return r.endsWith('/') ? r : `${r}/`;
}

/** `/dubbo/{encoded interface}` (Java's `toServicePath`); the root itself for interface `*`. */
export function servicePath(o: RegistryOptions, url: DubboUrl): string {
  const name = url.serviceInterface ?? '';
  if (name === ANY) return o.namespace + o.root;
  return rootDir(o) + DubboUrl.encode(name);
}

/** The categories a URL names (`category` parameter, comma-separated; `*` means all four). */
export function categoriesOf(url: DubboUrl): string[] {
  const list = url.getListParameter('category', [DEFAULT_CATEGORY]);
  return list.includes(ANY) ? [...CATEGORIES] : list;
}

/** `/dubbo/{interface}/{category}` for each category of the URL (Java's `toCategoriesPath`). */
export function categoryPaths(o: RegistryOptions, url: DubboUrl): string[] {
  const base = servicePath(o, url);
  return categoriesOf(url).map((c) => `${base}/${c}`);
}

/** The node of a registered URL: `/dubbo/{interface}/{category}/{URL.encode(url.toFullString())}` (Java's `toUrlPath`). */
export function urlPath(o: RegistryOptions, url: DubboUrl): string {
  const category = url.getParameter('category', DEFAULT_CATEGORY);
  return `${servicePath(o, url)}/${category}/${DubboUrl.encode(url.toFullString())}`;
}

function matchList(wanted: string | undefined, actual: string | undefined): boolean {
  if (wanted === undefined || wanted === '') return actual === undefined || actual === '';
  if (wanted === ANY) return true;
  if (wanted.includes(',')) return wanted.split(',').some((w) => w.trim() === (actual ?? ''));
  return wanted === (actual ?? '');
}

/**
 * Whether a registered URL matches a subscription (Java's `UrlUtils.isMatch`): same interface (or `*`), category
 * among the subscribed ones, `enabled` not false, and group, version, classifier equal (or `*`, or in a list).
 */
export function isMatch(consumer: DubboUrl, provider: DubboUrl): boolean {
  const ci = consumer.serviceInterface;
  const pi = provider.serviceInterface;
  if (ci !== ANY && pi !== ANY && ci !== pi) return false;
  const cats = categoriesOf(consumer);
  const pc = provider.getParameter('category', DEFAULT_CATEGORY);
  if (!cats.includes(pc)) return false;
  if (!provider.getBooleanParameter('enabled', true) && consumer.getParameter('enabled') !== ANY) return false;
  return (
    matchList(consumer.group, provider.group) &&
    (consumer.version === ANY || (consumer.version ?? '') === (provider.version ?? '')) &&
    (consumer.getParameter('classifier') === undefined ||
      consumer.getParameter('classifier') === ANY ||
      consumer.getParameter('classifier') === provider.getParameter('classifier'))
  );
}

/**
 * A node / key name holding an encoded URL (Java's `URL.valueOf(URL.decode(child))`), when it parses and matches the
 * subscription; undefined otherwise (other entries are skipped, never fatal).
 */
export function parseRegisteredUrl(consumer: DubboUrl, name: string): DubboUrl | undefined {
  if (!name.includes('%3A%2F%2F') && !name.includes('://')) return undefined;
  try {
    const url = DubboUrl.valueOf(DubboUrl.decode(name));
    return isMatch(consumer, url) ? url : undefined;
  } catch {
    return undefined;
  }
}
