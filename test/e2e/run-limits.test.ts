import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunRecord, RunSpec, resourceNamesFor } from '@baton/protocol';
import type { ScriptTurn, ScriptedRequest } from '@baton/scripted-api';
import { endedIn, recordAgentEvents } from './agent-events.js';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { batonMerges, createGitRepo, git } from './git-repo-fixture.js';
import { editorSubtaskId, editorTurn, isPlannerRequest, submitPlan } from './scripted-agents.js';
import { recordTransitions } from './subtask-transitions.js';
import { within } from './within.js';

const WAIT_MS = 60_000;

const files = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
  'packages/alpha/package.json': JSON.stringify({ name: 'alpha', version: '1.0.0' }),
  'packages/alpha/src/a.mjs': "export const a = 'old';\n",
  'packages/alpha/src/b.mjs': "export const b = 'old';\n",
};
const editorPlan = (id: string) => ({
  summary: 'one edit',
  subtasks: [
    {
      id,
      kind: 'editor',
      title: 'update a.mjs',
      instructions: "Change 'old' to 'new' in a.mjs.",
      scope: { paths: ['packages/alpha/src'] },
      deps: [],
    },
  ],
});

/** A stack and a fresh repository per describe block; the stack's script is given by the block. */
function useStack(name: string, script?: (request: ScriptedRequest) => ScriptTurn | undefined) {
  const ctx = { dir: '', repo: '', base: '', stack: undefined as unknown as EmbeddedStack };
  beforeAll(async () => {
    ctx.dir = await mkdtemp(join(tmpdir(), `baton-e2e-${name}-`));
    ctx.stack = await startEmbeddedStack({ dir: ctx.dir, slots: 2, ...(script ? { script } : {}) });
    ctx.repo = join(ctx.dir, 'repo');
    ctx.base = await createGitRepo(ctx.repo, files);
  });
  afterAll(async () => {
    await ctx.stack?.stop();
    await rm(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

describe('run token budget', () => {
  const problems: string[] = [];
  // Every editor turn reports 400 input + 100 output tokens: the three turns of the edit use 1,500 of a 1,000 budget.
  const usage = { input_tokens: 400, output_tokens: 100 };
  let planned = 'costly';
  const ctx = useStack('tokens', (request) => {
    if (isPlannerRequest(request))
      return { ...submitPlan(editorPlan(planned)), usage: { input_tokens: 10, output_tokens: 10 } };
    const id = editorSubtaskId(request);
    if (id === 'costly')
      return {
        ...editorTurn(request, [{ path: 'packages/alpha/src/a.mjs', oldStr: "'old'", newStr: "'new'" }], problems),
        usage,
      };
    if (id === 'greedy') return { ...viewForever(request), usage: { input_tokens: 500, output_tokens: 100 } };
    return void problems.push(`unexpected request ${request.index}`);
  });

  it('fails with budget_tokens, names the figures, counts the usage and merges nothing', async () => {
    const { stack, repo, base } = ctx;
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Change old to new.',
      policy: { mode: 'acceptEdits' },
      limits: { maxTokens: 1_000 },
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');

    expect(problems).toEqual([]);
    expect(run).toMatchObject({ status: 'failed', stopReason: 'budget_tokens' });
    expect(run.detail).toBe('used 1500 tokens, budget 1000');
    // The run's usage is its subtasks' (the editor's three model calls), not the planner's.
    expect(run.usage).toMatchObject({ inputTokens: 1_200, outputTokens: 300, modelCalls: 3 });
    expect(run.usage.costUsd).toBeGreaterThan(0);
    expect(run.subtasks.costly?.usage).toMatchObject({ inputTokens: 1_200, outputTokens: 300 });
    // The over-budget result is not merged.
    expect(run.subtasks.costly?.status).toBe('cancelled');
    expect(await git(repo, 'rev-parse', branch)).toBe(base);
    expect(await batonMerges(repo, base, branch)).toEqual([]);
  }, 120_000);

  it('stops an editor that never ends once it has used what is left of the run budget', async () => {
    const { stack, repo } = ctx;
    planned = 'greedy';
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Change old to new.',
      policy: { mode: 'acceptEdits' },
      limits: { maxTokens: 1_000, maxRetriesPerSubtask: 0 },
    });
    const { runId } = await stack.coordinator.submit(spec);
    const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');
    expect(problems).toEqual([]);
    // 600 tokens a turn: the second turn crosses the 1,000 left, so the session stops there instead of at its own limits.
    expect(run).toMatchObject({
      status: 'failed',
      stopReason: 'budget_tokens',
      detail: 'used 1200 tokens, budget 1000',
    });
    expect(run.usage).toMatchObject({ inputTokens: 1_000, outputTokens: 200, modelCalls: 2 });
    expect(stack.api!.requests.filter((r) => editorSubtaskId(r) === 'greedy')).toHaveLength(2);
  }, 120_000);
});

/** An editor turn that views a file again, alternating between two, so it never ends and never repeats a call twice in a row. */
function viewForever(request: ScriptedRequest): ScriptTurn {
  const turn = Math.floor(request.body.messages.length / 2);
  const path = turn % 2 === 0 ? 'packages/alpha/src/a.mjs' : 'packages/alpha/src/b.mjs';
  return { content: [{ type: 'tool_use', name: 'str_replace_based_edit_tool', input: { command: 'view', path } }] };
}

describe('per-subtask turn budget', () => {
  const problems: string[] = [];
  // The editor never finishes (viewForever).
  const ctx = useStack('turns', (request) => {
    if (isPlannerRequest(request)) return submitPlan(editorPlan('looping'));
    if (editorSubtaskId(request) !== 'looping') return void problems.push(`unexpected request ${request.index}`);
    return viewForever(request);
  });

  it('stops each attempt at max_turns, retries, and ends the run with budget_retries', async () => {
    const { stack, repo, base } = ctx;
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Change old to new.',
      policy: { mode: 'acceptEdits' },
      limits: { maxRetriesPerSubtask: 1, perSubtask: { maxTurns: 2 } },
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const events = recordAgentEvents(stack.bus, runId);
    try {
      const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');
      expect(problems).toEqual([]);
      expect(run).toMatchObject({ status: 'failed', stopReason: 'budget_retries' });
      expect(run.detail).toBe('looping failed 2 times; last: editor stopped: max_turns');
      expect(run.subtasks.looping).toMatchObject({
        status: 'failed',
        attempt: 2,
        error: { message: 'editor stopped: max_turns' },
      });

      // Both attempts ended in the editor's maxTurns state, after exactly two model calls each; no third attempt.
      for (const actor of ['looping-1', 'looping-2']) {
        const ended = await events.until(
          (e) => e.actorId === actor && e.kind === '@xstate.snapshot' && e.status === 'done',
          WAIT_MS,
          `${actor} to end`,
        );
        expect(endedIn(ended, 'maxTurns'), JSON.stringify(ended)).toBe(true);
      }
      const editorCalls = stack.api!.requests.filter((r) => !isPlannerRequest(r));
      expect(editorCalls.map((r) => r.body.messages.length)).toEqual([1, 3, 1, 3]);
      expect(run.usage.modelCalls).toBe(4);
      expect(await git(repo, 'rev-parse', branch)).toBe(base);
    } finally {
      await events.stop();
    }
  }, 120_000);
});

describe('recipe runs against wall-time and retry budgets', () => {
  const ctx = useStack('recipe-limits');

  it('stops a slow shell subtask at the run wall time with budget_wall_time', async () => {
    const { stack, repo, base } = ctx;
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'command', command: 'sleep 30', packages: 'packages/*' },
      testCommands: ['true'],
      limits: { maxWallMs: 1_500 },
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const events = recordAgentEvents(stack.bus, runId);
    try {
      const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');
      expect(run).toMatchObject({ status: 'failed', stopReason: 'budget_wall_time' });
      expect(run.detail).toMatch(/^ran \d+ s, budget 2 s$/);
      const shell = run.plan!.subtasks.find((s) => s.kind === 'shell')!;
      expect(run.subtasks[shell.id]).toMatchObject({ status: 'cancelled', attempt: 1 });
      // The worker was told to stop: the shell agent (and its `sleep`) ends cancelled, not after 30 s.
      const ended = await events.until(
        (e) => e.actorId === `${shell.id}-1` && e.kind === '@xstate.snapshot' && e.status === 'done',
        WAIT_MS,
        'the shell agent to end',
      );
      expect(endedIn(ended, 'cancelled'), JSON.stringify(ended)).toBe(true);
      expect(await git(repo, 'rev-parse', branch)).toBe(base);
    } finally {
      await events.stop();
    }
  }, 120_000);

  it('retries an always-failing shell subtask maxRetriesPerSubtask times, then stops with budget_retries', async () => {
    const { stack, repo, base } = ctx;
    const runs = await stack.bus.kv(resourceNamesFor(stack.bus.subjects.prefix).runsBucket, RunRecord, { history: 1 });
    const transitions = recordTransitions(runs);
    try {
      const spec = RunSpec.parse({
        v: 1,
        repo: { path: repo },
        recipe: { kind: 'command', command: 'false', packages: 'packages/*' },
        testCommands: ['true'],
        limits: { maxRetriesPerSubtask: 2 },
      });
      const { runId, branch } = await stack.coordinator.submit(spec);
      const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to stop');
      const shell = run.plan!.subtasks.find((s) => s.kind === 'shell')!;
      expect(run).toMatchObject({ status: 'failed', stopReason: 'budget_retries' });
      expect(run.detail).toBe(
        `${shell.id} failed 3 times; last: shell stopped: command_failed: \`cd packages/alpha && false\` exited 1`,
      );
      expect(run.subtasks[shell.id]).toMatchObject({ status: 'failed', attempt: 3 });
      // One dispatch per attempt, three in all: the first try and two retries, never a loop.
      const dispatched = transitions.transitions
        .filter((t) => t.subtaskId === shell.id && t.status === 'dispatched')
        .map((t) => t.attempt);
      expect(dispatched).toEqual([1, 2, 3]);
      // The tester behind it never ran.
      const tester = run.plan!.subtasks.find((s) => s.kind === 'tester')!;
      expect(run.subtasks[tester.id]).toMatchObject({ status: 'cancelled', attempt: 0 });
      expect(await git(repo, 'rev-parse', branch)).toBe(base);
    } finally {
      transitions.stop();
    }
  }, 120_000);
});
