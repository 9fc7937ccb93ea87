import { mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { writeRepo } from './write-repo.js';

/** What to generate: which package manager declares the workspace, and where the packages' manifests point. */
export interface WorkspaceRepoOptions {
  /** `npm`: root package.json `workspaces`; `pnpm`: `pnpm-workspace.yaml`. Default npm. */
  manager?: 'npm' | 'pnpm';
  /**
   * `dist`: `exports` conditions and `main`/`types` name `dist/` files, which do not exist until a build (as in a
   * fresh clone); `source`: they name the `.ts` sources. Default dist.
   */
  entry?: 'dist' | 'source';
  /** `git init -b main` and commit everything. Default true. */
  git?: boolean;
}

/** A generated workspace repository. */
export interface WorkspaceRepo {
  dir: string;
  /** Repository-relative paths of every tracked `.ts` file, sorted. */
  files: string[];
  /** The rename its tests apply, and every file it must change (uses through each import shape), sorted. */
  rename: { from: string; to: string; declaredIn: string; changes: string[] };
  /** Builds and typechecks every package with `tsc -b`, from `dir`; needs {@link linkWorkspacePackages} first. */
  commands: { typecheck: string };
}

const tscPath = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const lines = (...l: string[]): string => `${l.join('\n')}\n`;
/** The packages, each with the workspace packages it depends on. */
const PACKAGES = { core: [], util: ['core'], app: ['core', 'util'], cli: ['core', 'util'] } as const;

/**
 * Writes an npm- or pnpm-workspaces repository whose packages (`@acme/core`, `@acme/util`, `@acme/app`, `@acme/cli`)
 * import each other by package name, with project references and no `node_modules`: `oldName`, declared in core, is
 * used through the package name, a subpath export, `export *` chains (in core and across packages), a re-export
 * under another name, directory imports (`'.'`, `'..'`) and an `import()` of a literal path.
 * @example const repo = await generateWorkspaceRepo(dir); await linkWorkspacePackages(repo.dir);
 */
export async function generateWorkspaceRepo(dir: string, options: WorkspaceRepoOptions = {}): Promise<WorkspaceRepo> {
  const { manager = 'npm', entry = 'dist', git = true } = options;
  const contents = new Map<string, string>();
  const names = Object.keys(PACKAGES);
  contents.set(
    'package.json',
    json({ name: 'acme', private: true, type: 'module', ...(manager === 'npm' ? { workspaces: ['packages/*'] } : {}) }),
  );
  if (manager === 'pnpm') contents.set('pnpm-workspace.yaml', lines('packages:', "  - 'packages/*'"));
  contents.set('.gitignore', lines('node_modules/', 'dist/', '*.tsbuildinfo'));
  contents.set('tsconfig.json', json({ files: [], references: names.map((n) => ({ path: `packages/${n}` })) }));
  contents.set(
    'tsconfig.base.json',
    json({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        composite: true,
        declaration: true,
        skipLibCheck: true,
        types: [],
      },
    }),
  );
  for (const [name, deps] of Object.entries(PACKAGES)) {
    const dist = (file: string) =>
      entry === 'dist' ? `./dist/${file}` : `./src/${file.replace(/\.d\.ts$|\.js$/, '.ts')}`;
    const manifest =
      name === 'core'
        ? {
            exports: {
              '.': { types: dist('index.d.ts'), import: dist('index.js') },
              './feature': { types: dist('feature.d.ts'), import: dist('feature.js') },
            },
          }
        : { main: dist('index.js'), types: dist('index.d.ts') };
    contents.set(
      `packages/${name}/package.json`,
      json({
        name: `@acme/${name}`,
        version: '1.0.0',
        type: 'module',
        ...manifest,
        dependencies: Object.fromEntries(deps.map((d) => [`@acme/${d}`, manager === 'pnpm' ? 'workspace:*' : '*'])),
      }),
    );
    contents.set(
      `packages/${name}/tsconfig.json`,
      json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { rootDir: 'src', outDir: 'dist' },
        include: ['src'],
        references: deps.map((d) => ({ path: `../${d}` })),
      }),
    );
  }
  const sources: Record<string, string> = {
    'packages/core/src/text/old-name.ts': lines(
      `// oldName: the helper every package uses (see "oldName" in the docs).`,
      `/** Joins words with a separator. */`,
      `export function oldName(words: readonly string[], separator = ' '): string {`,
      `  return words.join(separator);`,
      `}`,
    ),
    'packages/core/src/text/index.ts': lines(`export * from './old-name';`),
    'packages/core/src/index.ts': lines(
      `export * from './text';`,
      `export { oldName as joinWords } from './text/old-name';`,
      `export const version = '1.0.0';`,
    ),
    'packages/core/src/feature.ts': lines(
      `import { oldName } from '.';`,
      ``,
      `export const shout = (words: readonly string[]): string => oldName(words).toUpperCase();`,
    ),
    'packages/core/src/internal/dashed.ts': lines(
      `import { oldName } from '..';`,
      ``,
      `export const dashed = (words: readonly string[]): string => oldName(words, '-');`,
    ),
    'packages/util/src/index.ts': lines(`export * from '@acme/core';`, `export const utilName = 'util';`),
    'packages/app/src/index.ts': lines(
      `import { joinWords, oldName } from '@acme/core';`,
      `import * as core from '@acme/core';`,
      ``,
      `// Not a use: "oldName" as text, and a parameter of the same name.`,
      `export const label = 'oldName';`,
      `export function echo(oldName: string): string {`,
      `  return oldName;`,
      `}`,
      `export const all = oldName(['a']) + joinWords(['b']) + core.oldName(['c']);`,
    ),
    'packages/app/src/lazy.ts': lines(`export { oldName } from '@acme/util';`),
    'packages/app/src/dynamic.ts': lines(
      `export async function load(): Promise<string> {`,
      `  const lazy = await import('./lazy');`,
      `  return lazy.oldName(['x']);`,
      `}`,
    ),
    'packages/cli/src/index.ts': lines(
      `import { shout } from '@acme/core/feature';`,
      `import { oldName } from '@acme/util';`,
      ``,
      `export const out = shout(['a']) + oldName(['b'], '+');`,
    ),
  };
  for (const [file, text] of Object.entries(sources)) contents.set(file, text);
  await writeRepo(dir, contents, git);
  const changes = [
    'packages/app/src/dynamic.ts',
    'packages/app/src/index.ts',
    'packages/app/src/lazy.ts',
    'packages/cli/src/index.ts',
    'packages/core/src/feature.ts',
    'packages/core/src/index.ts',
    'packages/core/src/internal/dashed.ts',
    'packages/core/src/text/old-name.ts',
  ];
  return {
    dir,
    files: [...contents.keys()].filter((f) => f.endsWith('.ts')).sort(),
    rename: { from: 'oldName', to: 'newName', declaredIn: 'packages/core/src/text/old-name.ts', changes },
    commands: { typecheck: `node ${JSON.stringify(tscPath)} -b` },
  };
}

/**
 * Links every `packages/<name>` of a generated workspace repository into `node_modules/@acme/<name>`, as `npm install`
 * (or pnpm) does for workspace packages, so the repository's own `tsc -b` resolves them; nothing is downloaded.
 */
export async function linkWorkspacePackages(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'node_modules', '@acme'), { recursive: true });
  for (const name of Object.keys(PACKAGES))
    await symlink(path.join('..', '..', 'packages', name), path.join(dir, 'node_modules', '@acme', name), 'dir');
}
