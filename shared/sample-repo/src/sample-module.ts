import path from 'node:path';
import { corePackageFiles } from './sample-target.js';

/** The shapes a generated module takes; each exercises one way of referring to `purry`. */
export const ModuleKind = {
  direct: 'direct',
  index: 'index',
  aliased: 'aliased',
  namespace: 'namespace',
  shorthand: 'shorthand',
  shadow: 'shadow',
  reexport: 'reexport',
  plain: 'plain',
} as const;
/** A shape of generated module. */
export type ModuleKind = (typeof ModuleKind)[keyof typeof ModuleKind];

/** A rendered module and the assertions its package's test makes about it (`ns` is its namespace import). */
export interface SampleModule {
  source: string;
  /** Assertion statements, with `NS` standing for the module's namespace import. */
  checks: string[];
}

/** The relative ESM specifier (with `.js`) from one repository file to another. */
export function importSpecifier(fromFile: string, toFile: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.ts$/, '.js');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Renders module `name` of kind `kind` at `file`, whose `run(x)` adds or multiplies by `k`. */
export function renderModule(kind: ModuleKind, file: string, name: string, k: number): SampleModule {
  const purryPath = importSpecifier(file, corePackageFiles.purry);
  const indexPath = importSpecifier(file, corePackageFiles.index);
  const mathPath = importSpecifier(file, corePackageFiles.math);
  const lines = (...l: string[]): string => `${l.join('\n')}\n`;
  switch (kind) {
    case ModuleKind.direct:
      return {
        source: lines(
          `// ${name} (direct): calls purry from pkg-00's internal module.`,
          `import { purry } from '${purryPath}';`,
          `import { add } from '${mathPath}';`,
          ``,
          `/** Adds ${k} to \`x\` through purry. */`,
          `export function run(x: number): number {`,
          `  return purry(add, [x, ${k}]);`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 + k});`],
      };
    case ModuleKind.index:
      return {
        source: lines(
          `// ${name} (index): purry and purryLast through pkg-00's public entry.`,
          `import { add, purry, purryLast } from '${indexPath}';`,
          ``,
          `export const label = "purry";`,
          ``,
          `/** Adds ${k} to \`x\`, data-last, plus purry of nothing. */`,
          `export function run(x: number): number {`,
          `  const addK = purryLast(add, ${k});`,
          `  return addK(x) + purry(add, []);`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 + k});`, `assert.equal(NS.label, 'purry');`],
      };
    case ModuleKind.aliased:
      return {
        source: lines(
          `// ${name} (aliased): purry imported as p.`,
          `import { purry as p } from '${indexPath}';`,
          `import { mul } from '${mathPath}';`,
          ``,
          `/** Multiplies \`x\` by ${k}. */`,
          `export function run(x: number): number {`,
          `  return p(mul, [x, ${k}]);`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 * k});`],
      };
    case ModuleKind.namespace:
      return {
        source: lines(
          `// ${name} (namespace): pkg-00 as a namespace.`,
          `import * as core from '${indexPath}';`,
          ``,
          `export function run(x: number): number {`,
          `  return core.purry(core.add, [x, ${k}]); /* core.purry, not a local purry */`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 + k});`],
      };
    case ModuleKind.shorthand:
      return {
        source: lines(
          `// ${name} (shorthand): the property name purry is read by callers as ops.purry.`,
          `import { purry } from '${purryPath}';`,
          `import { add } from '${mathPath}';`,
          ``,
          `export const ops = { purry, k: ${k} };`,
          ``,
          `export function run(x: number): number {`,
          `  return ops.purry(add, [x, ops.k]);`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 + k});`, `assert.equal(typeof NS.ops.purry, 'function');`],
      };
    case ModuleKind.shadow:
      return {
        source: lines(
          `// ${name} (shadow): a parameter and a local named purry that are not pkg-00's purry.`,
          `import { purry } from '${indexPath}';`,
          `import { add } from '${mathPath}';`,
          ``,
          `function scale(purry: number, by: number): number {`,
          `  return purry * by;`,
          `}`,
          ``,
          `export function run(x: number): number {`,
          `  const first = purry(add, [x, ${k}]);`,
          `  {`,
          `    const purry = scale(first, 1);`,
          `    return purry + 0;`,
          `  }`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 + k});`],
      };
    case ModuleKind.reexport:
      return {
        source: lines(
          `// ${name} (reexport): purry re-exported under another name.`,
          `import { purry } from '${purryPath}';`,
          `import { mul } from '${mathPath}';`,
          `export { purry as purryAgain } from '${indexPath}';`,
          ``,
          `export function run(x: number): number {`,
          `  return purry(mul, [x, ${k}]);`,
          `}`,
        ),
        checks: [`assert.equal(NS.run(2), ${2 * k});`, `assert.equal(NS.purryAgain(add, [1, 1]), 2);`],
      };
    case ModuleKind.plain:
      return {
        source: lines(
          `// ${name} (plain): no reference to pkg-00, only the word purry in text.`,
          `const purry = ${k};`,
          ``,
          `/** Says "call purry later": a string, not a reference. */`,
          `export const note = "call purry later";`,
          `export const template = \`purry\`;`,
          ``,
          `export function run(x: number): number {`,
          `  return x * purry;`,
          `}`,
        ),
        checks: [
          `assert.equal(NS.run(2), ${2 * k});`,
          `assert.equal(NS.note, 'call purry later');`,
          `assert.equal(NS.template, 'purry');`,
        ],
      };
  }
}
