import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { GostError } from './errors.js';

/**
 * The first non-internal IPv4 address of this host (what a registry should advertise), else `127.0.0.1`.
 * `DUBBO_IP_TO_REGISTRY` overrides it, as in Dubbo.
 */
export function localIp(): string {
  const env = process.env.DUBBO_IP_TO_REGISTRY;
  if (env) return env;
  const ifs = networkInterfaces();
  for (const name of Object.keys(ifs).sort()) {
    for (const a of ifs[name] ?? []) {
      if (a.family === 'IPv4' && !a.internal) return a.address;
    }
  }
  return '127.0.0.1';
}

/** A TCP port free on `host` right now (asks the OS by listening on port 0). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', (err) => reject(new GostError('GOST_ERR_NET', `no free port on ${host}`, { cause: err })));
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Formats a host and port as `host:port` (IPv6 hosts in brackets). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Splits `host:port` or `[v6]:port`. Throws `GOST_ERR_INVALID_ARG` on a malformed address. */
export function splitHostPort(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
  const port = m ? Number(m[3]) : -1;
  if (!m || port > 65535) throw new GostError('GOST_ERR_INVALID_ARG', `bad host:port "${address}"`);
  return { host: (m[1] ?? m[2])!, port };
}
