import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGit } from '@baton/git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleRepo, sampleRenameTarget } from '@baton/sample-repo';
import { RunSpec, type RunSpecInput } from '@baton/protocol';
import { EmptyRecipeError } from './errors.js';
import { planRecipe } from './plan-recipe.js';
import { validatePlan } from './validate-plan.js';
import { listRepoFiles } from './repo-files.js';
import { createGitFixture, type GitFixture } from '../test/git-fixture.js';

let fixture: GitFixture;
let repo: string;
let commit: string;
const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
  'scripts/tool.ts': 'export const purry = 1;\n',
  'packages/core/package.json': JSON.stringify({
    name: '@x/core',
    scripts: { typecheck: 'tsc --noEmit', test: 'node --test' },
  }),
  'packages/core/src/purry.ts': 'export function purry() {}\n',
  'packages/core/src/index.ts': "export { purry } from './purry.js';\n",
  'packages/app/package.json': JSON.stringify({
    name: '@x/app',
    dependencies: { '@x/core': '*' },
    scripts: { test: 'node --test' },
  }),
  'packages/app/src/one.ts': "import { purry } from '@x/core';\n",
  'packages/app/src/two.ts': "import { purry } from '@x/core';\n",
  'packages/app/src/views/three.ts': "import { purry } from '@x/core';\n",
  'packages/app/src/views/style.css': 'a {}\n',
  'packages/docs/package.json': JSON.stringify({ name: '@x/docs' }),
  'packages/docs/readme.md': '# docs\n',
};
const spec = (input: Partial<RunSpecInput>): RunSpec => RunSpec.parse({ v: 1, repo: { path: repo }, ...input });

beforeAll(async () => {
  fixture = await createGitFixture(files);
  ({ dir: repo, commit } = fixture);
});
afterAll(async () => {
  await fixture[Symbol.asyncDispose]();
});

describe('planRecipe', () => {
  it('shards a rename by package and folder, with testers fanning in over workspace dependencies', async () => {
    const plan = await planRecipe({
      spec: spec({ recipe: { kind: 'rename', from: 'purry', to: 'curryDataFirst' } }),
      repoPath: repo,
      baseCommit: commit,
      shardLimits: { maxFiles: 2 },
    });
    const view = plan.subtasks.map((s) => ({
      id: s.id,
      kind: s.kind,
      files: s.program?.files,
      deps: s.deps,
      commands: s.commands,
    }));
    expect(view).toEqual([
      { id: 'rename-root-1', kind: 'editor', files: ['scripts/tool.ts'], deps: [], commands: undefined },
      {
        id: 'rename-app-1',
        kind: 'editor',
        files: ['packages/app/src/one.ts', 'packages/app/src/two.ts'],
        deps: [],
        commands: undefined,
      },
      { id: 'rename-app-2', kind: 'editor', files: ['packages/app/src/views/three.ts'], deps: [], commands: undefined },
      {
        id: 'rename-core-1',
        kind: 'editor',
        files: ['packages/core/src/index.ts', 'packages/core/src/purry.ts'],
        deps: [],
        commands: undefined,
      },
      {
        id: 'test-root',
        kind: 'tester',
        files: undefined,
        deps: ['rename-root-1', 'rename-app-1', 'rename-app-2', 'rename-core-1'],
        commands: undefined,
      },
      {
        id: 'test-app',
        kind: 'tester',
        files: undefined,
        deps: ['rename-app-1', 'rename-app-2', 'rename-core-1'],
        commands: ['cd packages/app && npm test'],
      },
      {
        id: 'test-core',
        kind: 'tester',
        files: undefined,
        deps: ['rename-core-1'],
        commands: ['cd packages/core && npm run typecheck', 'cd packages/core && npm test'],
      },
    ]);
    expect(plan.subtasks[1]!.scope).toEqual({ paths: ['packages/app/src/one.ts', 'packages/app/src/two.ts'] });
    expect(plan.subtasks[1]!.program?.recipe).toMatchObject({ kind: 'rename', from: 'purry', to: 'curryDataFirst' });
    const repoFiles = (await listRepoFiles(repo, commit)).map((f) => f.path);
    expect(validatePlan(plan, { repoFiles }).ok).toBe(true);
  });

  it('runs the given test commands once, at the root, after every editor', async () => {
    const plan = await planRecipe({
      spec: spec({
        recipe: { kind: 'codemod', glob: 'packages/core/**/*.ts', command: 'npx fix {files}' },
        testCommands: ['npx tsc --noEmit'],
      }),
      repoPath: repo,
      baseCommit: commit,
    });
    expect(plan.subtasks.map((s) => [s.id, s.deps, s.commands])).toEqual([
      ['codemod-core-1', [], undefined],
      ['test-root', ['codemod-core-1'], ['npx tsc --noEmit']],
    ]);
  });

  it('plans one shell per matching package, then its tester', async () => {
    const plan = await planRecipe({
      spec: spec({ recipe: { kind: 'command', command: 'npx prettier --write .', packages: 'packages/{app,docs}' } }),
      repoPath: repo,
      baseCommit: commit,
    });
    expect(plan.subtasks.map((s) => [s.id, s.kind, s.deps, s.commands, s.scope.paths])).toEqual([
      ['cmd-app', 'shell', [], ['cd packages/app && npx prettier --write .'], ['packages/app']],
      ['cmd-docs', 'shell', [], ['cd packages/docs && npx prettier --write .'], ['packages/docs']],
      ['test-root', 'tester', ['cmd-app', 'cmd-docs'], undefined, ['**']],
      ['test-app', 'tester', ['cmd-app'], ['cd packages/app && npm test'], ['packages/app']],
    ]);
  });

  it('names the glob that matches nothing', async () => {
    const run = planRecipe({
      spec: spec({ recipe: { kind: 'rename', from: 'a', to: 'b', glob: 'nowhere/**/*.ts' } }),
      repoPath: repo,
      baseCommit: commit,
    });
    await expect(run).rejects.toBeInstanceOf(EmptyRecipeError);
    await expect(run).rejects.toThrow('the recipe\'s glob "nowhere/**/*.ts" matches no files at the base commit');
    await expect(
      planRecipe({
        spec: spec({ recipe: { kind: 'command', command: 'x', packages: 'apps/*' } }),
        repoPath: repo,
        baseCommit: commit,
      }),
    ).rejects.toThrow('packages pattern "apps/*" matches no packages');
  });
});

