import { corePackageFiles } from './sample-target.js';

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

/** The sources of pkg-00, which declares `purry` and re-exports it, keyed by repository path. */
export function renderCorePackage(): Map<string, string> {
  return new Map([
    [
      corePackageFiles.math,
      lines(
        `/** A binary operation on numbers. */`,
        `export type Binary = (a: number, b: number) => number;`,
        ``,
        `export const add: Binary = (a, b) => a + b;`,
        `export const mul: Binary = (a, b) => a * b;`,
      ),
    ],
    [
      corePackageFiles.purry,
      lines(
        `// purry: the data-first helper every package uses (see "purry" in the docs).`,
        `import type { Binary } from '../math.js';`,
        ``,
        `/** Applies \`fn\` data-first to both arguments (missing ones count as 0). */`,
        `export function purry(fn: Binary, args: readonly number[]): number {`,
        `  const [a = 0, b = 0] = args;`,
        `  return fn(a, b);`,
        `}`,
        ``,
        `/** The data-last form of \`fn\`: purry with \`b\` fixed. */`,
        `export function purryLast(fn: Binary, b: number): (a: number) => number {`,
        `  return (a) => purry(fn, [a, b]);`,
        `}`,
      ),
    ],
    [
      corePackageFiles.alias,
      lines(
        `// The old name of purry, kept for callers that still say purryAgain.`,
        `export { purry as purryAgain } from './purry.js';`,
      ),
    ],
    [
      corePackageFiles.index,
      lines(
        `// Public entry of pkg-00.`,
        `export { purry, purryLast } from './internal/purry.js';`,
        `export { purryAgain } from './internal/alias.js';`,
        `export { add, mul, type Binary } from './math.js';`,
      ),
    ],
    [
      corePackageFiles.test,
      lines(
        `import { test } from 'node:test';`,
        `import assert from 'node:assert/strict';`,
        `import { add, mul, purry, purryAgain, purryLast } from '../src/index.js';`,
        ``,
        `test('pkg-00: purry applies data-first', () => {`,
        `  assert.equal(purry(add, [2, 3]), 5);`,
        `  assert.equal(purry(mul, [4]), 0);`,
        `});`,
        ``,
        `test('pkg-00: purryLast is data-last', () => {`,
        `  assert.equal(purryLast(mul, 3)(4), 12);`,
        `});`,
        ``,
        `test('pkg-00: purryAgain is purry under its old name', () => {`,
        `  assert.equal(purryAgain, purry);`,
        `  assert.equal("purry".length, 5);`,
        `});`,
      ),
    ],
  ]);
}

/** Root files: package.json, tsconfig.json, .gitignore and the ambient types for node:test (there is no node_modules). */
export function renderRootFiles(packages: number): Map<string, string> {
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      types: [],
      rootDir: '.',
      outDir: 'build',
      skipLibCheck: true,
      noEmitOnError: true,
    },
    include: ['packages/**/*.ts', 'types/**/*.d.ts'],
  };
  const files = new Map<string, string>([
    ['package.json', `${JSON.stringify({ name: 'sample-monorepo', private: true, type: 'module' }, null, 2)}\n`],
    ['tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`],
    ['.gitignore', 'build/\nnode_modules/\n'],
    [
      'types/node-test.d.ts',
      lines(
        `// Just enough of node:test and node:assert for this repository's tests: it has no node_modules.`,
        `declare module 'node:test' {`,
        `  export function test(name: string, fn: () => void | Promise<void>): Promise<void>;`,
        `}`,
        `declare module 'node:assert/strict' {`,
        `  interface StrictAssert {`,
        `    equal(actual: unknown, expected: unknown, message?: string): void;`,
        `    deepEqual(actual: unknown, expected: unknown, message?: string): void;`,
        `    ok(value: unknown, message?: string): void;`,
        `  }`,
        `  const assert: StrictAssert;`,
        `  export default assert;`,
        `}`,
      ),
    ],
  ]);
  for (let p = 0; p < packages; p++) {
    const name = packageName(p);
    files.set(
      `packages/${name}/package.json`,
      `${JSON.stringify({ name: `@sample/${name}`, private: true, type: 'module' }, null, 2)}\n`,
    );
  }
  return files;
}

/** The folder name of package number `index` (`pkg-00`, `pkg-01`, …). */
export function packageName(index: number): string {
  return `pkg-${String(index).padStart(2, '0')}`;
}
