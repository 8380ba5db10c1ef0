// Runs tools/interop/java/registry-tool.sh: Java Dubbo 3.3's own registry code reading or writing a registry.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../../tools/interop/java/registry-tool.sh', import.meta.url));

/** What Java's `Registry.lookup` parsed: each provider as its full string and its fields. */
export interface JavaLookup {
  readonly urls: string[];
  readonly fields: Record<string, string>[];
}

/** Java's `Registry.lookup` of the providers of `iface` in `registry` (e.g. `zookeeper://127.0.0.1:2181`). */
export function javaLookup(registry: string, iface: string, group?: string, version?: string): Promise<JavaLookup> {
  const args = ['lookup', registry, iface, ...(group !== undefined ? [group, version ?? ''] : [])];
  return new Promise((resolve, reject) => {
    execFile('bash', [script, ...args], { timeout: 180_000, maxBuffer: 1 << 22 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`registry-tool lookup failed: ${err.message}\n${stderr}`));
      const urls: string[] = [];
      const fields: Record<string, string>[] = [];
      for (const line of stdout.split('\n')) {
        if (line.startsWith('URL ')) urls.push(line.slice(4));
        if (line.startsWith('FIELDS ')) {
          const rec: Record<string, string> = {};
          for (const kv of line.slice(7).split(' ')) {
            const i = kv.indexOf('=');
            rec[kv.slice(0, i)] = kv.slice(i + 1);
          }
          fields.push(rec);
        }
      }
      resolve({ urls, fields });
    });
  });
}

/** Java registers `urls` through its own Registry; resolves once written. Close stdin (`stop`) to unregister. */
export function javaRegister(
  registry: string,
  urls: string[],
): Promise<{ stop(): Promise<void>; child: ChildProcess }> {
  const child = spawn('bash', [script, 'register', registry, ...urls], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`registry-tool register did not get READY: ${err}`));
    }, 180_000);
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!out.includes('READY')) return;
      clearTimeout(timer);
      resolve({
        child,
        stop: () =>
          new Promise<void>((r) => {
            child.once('exit', () => r());
            child.stdin.end();
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!out.includes('READY')) reject(new Error(`registry-tool register exited ${code}: ${err}`));
    });
  });
}
