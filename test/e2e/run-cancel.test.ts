import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelRequest, RunRecord, RunSpec } from '@baton/protocol';
import type { ScriptTurn, ScriptedRequest } from '@baton/scripted-api';
import { endedIn, recordAgentEvents } from './agent-events.js';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack.js';
import { batonMerges, createGitRepo, git } from './git-repo-fixture.js';
import { watchRun } from './run-watch.js';
import { editorSubtaskId, scriptedEditor, isPlannerRequest, submitPlan, type ScriptedEdit } from './scripted-agents.js';
import { within } from './within.js';

const WAIT_MS = 60_000;
// Longer than the test ever waits for the cancel to land, shorter than the model client's stream idle timeout (30 s).
const SLOW_TURN_MS = 25_000;

const files = {
  'src/fast.mjs': "export const fast = 'old';\n",
  'src/slow.mjs': "export const slow = 'old';\n",
};
const edits: Record<string, ScriptedEdit[]> = {
  fast: [{ path: 'src/fast.mjs', oldStr: "'old'", newStr: "'new'" }],
  slow: [{ path: 'src/slow.mjs', oldStr: "'old'", newStr: "'new'" }],
};
const editor = (id: string, path: string) => ({
  id,
  kind: 'editor',
  title: `update ${path}`,
  instructions: `Change 'old' to 'new' in ${path}.`,
  scope: { paths: [path] },
  deps: [],
});
const plan = {
  summary: 'two independent edits',
  subtasks: [editor('fast', 'src/fast.mjs'), editor('slow', 'src/slow.mjs')],
};

