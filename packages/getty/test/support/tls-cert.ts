import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A throwaway self-signed certificate for 127.0.0.1: generated with openssl when it is installed, else the
 * test-only pair committed under test/fixtures (valid for 100 years, never used outside tests).
 */
export function selfSignedCert(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'getty-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
    return { key: readFileSync(join(fixtures, 'test-key.pem')), cert: readFileSync(join(fixtures, 'test-cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
