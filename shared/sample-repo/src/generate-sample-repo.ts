import { createRequire } from 'node:module';
import path from 'node:path';
import { packageName, renderCorePackage, renderRootFiles } from './core-package.js';
import { SampleRepoOptionsError } from './errors.js';
import { ModuleKind, importSpecifier, renderModule, type SampleModule } from './sample-module.js';
import { corePackageFiles } from './sample-target.js';
import { seededRandom, type SeededRandom } from './seeded-random.js';
import { writeRepo } from './write-repo.js';

/** What to generate. */
export interface SampleRepoOptions {
  /** Number of `.ts` files under `packages/` (sources and tests together). */
  files: number;
  /** Number of packages, pkg-00 (which declares `purry`) included; at least 2. */
  packages: number;
  /** Seed of the layout and constants; the same seed gives the same repository. Default 1. */
  seed?: number;
  /** `git init -b main` and commit everything. Default true. */
  git?: boolean;
}

/** A generated repository. */
export interface SampleRepo {
  dir: string;
  /** Repository-relative paths of every `.ts` file under `packages/`, sorted. */
  files: string[];
  /** Shell commands, run from `dir`, that must pass on the fresh repository. */
  commands: { typecheck: string; test: string };
}

const CORE_FILES = Object.keys(corePackageFiles).length;
const FOLDER_NAMES = ['alpha', 'beta', 'gamma', 'delta', 'lib', 'ops', 'model', 'view', 'data', 'flow'] as const;
const ALL_KINDS = Object.values(ModuleKind);
// Direct and index imports are the common case in real code; the odd shapes are rarer.
const WEIGHTED_KINDS: readonly ModuleKind[] = [
  ...ALL_KINDS,
  ModuleKind.direct,
  ModuleKind.direct,
  ModuleKind.index,
  ModuleKind.index,
];
const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/**
 * Writes a TypeScript monorepo-like repository into `dir` (created if missing) whose packages use `purry` from pkg-00
 * in every way a rename has to handle, with tests that check behaviour and no dependencies outside itself.
 * @example const repo = await generateSampleRepo(dir, { files: 300, packages: 6 });
 */
export async function generateSampleRepo(dir: string, options: SampleRepoOptions): Promise<SampleRepo> {
  const { files: fileCount, packages, seed = 1, git = true } = options;
  if (!Number.isInteger(packages) || packages < 2)
    throw new SampleRepoOptionsError('packages', packages, 'need pkg-00 and at least one user');
  const modules = fileCount - CORE_FILES - (packages - 1);
  if (!Number.isInteger(fileCount) || modules < packages - 1) {
    throw new SampleRepoOptionsError(
      'files',
      fileCount,
      `need at least ${CORE_FILES + 2 * (packages - 1)} for ${packages} packages`,
    );
  }
  const rng = seededRandom(seed);
  const contents = new Map<string, string>([...renderRootFiles(packages), ...renderCorePackage()]);
  const testFiles = [path.posix.join('build', corePackageFiles.test.replace(/\.ts$/, '.js'))];

  let moduleId = 0;
  for (let p = 1; p < packages; p++) {
    const name = packageName(p);
    const count = Math.floor(modules / (packages - 1)) + (p - 1 < modules % (packages - 1) ? 1 : 0);
    const folders = packageFolders(rng, Math.max(1, Math.ceil(count / 25)));
    const testFile = `packages/${name}/test/${name}.test.ts`;
    const imports: string[] = [];
    const tests: string[] = [];
    for (let j = 0; j < count; j++) {
      const moduleName = `m-${String(moduleId++).padStart(5, '0')}`;
      const file = `packages/${name}/src/${rng.pick(folders)}/${moduleName}.ts`;
      // The first modules cover every kind, so even a small repository has each shape.
      const kind = p === 1 && j < ALL_KINDS.length ? (ALL_KINDS[j] ?? ModuleKind.direct) : rng.pick(WEIGHTED_KINDS);
      const module: SampleModule = renderModule(kind, file, moduleName, rng.int(1, 9));
      contents.set(file, module.source);
      const ns = moduleName.replace('-', '');
      imports.push(`import * as ${ns} from '${importSpecifier(testFile, file)}';`);
      tests.push(
        `test('${name} ${moduleName} (${kind})', () => {`,
        ...module.checks.map((c) => `  ${c.replaceAll('NS.', `${ns}.`)}`),
        `});`,
        ``,
      );
    }
    contents.set(
      testFile,
      [
        `import { test } from 'node:test';`,
        `import assert from 'node:assert/strict';`,
        `import { add } from '${importSpecifier(testFile, corePackageFiles.index)}';`,
        ...imports,
        ``,
        `assert.equal(add(1, 1), 2);`,
        ``,
        ...tests,
      ].join('\n'),
    );
    testFiles.push(path.posix.join('build', testFile.replace(/\.ts$/, '.js')));
  }

  await writeRepo(dir, contents, git);
  const tsc = JSON.stringify(tscPath);
  return {
    dir,
    files: [...contents.keys()].filter((f) => f.startsWith('packages/') && f.endsWith('.ts')).sort(),
    commands: {
      typecheck: `node ${tsc} -p tsconfig.json --noEmit`,
      test: `node ${tsc} -p tsconfig.json && node --test ${testFiles.join(' ')}`,
    },
  };
}

function packageFolders(rng: SeededRandom, count: number): string[] {
  const folders = new Set<string>();
  while (folders.size < count) {
    const depth = rng.int(1, 3);
    const parts = Array.from({ length: depth }, () => rng.pick(FOLDER_NAMES));
    folders.add(`${parts.join('/')}${folders.size >= FOLDER_NAMES.length ? `-${folders.size}` : ''}`);
  }
  return [...folders];
}
