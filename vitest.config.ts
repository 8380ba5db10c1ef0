import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// One config for every package. Tests import packages by name; the alias points them at the sources so a
// test run does not depend on a stale dist/.
export default defineConfig({
  resolve: {
    alias: {
      '@dubbo-ts/gost': src('gost'),
      '@dubbo-ts/hessian2': src('hessian2'),
      '@dubbo-ts/getty': src('getty'),
      '@dubbo-ts/dubbo': src('dubbo'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
