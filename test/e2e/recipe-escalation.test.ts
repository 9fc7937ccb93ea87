import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunSpec } from '@baton/protocol';
import type { ScriptTurn, ScriptedRequest } from '@baton/scripted-api';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { batonMerges, createGitRepo, git, showFile } from './git-repo-fixture.js';
import { editorTurn, isPlannerRequest, systemText } from './scripted-agents.js';

const TEST_COMMAND = 'node --test --test-reporter=tap test/greet.test.mjs';

const files = {
  'src/greet.mjs': "export function greet(name) {\n  return 'hello, ' + name;\n}\n",
  'src/farewell.mjs': "export function farewell(name) {\n  return 'bye, ' + name;\n}\n",
  'test/greet.test.mjs': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { greet } from '../src/greet.mjs';",
    "import { farewell } from '../src/farewell.mjs';",
    "test('greets by name', () => assert.equal(greet('ann'), 'hello, ann'));",
    "test('says goodbye', () => assert.equal(farewell('ann'), 'bye, ann'));",
    '',
  ].join('\n'),
};

// The codemod changes the greeting; the test still expects the old one, so the tester fails after it.
const CODEMOD = 'export default (source) => source.replaceAll("\'hello, \'", "\'hi, \'");\n';

/** A repository and a codemod run over its sources with the tests as test commands. */
async function codemodRun(dir: string): Promise<{ repo: string; base: string; spec: RunSpec }> {
  const repo = join(dir, 'repo');
  const base = await createGitRepo(repo, files);
  const module = join(dir, 'greeting-codemod.mjs');
  await writeFile(module, CODEMOD);
  const spec = RunSpec.parse({
    v: 1,
    repo: { path: repo },
    recipe: { kind: 'codemod', glob: 'src/**/*.mjs', module },
    testCommands: [TEST_COMMAND],
  });
  return { repo, base, spec };
}

describe('escalation: a codemod first, a model editor only for what it breaks', () => {
  let dir: string;
  let stack: EmbeddedStack;
  const problems: string[] = [];
  const editorSystems: string[] = [];

  const script = (request: ScriptedRequest): ScriptTurn | undefined => {
    if (isPlannerRequest(request)) {
      problems.push('a recipe run must not ask the model for a plan');
      return undefined;
    }
    if (request.body.messages.length === 1) editorSystems.push(systemText(request));
    return editorTurn(
      request,
      [{ path: 'test/greet.test.mjs', oldStr: "'hello, ann'", newStr: "'hi, ann'" }],
      problems,
    );
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-escalate-'));
    stack = await startEmbeddedStack({ dir, script });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('repairs the failing test with a model editor, re-tests, and succeeds with the codemod and the fix', async () => {
    const { repo, base, spec } = await codemodRun(dir);
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);

    expect(problems).toEqual([]);
    expect(run.status, run.detail).toBe('succeeded');

    // The first tester failed and was superseded by a repair editor and a re-test, which passed.
    const plan = run.plan!.subtasks;
    const codemod = plan.filter((s) => s.program !== undefined);
    const [firstTester] = plan.filter((s) => s.kind === 'tester');
    expect(codemod).toHaveLength(1);
    expect(firstTester).toBeDefined();
    expect(run.subtasks[firstTester!.id]).toMatchObject({ status: 'skipped', error: { name: 'Superseded' } });
    const repairs = plan.filter((s) => s.kind === 'editor' && s.program === undefined);
    const retests = plan.filter((s) => s.kind === 'tester' && s !== firstTester);
    expect(repairs).toHaveLength(1);
    expect(retests).toHaveLength(1);
    expect(repairs[0]!.scope.paths).toEqual(['test/greet.test.mjs']);
    expect(retests[0]!.deps).toEqual([repairs[0]!.id]);
    expect(run.subtasks[codemod[0]!.id]).toMatchObject({ status: 'merged', attempt: 1 });
    expect(run.subtasks[repairs[0]!.id]).toMatchObject({ status: 'merged', attempt: 1 });
    expect(run.subtasks[retests[0]!.id]).toMatchObject({ status: 'succeeded', attempt: 1 });

    // The repair editor was the only model session, and it was told what failed.
    expect(editorSystems).toHaveLength(1);
    expect(editorSystems[0]).toContain(`id: ${repairs[0]!.id}`);
    expect(editorSystems[0]).toContain('greets by name');
    expect(editorSystems[0]).toContain("'hi, ann'");

    // Both the recipe's change and the fix are on the branch, one merge commit each, codemod first.
    const merges = await batonMerges(repo, base, branch);
    expect(merges.map((m) => m.subtaskId)).toEqual([codemod[0]!.id, repairs[0]!.id]);
    expect(await showFile(repo, branch, 'src/greet.mjs')).toContain("'hi, ' + name");
    expect(await showFile(repo, branch, 'src/farewell.mjs')).toBe(files['src/farewell.mjs'].trimEnd());
    expect(await showFile(repo, branch, 'test/greet.test.mjs')).toContain("'hi, ann'");
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(base);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });
});

describe('escalation without a model: the run fails and names the failing test', () => {
  let dir: string;
  let stack: EmbeddedStack;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-nomodel-'));
    stack = await startEmbeddedStack({ dir });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with unrepairable_failure, keeping the codemod merged on the branch', async () => {
    const { repo, base, spec } = await codemodRun(dir);
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await stack.coordinator.waitForRun(runId);

    expect(run.status).toBe('failed');
    expect(run.stopReason).toBe('unrepairable_failure');
    expect(run.detail).toContain('needs a model');
    expect(run.detail).toContain('test/greet.test.mjs');
    expect(run.detail).toContain('greets by name');
    expect(run.detail).not.toContain('says goodbye');
    const tester = run.plan!.subtasks.find((s) => s.kind === 'tester')!;
    expect(run.subtasks[tester.id]?.status).toBe('failed');
    expect(run.plan!.subtasks).toHaveLength(2);

    const merges = await batonMerges(repo, base, branch);
    expect(merges).toHaveLength(1);
    expect(await showFile(repo, branch, 'src/greet.mjs')).toContain("'hi, ' + name");
    expect(await git(repo, 'rev-parse', 'HEAD')).toBe(base);
  });
});
