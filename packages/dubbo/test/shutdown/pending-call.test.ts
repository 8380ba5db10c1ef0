// A pending call keeps the process alive until it settles (#14): a script whose last call waits on a provider
// that went down ends with the call's timeout error and exit code 1, not exit 13 (unsettled top-level await).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/pending-call.mjs', import.meta.url));

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

describe('a pending call holds the process open', () => {
  it('ends a script waiting on a provider that went down with the timeout error and exit 1', async () => {
    const { code, stdout, stderr } = await run(fixture);
    expect(stdout).toContain('hi first');
    expect(stderr).toMatch(/DUBBO_ERR_CLIENT_TIMEOUT|Waiting server-side response timeout/);
    expect(code).toBe(1);
  });
});
