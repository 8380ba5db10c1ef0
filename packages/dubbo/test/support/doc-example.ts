// Keeps a docs page's example and the test that runs it identical: the page's ```ts block under "## Example"
// must equal the test's lines between `// DOC:begin` and `// DOC:end`, line by line (indentation aside).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The lines without their indentation (the page and the test indent the code differently). */
function dedent(lines: string[]): string {
  return lines
    .map((l) => l.trim())
    .join('\n')
    .trim();
}

/** The example of `docs/<page>` and the DOC block of `testFile` (a test's `import.meta.url`). */
export function docExample(page: string, testFile: string): { doc: string; test: string } {
  const md = readFileSync(fileURLToPath(new URL(`../../../../docs/${page}`, import.meta.url)), 'utf8');
  const after = md.slice(md.indexOf('## Example'));
  const m = /```ts\n([\s\S]*?)\n```/.exec(after);
  const src = readFileSync(fileURLToPath(testFile), 'utf8').split('\n');
  const begin = src.findIndex((l) => l.includes('// DOC:begin'));
  const end = src.findIndex((l) => l.includes('// DOC:end'));
  return { doc: m === null ? '' : dedent(m[1]!.split('\n')), test: dedent(src.slice(begin + 1, end)) };
}