describe('planRecipe on a generated sample repository', () => {
  it('shards the demo rename by package and ends with one root tester over every shard', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'baton-planner-sample-'));
    try {
      const sample = await generateSampleRepo(dir, { files: 80, packages: 3 });
      const head = (await runGit(dir, ['rev-parse', 'HEAD'])).stdout.trim();
      const { from, to, declaredIn } = sampleRenameTarget;
      const plan = await planRecipe({
        spec: RunSpec.parse({
          v: 1,
          repo: { path: dir },
          recipe: { kind: 'rename', from, to, declaredIn },
          testCommands: [sample.commands.typecheck],
        }),
        repoPath: dir,
        baseCommit: head,
        shardLimits: { maxFiles: 20 },
      });
      const editors = plan.subtasks.filter((s) => s.kind === 'editor');
      // the default glob also takes the repository's ambient .d.ts, outside any package
      expect(editors.flatMap((s) => s.program!.files).sort()).toEqual([...sample.files, 'types/node-test.d.ts'].sort());
      expect(editors.every((s) => s.program!.files.length <= 20 && /^rename-(pkg-0\d|root)-\d+$/.test(s.id))).toBe(
        true,
      );
      expect(plan.subtasks.filter((s) => s.kind === 'tester')).toEqual([
        expect.objectContaining({
          id: 'test-root',
          deps: editors.map((s) => s.id),
          commands: [sample.commands.typecheck],
        }),
      ]);
      expect(validatePlan(plan, { repoFiles: (await listRepoFiles(dir, head)).map((f) => f.path) }).ok).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('planRecipe defaults', () => {
  it('takes TypeScript and JavaScript with no glob, tracked files outside generated and vendored folders; a glob narrows', async () => {
    await using js = await createGitFixture({
      'package.json': JSON.stringify({ name: 'js-app', type: 'module' }),
      'src/a.js': 'export const purry = 1;\n',
      'src/b.mjs': "import { purry } from './a.js';\n",
      'src/c.cjs': 'module.exports = {};\n',
      'src/d.jsx': 'export const d = 1;\n',
      'src/e.ts': 'export const e = 1;\n',
      'src/f.tsx': 'export const f = 1;\n',
      'src/notes.md': '# purry\n',
      'dist/a.js': 'export const purry = 1;\n',
      'build/a.js': 'export const purry = 1;\n',
      'coverage/lcov.js': '\n',
      'vendor/lib.js': 'export const purry = 2;\n',
      'packages/x/node_modules/dep/index.js': '\n',
      'packages/x/src/x.cts': 'export const x = 1;\n',
    });
    const files = async (glob?: string) => {
      const plan = await planRecipe({
        spec: RunSpec.parse({
          v: 1,
          repo: { path: js.dir },
          recipe: { kind: 'rename', from: 'purry', to: 'curry', ...(glob === undefined ? {} : { glob }) },
          testCommands: [],
        }),
        repoPath: js.dir,
        baseCommit: js.commit,
      });
      return plan.subtasks.flatMap((s) => s.program?.files ?? []).sort();
    };
    expect(await files()).toEqual([
      'packages/x/src/x.cts',
      'src/a.js',
      'src/b.mjs',
      'src/c.cjs',
      'src/d.jsx',
      'src/e.ts',
      'src/f.tsx',
    ]);
    expect(await files('src/*.{js,mjs}')).toEqual(['src/a.js', 'src/b.mjs']);
    expect(await files('**/*.js')).toEqual(['src/a.js']);
    // A glob that names a skipped folder takes it.
    expect(await files('vendor/**/*.js')).toEqual(['vendor/lib.js']);
  });
});
