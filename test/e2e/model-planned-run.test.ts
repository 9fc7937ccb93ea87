import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSpec } from '@baton/protocol';
import type { ScriptTurn, ScriptedRequest } from '@baton/scripted-api';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { batonMerges, createGitRepo, git, showFile } from './git-repo-fixture.js';
import {
  scriptedEditor,
  isPlannerRequest,
  lastToolResults,
  submitPlan,
  toolResultText,
  type ScriptedEdit,
} from './scripted-agents.js';
import { recordTransitions } from './subtask-transitions.js';

const TEST_COMMAND = 'node --test --test-reporter=tap test/ab.test.mjs';

const files = {
  'src/a.mjs': "export function a() {\n  return 'a-old';\n}\n",
  'src/b.mjs': "export function b() {\n  return 'b-old';\n}\n",
  'test/ab.test.mjs': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { a } from '../src/a.mjs';",
    "import { b } from '../src/b.mjs';",
    "test('a is new', () => assert.equal(a(), 'a-new'));",
    "test('b is new', () => assert.equal(b(), 'b-new'));",
    '',
  ].join('\n'),
};

const edits: Record<string, ScriptedEdit[]> = {
  'edit-a': [{ path: 'src/a.mjs', oldStr: "return 'a-old';", newStr: "return 'a-new';" }],
  'edit-b': [{ path: 'src/b.mjs', oldStr: "return 'b-old';", newStr: "return 'b-new';" }],
};

const editor = (id: string, path: string, deps: string[]) => ({
  id,
  kind: 'editor',
  title: `make ${path} return the new value`,
  instructions: `Change the string ${path} returns from old to new.`,
  scope: { paths: [path] },
  deps,
});
const tester = {
  id: 'test-ab',
  kind: 'tester',
  title: 'run the tests',
  instructions: 'Run the tests.',
  scope: { paths: ['test'] },
  deps: ['edit-a', 'edit-b'],
  commands: [TEST_COMMAND],
};
// First answer: a cycle (edit-a <-> edit-b), which the planner must reject and send back.
const cyclicPlan = {
  summary: 'two edits, then the tests',
  subtasks: [editor('edit-a', 'src/a.mjs', ['edit-b']), editor('edit-b', 'src/b.mjs', ['edit-a']), tester],
};
const fanInPlan = {
  summary: 'two edits, then the tests',
  subtasks: [editor('edit-a', 'src/a.mjs', []), editor('edit-b', 'src/b.mjs', []), tester],
};

describe('model-planned run: invalid plan repaired by the model, fan-in DAG, two editors, one tester', () => {
  let dir: string;
  let stack: EmbeddedStack;
  const problems: string[] = [];
  let plannerCalls = 0;

  const script = (request: ScriptedRequest): ScriptTurn | undefined => {
    if (isPlannerRequest(request)) return ++plannerCalls === 1 ? submitPlan(cyclicPlan) : submitPlan(fanInPlan);
    return scriptedEditor(request, edits, problems);
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-plan-'));
    stack = await startEmbeddedStack({ dir, script });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('plans through a rejected plan, merges both edits once each, and tests after both merged', async () => {
    const repo = join(dir, 'repo');
    const userHead = await createGitRepo(repo, files);
    const log = recordTransitions(stack.coordinator.store.bucket);
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Make a() and b() return their new values.',
      testCommands: [TEST_COMMAND],
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);
    log.stop();

    expect(problems).toEqual([]);
    expect(run.status, run.detail).toBe('succeeded');
    expect(branch).toBe(`baton/${runId}`);

    // The planner sent the validation errors back and the model's second plan was taken.
    const plannerRequests = stack.api!.requests.filter(isPlannerRequest);
    expect(plannerRequests).toHaveLength(2);
    const rejection = lastToolResults(plannerRequests[1]!);
    expect(rejection).toHaveLength(1);
    expect(rejection[0]!.is_error).toBe(true);
    expect(toolResultText(rejection[0]!)).toContain('dependency cycle');
    expect(run.plan?.subtasks.map((s) => [s.id, s.kind, [...s.deps].sort()])).toEqual([
      ['edit-a', 'editor', []],
      ['edit-b', 'editor', []],
      ['test-ab', 'tester', ['edit-a', 'edit-b']],
    ]);

    // Each edit landed once, as its own merge commit with Baton trailers.
    expect(run.subtasks['edit-a']).toMatchObject({ status: 'merged', attempt: 1, conflicts: 0, filesChanged: 1 });
    expect(run.subtasks['edit-b']).toMatchObject({ status: 'merged', attempt: 1, conflicts: 0, filesChanged: 1 });
    expect(run.subtasks['test-ab']).toMatchObject({ status: 'succeeded', attempt: 1 });
    const merges = await batonMerges(repo, userHead, branch);
    expect(merges.map((m) => m.subtaskId).sort()).toEqual(['edit-a', 'edit-b']);
    expect(merges.map((m) => m.attempt)).toEqual([1, 1]);
    expect(new Set(merges.map((m) => m.commit))).toEqual(
      new Set([run.subtasks['edit-a']!.mergedCommit, run.subtasks['edit-b']!.mergedCommit]),
    );
    expect(await git(repo, 'rev-parse', branch)).toBe(merges.at(-1)!.commit);
    expect(await showFile(repo, branch, 'src/a.mjs')).toContain("'a-new'");
    expect(await showFile(repo, branch, 'src/b.mjs')).toContain("'b-new'");

    // Fan-in: the tester was dispatched only after both edits had merged.
    const testerDispatched = log.indexOf('test-ab', 'dispatched');
    expect(testerDispatched).toBeGreaterThan(-1);
    expect(log.indexOf('edit-a', 'merged')).toBeGreaterThan(-1);
    expect(log.indexOf('edit-b', 'merged')).toBeGreaterThan(-1);
    expect(testerDispatched).toBeGreaterThan(log.indexOf('edit-a', 'merged'));
    expect(testerDispatched).toBeGreaterThan(log.indexOf('edit-b', 'merged'));

    // The user's branch and working tree are untouched.
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(userHead);
    expect(await git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });
});
