import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from '@dubbo-ts/hessian2';
import { describe, expect, it } from 'vitest';
import { asJava, fromJv } from './support/jv.js';

// TS -> Java: our encodings of every golden value, decoded by hessian-lite and checked field by field against the
// original Java value (tools/interop/java/hessian-golden.sh verify). Needs a JDK; fails loudly without one.
const golden = join(import.meta.dirname, 'golden');
const script = join(import.meta.dirname, '../../../tools/interop/java/hessian-golden.sh');
const manifest: { name: string; file: string; javaType: string; expected: unknown }[] = JSON.parse(
  readFileSync(join(golden, 'manifest.json'), 'utf8'),
);

function verifyInJava(label: string, build: (e: (typeof manifest)[number]) => unknown) {
  const out = mkdtempSync(join(tmpdir(), 'hessian2-reverse-'));
  try {
    for (const e of manifest) writeFileSync(join(out, e.file), encode(build(e)));
    const r = spawnSync('bash', [script, 'verify', out], { encoding: 'utf8', timeout: 240_000 });
    const lines = `${r.stdout ?? ''}`.split('\n');
    const summary = lines.find((l) => l.startsWith('verify:')) ?? `no summary; stderr: ${r.stderr} error: ${r.error}`;
    console.log(`GOLDEN ts->java (${label}): ${summary}`);
    expect(lines.filter((l) => l.startsWith('FAIL') || l.startsWith('MISSING'))).toEqual([]);
    expect(r.status).toBe(0);
    expect(summary).toContain(`pass=${manifest.length} `);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('TS encodings decoded by hessian-lite', () => {
  it('values built in TS from the expected JSON verify in Java', () => {
    verifyInJava('built from expected values', (e) => asJava(e.javaType, fromJv(e.expected)));
  }, 300_000);

  it('decoded values re-encoded by TS verify in Java', () => {
    verifyInJava('decoded and re-encoded', (e) =>
      asJava(e.javaType, decode(readFileSync(join(golden, e.file)), { exactDoubles: true })),
    );
  }, 300_000);
});
