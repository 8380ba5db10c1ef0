import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import { asJava } from './support/jv.js';

// TS -> Java: our encodings of every golden value, decoded by hessian-lite and checked field by field against the
// original Java value (tools/interop/java/hessian-golden.sh verify). Needs a JDK; fails loudly without one.
const golden = join(import.meta.dirname, 'golden');
const script = join(import.meta.dirname, '../../../tools/interop/java/hessian-golden.sh');

describe('TS encodings decoded by hessian-lite', () => {
  it('every vector verifies in Java', () => {
    const manifest: { name: string; file: string; javaType: string }[] = JSON.parse(
      readFileSync(join(golden, 'manifest.json'), 'utf8'),
    );
    const out = mkdtempSync(join(tmpdir(), 'hessian2-reverse-'));
    try {
      for (const e of manifest) {
        const v = decode(readFileSync(join(golden, e.file)), { exactDoubles: true });
        writeFileSync(join(out, e.file), encode(asJava(e.javaType, v)));
      }
      const r = spawnSync('bash', [script, 'verify', out], { encoding: 'utf8', timeout: 240_000 });
      const lines = `${r.stdout ?? ''}`.split('\n');
      const summary = lines.find((l) => l.startsWith('verify:')) ?? `no summary; stderr: ${r.stderr} error: ${r.error}`;
      console.log(`GOLDEN ts->java: ${summary}`);
      const failures = lines.filter((l) => l.startsWith('FAIL') || l.startsWith('MISSING'));
      expect(failures).toEqual([]);
      expect(r.status).toBe(0);
      expect(summary).toContain(`pass=${manifest.length} `);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);
});
