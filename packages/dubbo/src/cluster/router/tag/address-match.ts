import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Java's NetUtils.matchIpExpression as the tag router uses it (plus its `0.0.0.0:PORT` case): `*`, `*.*.*.*`, an
 * exact address, `host:port`, segments with `*` or ranges (`10.0.0.2-4`), IPv6 in `[...]` with a port, and CIDR
 * (`10.0.0.0/24`, port ignored). A malformed pattern matches nothing (Java logs and skips it). Host names are
 * compared as text (Java resolves them through DNS).
 */
export function matchAddress(pattern: string, host: string, port: number): boolean {
  try {
    if (pattern === `0.0.0.0:${port}`) return true;
    if (pattern.includes('/')) return inCidr(pattern, host);
    return matchIpRange(pattern.trim(), host, port);
  } catch {
    return false;
  }
}

function inCidr(pattern: string, host: string): boolean {
  const [net, bits] = pattern.split('/');
  const v6 = isIPv6(net!);
  const list = new BlockList();
  list.addSubnet(net!, Number(bits), v6 ? 'ipv6' : 'ipv4');
  const h = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIPv4(h)) return list.check(h, 'ipv4');
  if (isIPv6(h)) return list.check(h, 'ipv6');
  return false;
}

function matchIpRange(pattern: string, rawHost: string, port: number): boolean {
  if (pattern === '*.*.*.*' || pattern === '*') return true;
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const v4 = !isIPv6(host);
  let p = pattern;
  let patternPort: string | null = null;
  if (p.startsWith('[') && p.includes(']:')) {
    const end = p.indexOf(']:');
    patternPort = p.slice(end + 2);
    p = p.slice(1, end);
  } else if (p.startsWith('[') && p.endsWith(']')) {
    p = p.slice(1, -1);
  } else if (v4 && p.includes(':')) {
    const end = p.indexOf(':');
    patternPort = p.slice(end + 1);
    p = p.slice(0, end);
  }
  if (patternPort !== null && patternPort !== String(port)) return false;
  const sep = v4 ? '.' : ':';
  const mask = p.split(sep);
  const expression = p.includes('*') || p.includes('-');
  if (v4 && mask.length !== 4 && isIPv4(host)) return false;
  if (!v4 && mask.length !== 8 && (expression || !p.includes('::'))) return false;
  if (p === host) return true;
  if (!expression) return false;
  const parts = host.split(sep);
  const radix = v4 ? 10 : 16;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i]!;
    const part = parts[i];
    if (m === '*' || m === part) continue;
    if (m.includes('-')) {
      const range = m.split('-').filter((x) => x !== '');
      if (range.length !== 2 || part === undefined) return false;
      const min = Number.parseInt(range[0]!, radix);
      const max = Number.parseInt(range[1]!, radix);
      const ip = Number.parseInt(part, radix);
      if (!(ip >= min && ip <= max)) return false;
    } else if (part === '0' && /^0{1,4}$/.test(m)) {
      // '0', '00', '000' and '0000' all match a 0 segment.
    } else {
      return false;
    }
  }
  return true;
}