describe('cancel a run while a subtask is in flight', () => {
  let dir: string;
  let stack: EmbeddedStack;
  const problems: string[] = [];

  const script = (request: ScriptedRequest): ScriptTurn | undefined => {
    if (isPlannerRequest(request)) return submitPlan(plan);
    const turn = scriptedEditor(request, edits, problems);
    // The slow editor's first model call answers only after SLOW_TURN_MS: the cancel must cut it short.
    return turn && editorSubtaskId(request) === 'slow' && request.body.messages.length === 1
      ? { ...turn, delayMs: SLOW_TURN_MS }
      : turn;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-cancel-'));
    stack = await startEmbeddedStack({ dir, script, slots: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('ends cancelled, stops the in-flight agent, keeps the branch and merges nothing afterwards', async () => {
    const repo = join(dir, 'repo');
    const base = await createGitRepo(repo, files);
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Change old to new in both files.',
      policy: { mode: 'acceptEdits' },
      limits: { maxConcurrency: 2 },
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const events = recordAgentEvents(stack.bus, runId);
    const watch = await watchRun(stack.bus, runId);
    try {
      // In flight: `fast` is merged, `slow` is dispatched and waiting on its model call.
      await watch.until(
        (r) => r.subtasks.fast?.status === 'merged' && r.subtasks.slow?.status === 'dispatched',
        WAIT_MS,
        'fast merged while slow is in flight',
      );
      await within(waitForSlowCall(stack), WAIT_MS, "the slow editor's model call");
      const headAtCancel = await git(repo, 'rev-parse', branch);

      const reply = await stack.bus.request(
        stack.bus.subjects.runCancel(runId),
        CancelRequest,
        RunRecord,
        { v: 1, runId, reason: 'stopped by the test' },
        { timeoutMs: WAIT_MS },
      );
      expect(reply).toMatchObject({ status: 'cancelled', stopReason: 'cancelled', detail: 'stopped by the test' });

      // The worker was told to stop: the slow editor's agent ends in its `cancelled` state (long before its model answers).
      const ended = await events.until(
        (e) => e.actorId === 'slow-1' && e.kind === '@xstate.snapshot' && e.status === 'done',
        WAIT_MS,
        'the slow agent to end',
      );
      expect(endedIn(ended, 'cancelled'), JSON.stringify(ended)).toBe(true);

      const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to be final');
      expect(problems).toEqual([]);
      expect(run).toMatchObject({ status: 'cancelled', stopReason: 'cancelled' });
      expect(run.subtasks.fast).toMatchObject({ status: 'merged', attempt: 1 });
      expect(run.subtasks.slow).toMatchObject({ status: 'cancelled', attempt: 1 });

      // Drain the worker: its cancelled item's Result is published (and dropped by the coordinator) before stop resolves.
      await stack.worker.stop();
      expect(stack.worker.busy()).toBe(0);
      expect(await git(repo, 'rev-parse', branch)).toBe(headAtCancel);
      expect((await batonMerges(repo, base, branch)).map((m) => m.subtaskId)).toEqual(['fast']);
      expect(await git(repo, 'show', `${branch}:src/slow.mjs`)).toBe("export const slow = 'old';");
      expect((await stack.coordinator.store.get(runId))?.status).toBe('cancelled');
      // No second attempt of the slow editor was ever dispatched.
      expect(events.actors().filter((a) => a.startsWith('slow-'))).toEqual(['slow-1']);
      expect(await git(repo, 'rev-parse', 'HEAD')).toBe(base);
    } finally {
      watch.stop();
      await events.stop();
    }
  }, 120_000);
});

/** Resolves once the slow editor's first model request reached the scripted server. */
async function waitForSlowCall(stack: EmbeddedStack): Promise<void> {
  const api = stack.api!;
  for (let n = 1; ; n++) {
    const seen = await api.waitForRequests(n);
    if (seen.some((r) => editorSubtaskId(r) === 'slow')) return;
  }
}

describe('cancel a run while its model planner is still thinking', () => {
  let dir: string;
  let stack: EmbeddedStack;
  const problems: string[] = [];

  // The planner answers only once the test releases it, after the cancel; that plan must never be used.
  let releasePlan = () => {};
  const planReleased = new Promise<void>((resolve) => (releasePlan = resolve));
  const script = async (request: ScriptedRequest): Promise<ScriptTurn | undefined> => {
    if (isPlannerRequest(request)) {
      await planReleased;
      return submitPlan(plan);
    }
    problems.push(`unexpected model request ${request.index} (subtask ${editorSubtaskId(request) ?? 'unknown'})`);
    return undefined;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-cancel-plan-'));
    stack = await startEmbeddedStack({ dir, script });
  });

  afterAll(async () => {
    releasePlan();
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the cancel at once and never uses the plan that arrives after it', async () => {
    const repo = join(dir, 'repo');
    const base = await createGitRepo(repo, files);
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      task: 'Change old to new in both files.',
      policy: { mode: 'acceptEdits' },
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    await within(stack.api!.waitForRequests(1), WAIT_MS, 'the planner request');

    // The plan is held back until after the reply: the cancel must not wait for planning.
    const reply = await stack.bus.request(
      stack.bus.subjects.runCancel(runId),
      CancelRequest,
      RunRecord,
      { v: 1, runId, reason: 'stopped while planning' },
      { timeoutMs: 10_000 },
    );
    expect(reply).toMatchObject({ status: 'cancelled', stopReason: 'cancelled', detail: 'stopped while planning' });
    const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to be final');
    expect(run.status).toBe('cancelled');

    // The plan arrives late (the planner has replied once it stops): the run stays cancelled, with nothing dispatched.
    releasePlan();
    await within(stack.planner.stop(), WAIT_MS, 'the planner to reply and stop');
    await within(stack.api!.waitForRequests(1), WAIT_MS, 'the planner request');
    expect(await stack.coordinator.store.get(runId)).toMatchObject({
      status: 'cancelled',
      stopReason: 'cancelled',
      subtasks: {},
    });
    expect(stack.api!.requests.filter((r) => !isPlannerRequest(r))).toEqual([]);
    expect(await git(repo, 'rev-parse', branch)).toBe(base);
    expect(problems).toEqual([]);
  }, 120_000);
});
