import { createRequire } from 'node:module';
import { writeRepo } from './write-repo.js';

/** A generated JavaScript repository. */
export interface JavaScriptRepo {
  dir: string;
  /** Repository-relative paths of every tracked file, sorted. */
  files: string[];
  /** The rename its tests apply, and every file it must change, sorted. */
  rename: { from: string; to: string; changes: string[] };
  /** Checks the JavaScript with `tsc --checkJs` and runs the tests with `node --test`, from `dir`. */
  commands: { typecheck: string; test: string };
}

const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/**
 * Writes a JavaScript-only repository (`.js` ESM, `.mjs`, `.jsx`, `.cjs`, a jsconfig, no TypeScript file) where
 * `formatName`, declared in `src/format.js`, is used through named imports, a namespace, a re-export, an `import()`
 * of a literal path, and appears in strings, comments and a vendored copy under `vendor/` (which a rename leaves).
 * `dist/` holds a committed build output that a rename must leave too.
 * @example const repo = await generateJavaScriptRepo(dir);
 */
export async function generateJavaScriptRepo(dir: string, options: { git?: boolean } = {}): Promise<JavaScriptRepo> {
  const contents = new Map<string, string>([
    ['package.json', `${JSON.stringify({ name: 'js-app', private: true, type: 'module' }, null, 2)}\n`],
    [
      'jsconfig.json',
      `${JSON.stringify(
        {
          compilerOptions: {
            checkJs: true,
            noEmit: true,
            strict: true,
            target: 'ES2022',
            lib: ['ES2022'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            jsx: 'preserve',
            types: [],
          },
          include: ['src', 'test', 'types'],
        },
        null,
        2,
      )}\n`,
    ],
    [
      'src/format.js',
      lines(
        `// formatName: joins a first and a last name (see "formatName" in the docs).`,
        `/** @param {string} first @param {string} last @returns {string} */`,
        `export function formatName(first, last) {`,
        `  return \`\${first} \${last}\`;`,
        `}`,
      ),
    ],
    ['src/index.mjs', lines(`export { formatName } from './format.js';`, `export const kind = 'formatName';`)],
    [
      'src/card.jsx',
      lines(
        `import { formatName } from './format.js';`,
        ``,
        `/** @param {{ first: string, last: string }} person */`,
        `export const card = (person) => formatName(person.first, person.last);`,
      ),
    ],
    [
      'src/lazy.cjs',
      lines(
        `/** Loads the formatter on first use. @param {string} a @param {string} b */`,
        `async function lazyName(a, b) {`,
        `  const format = await import('./format.js');`,
        `  return format.formatName(a, b);`,
        `}`,
        `module.exports = { lazyName };`,
      ),
    ],
    [
      'test/format.test.mjs',
      lines(
        `import { test } from 'node:test';`,
        `import assert from 'node:assert/strict';`,
        `import * as api from '../src/index.mjs';`,
        ``,
        `test('formatName joins the names', () => {`,
        `  assert.equal(api.formatName('Ada', 'Lovelace'), 'Ada Lovelace');`,
        `  assert.equal(api.kind, 'formatName');`,
        `  return import('../src/lazy.cjs').then(async (lazy) => assert.equal(await lazy.default.lazyName('A', 'B'), 'A B'));`,
        `});`,
      ),
    ],
    [
      'types/node-test.d.ts',
      lines(
        `// Just enough of node:test and node:assert for this repository's checks: it has no node_modules.`,
        `declare module 'node:test' {`,
        `  export function test(name: string, fn: () => void | Promise<void>): Promise<void>;`,
        `}`,
        `declare module 'node:assert/strict' {`,
        `  const assert: { equal(actual: unknown, expected: unknown): void };`,
        `  export default assert;`,
        `}`,
      ),
    ],
    ['vendor/format-copy.js', lines(`export function formatName(a, b) {`, `  return a + b;`, `}`)],
    ['dist/format.js', lines(`export function formatName(first, last) {`, `  return first + ' ' + last;`, `}`)],
  ]);
  await writeRepo(dir, contents, options.git ?? true);
  const tsc = JSON.stringify(tscPath);
  return {
    dir,
    files: [...contents.keys()].sort(),
    rename: {
      from: 'formatName',
      to: 'fullName',
      changes: ['src/card.jsx', 'src/format.js', 'src/index.mjs', 'src/lazy.cjs', 'test/format.test.mjs'],
    },
    commands: { typecheck: `node ${tsc} -p jsconfig.json`, test: `node --test test/` },
  };
}
