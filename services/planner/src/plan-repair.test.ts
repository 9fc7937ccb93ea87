import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '@baton/model';
import { RunSpec, Subtask } from '@baton/protocol';
import { RepairNeedsModelError } from './errors.js';
import { planRepair } from './plan-repair.js';
import { validatePlan } from './validate-plan.js';
import { createGitFixture, type GitFixture } from '../test/git-fixture.js';

let repo: GitFixture;
beforeAll(async () => {
  repo = await createGitFixture({
    'packages/app/package.json': '{}',
    'packages/app/src/one.ts': 'x\n',
    'packages/app/src/views/three.ts': 'x\n',
    'packages/core/src/index.ts': 'x\n',
  });
});
afterAll(async () => {
  await repo[Symbol.asyncDispose]();
});

// A model client that is configured; planRepair never calls it (the repair editors do, on the workers).
const model = createModelClient({
  baseURL: 'http://127.0.0.1:9',
  model: 'm',
  maxTokens: 10,
  maxRetries: 0,
  timeoutMs: 1000,
});
const spec = () =>
  RunSpec.parse({ v: 1, repo: { path: repo.dir }, recipe: { kind: 'rename', from: 'purry', to: 'curryDataFirst' } });
const failed = Subtask.parse({
  id: 'test-app',
  kind: 'tester',
  title: 'test packages/app',
  scope: { paths: ['packages/app'] },
  deps: ['rename-app-1'],
  commands: ['cd packages/app && npx tsc --noEmit'],
});
const failures = [
  { file: 'src/one.ts', line: 3, name: 'TS2305', message: "Module '@x/core' has no exported member 'purry'." },
  { file: `${'/tmp/worktree-9'}/packages/app/src/views/three.ts`, line: 7, message: 'Cannot find name purry.' },
  { name: 'app suite', message: 'expected 2, got 3' },
];
const diff = [
  'diff --git a/packages/app/src/one.ts b/packages/app/src/one.ts',
  '--- a/packages/app/src/one.ts',
  '+++ b/packages/app/src/one.ts',
  '@@ -1 +1 @@',
  '-purry',
  '+curryDataFirst',
  'diff --git a/packages/core/src/index.ts b/packages/core/src/index.ts',
  '--- a/packages/core/src/index.ts',
  '+++ b/packages/core/src/index.ts',
  '@@ -1 +1 @@',
  '-export { purry }',
  '+export { curryDataFirst }',
  '',
].join('\n');

describe('planRepair', () => {
  it('turns a failing tester into editors for the failing files and a re-test that depends on them', async () => {
    const plan = await planRepair({
      spec: spec(),
      failed,
      failures,
      diff,
      headCommit: repo.commit,
      existingIds: ['test-app', 'rename-app-1', 'test-app-fix-1'],
      model,
      repoPath: repo.dir,
      maxFilesPerEditor: 1,
    });
    expect(plan.subtasks.map((s) => [s.id, s.kind, s.scope.paths, s.deps, s.commands])).toEqual([
      ['test-app-fix-1-2', 'editor', ['packages/app/src/one.ts'], [], undefined],
      ['test-app-fix-2', 'editor', ['packages/app/src/views/three.ts'], [], undefined],
      [
        'test-app-retest',
        'tester',
        ['packages/app'],
        ['test-app-fix-1-2', 'test-app-fix-2'],
        ['cd packages/app && npx tsc --noEmit'],
      ],
    ]);
    const [one, three] = plan.subtasks;
    expect(one!.context).toContain(
      "packages/app/src/one.ts:3: TS2305: Module '@x/core' has no exported member 'purry'.",
    );
    expect(one!.context).toContain('+curryDataFirst');
    expect(one!.context).not.toContain('export { curryDataFirst }');
    expect(one!.context).toContain('app suite: expected 2, got 3');
    expect(three!.context).toContain('packages/app/src/views/three.ts:7: Cannot find name purry.');
    expect(validatePlan(plan).ok).toBe(true);
  });

  it('needs a model, and says which failures it could not repair', async () => {
    const run = planRepair({ spec: spec(), failed, failures, headCommit: repo.commit });
    await expect(run).rejects.toBeInstanceOf(RepairNeedsModelError);
    await expect(run).rejects.toThrow("src/one.ts:3: TS2305: Module '@x/core' has no exported member 'purry'.");
    await expect(run).rejects.toMatchObject({ subtaskId: 'test-app', failures });
  });

  it('plans one resolve editor for a merge conflict', async () => {
    const editor = Subtask.parse({
      id: 'fix-docs',
      kind: 'editor',
      title: 'fix docs',
      instructions: 'Update the docs.',
      scope: { paths: ['docs'] },
    });
    const plan = await planRepair({
      spec: spec(),
      failed: editor,
      conflict: 'CONFLICT (content): Merge conflict in docs/a.md',
      headCommit: repo.commit,
      existingIds: ['fix-docs'],
      model,
    });
    expect(plan.subtasks).toHaveLength(1);
    expect(plan.subtasks[0]).toMatchObject({ id: 'fix-docs-resolve', kind: 'editor', scope: { paths: ['docs'] } });
    expect(plan.subtasks[0]!.context).toContain('Merge conflict in docs/a.md');
    expect(plan.subtasks[0]!.instructions).toContain('Update the docs.');
  });
});
