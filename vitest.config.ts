import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}.ts`, import.meta.url));

// One config for every package. Tests import packages by name; the alias points them at the sources so a
// test run does not depend on a stale dist/.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@dubbo-ts\/gost$/, replacement: src('gost') },
      { find: /^@dubbo-ts\/hessian2$/, replacement: src('hessian2') },
      { find: /^@dubbo-ts\/getty$/, replacement: src('getty') },
      { find: /^@dubbo-ts\/dubbo$/, replacement: src('dubbo') },
      { find: /^@dubbo-ts\/dubbo\/extension$/, replacement: src('dubbo', 'extension') },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
