// Starts and stops a private ZooKeeper or etcd through tools/services/*.sh, in its own state directory and on a fixed
// port, so a test can restart it without touching the shared servers.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const scripts = fileURLToPath(new URL('../../../../tools/services/', import.meta.url));

/** A free loopback port. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A private server started by a service script. */
export class PrivateServer {
  private readonly dir = mkdtempSync(join(tmpdir(), 'dubbo-ts-registry-svc-'));

  constructor(
    private readonly name: 'zookeeper' | 'etcd',
    readonly port: number,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  private run(cmd: 'start' | 'stop'): Promise<string> {
    const env = {
      ...process.env,
      DUBBO_TS_SERVICES_DIR: this.dir,
      [this.name === 'zookeeper' ? 'ZOOKEEPER_PORT' : 'ETCD_PORT']: String(this.port),
    };
    return new Promise((resolve, reject) =>
      execFile('bash', [`${scripts}${this.name}.sh`, cmd], { env, timeout: 120_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${this.name}.sh ${cmd}: ${err.message}\n${stderr}`)) : resolve(stdout.trim()),
      ),
    );
  }

  start(): Promise<string> {
    return this.run('start');
  }

  stop(): Promise<string> {
    return this.run('stop');
  }

  async dispose(): Promise<void> {
    await this.stop().catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}
