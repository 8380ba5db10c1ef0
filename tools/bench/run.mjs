#!/usr/bin/env node
// `pnpm bench <name> [--quick] [...]`: runs tools/bench/<name>/index.mjs, which measures ours and its anchor in
// one process run and prints one RESULT line per case:
// RESULT bench=<name> case=<case> ours=<n> anchor=<peer> anchor_value=<n> unit=<ops/s|req/s|us> ratio=<ours/anchor>
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const names = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'index.mjs')))
  .map((d) => d.name);
if (!name || !names.includes(name)) {
  console.error(`usage: pnpm bench <${names.join('|')}> [--quick]`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ['--expose-gc', join(here, name, 'index.mjs'), ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
