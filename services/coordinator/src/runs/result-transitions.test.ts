import type { SubtaskStatus } from '@baton/protocol';
import { describe, expect, it } from 'vitest';
import type { MergeOutcome } from '../merge/merge-outcome.js';
import { NOW, effectTypes, resultOf, runOf, step, subtask } from './run-fixture.js';

const editor = subtask('e');
const tester = subtask('t', 'tester', ['e']);
const dispatched = { status: 'dispatched' as const, attempt: 1 };
const running = (states: Parameters<typeof runOf>[1] = { e: dispatched }, extra: Parameters<typeof runOf>[2] = {}) =>
  runOf([editor, tester], states, extra);

describe('resultReceived', () => {
  it('drops a Result for a subtask not in the plan', () => {
    const run = running();
    const t = step(run, { type: 'resultReceived', result: resultOf('nope', 1), countStale: true });
    expect(t.run).toBe(run);
    expect(t.effects).toEqual([
      {
        type: 'log',
        level: 'warn',
        message: 'result for a subtask not in the plan: dropped',
        data: { subtaskId: 'nope', attempt: 1 },
      },
    ]);
  });

  it.each([
    ['counts the usage of a stale attempt once', true, 150],
    ['does not count a redelivered copy of a stale attempt again', false, 0],
  ])('%s', (_name, countStale, tokens) => {
    const run = running({ e: { status: 'dispatched', attempt: 2 } });
    const t = step(run, { type: 'resultReceived', result: resultOf('e', 1), countStale });
    expect(t.run.usage.inputTokens + t.run.usage.outputTokens).toBe(tokens);
    expect(t.run.subtasks.e).toEqual(run.subtasks.e);
    expect(t.effects).toMatchObject([{ type: 'log', message: 'result of a stale attempt: rejected' }]);
  });

  it.each<SubtaskStatus>(['pending', 'merged', 'succeeded', 'failed', 'skipped', 'cancelled'])(
    'drops a duplicate Result of a subtask already %s',
    (status) => {
      const run = running({ e: { status, attempt: 1 } });
      const t = step(run, { type: 'resultReceived', result: resultOf('e', 1), countStale: true });
      expect(t.run).toBe(run);
      expect(t.effects).toMatchObject([{ type: 'log', message: 'result already handled: duplicate dropped' }]);
    },
  );

  it.each([
    ['a diff', 'e', {}, 'merging', ['clearLease', 'merge']],
    [
      'a diff by reference',
      'e',
      { diff: '', diffRef: { bucket: 'b', object: 'o', bytes: 9 } },
      'merging',
      ['clearLease', 'merge'],
    ],
    ['an empty diff', 'e', { diff: '  \n' }, 'succeeded', ['clearLease', 'pump']],
    ["a tester's", 't', {}, 'succeeded', ['clearLease', 'pump']],
  ])('records an ok Result with %s, its usage, and where it goes next', (_name, id, extra, status, effects) => {
    const run = running({ e: dispatched, t: dispatched });
    const t = step(run, { type: 'resultReceived', result: resultOf(id, 1, extra), countStale: true });
    expect(t.run.subtasks[id]).toMatchObject({ status, updatedAt: NOW, usage: { inputTokens: 100, outputTokens: 50 } });
    expect(t.run.usage).toMatchObject({ inputTokens: 100, outputTokens: 50, costUsd: 0.01 });
    expect(effectTypes(t)).toEqual(effects);
    if (status === 'merging') expect(t.effects[1]).toMatchObject({ type: 'merge', attempt: 1, title: 'do e' });
  });

  it('merges again a Result whose merge a restart interrupted, without counting its usage twice', () => {
    const run = running({ e: { status: 'merging', attempt: 1 } });
    const t = step(run, { type: 'resultReceived', result: resultOf('e', 1), countStale: true });
    expect(t.run).toBe(run);
    expect(effectTypes(t)).toEqual(['clearLease', 'log', 'merge']);
  });

  it.each([
    ['tokens', { maxTokens: 100 }, {}, 'budget_tokens', 'used 150 tokens, budget 100'],
    ['cost', { maxCostUsd: 0.005 }, {}, 'budget_cost', 'cost $0.0100, budget $0.005'],
    ['wall time', { maxWallMs: 1_000 }, {}, 'budget_wall_time', 'ran 60 s, budget 1 s'],
    ['subtasks', { maxSubtasks: 1 }, {}, 'budget_subtasks', '2 subtasks, budget 1'],
  ])('stops the run over its %s budget instead of merging', (_name, limits, _x, reason, detail) => {
    const t = step(running({ e: dispatched }, { limits }), {
      type: 'resultReceived',
      result: resultOf('e', 1),
      countStale: true,
    });
    expect(t.run.subtasks.e!.status).toBe('merging');
    expect(t.effects.at(-1)).toEqual({ type: 'finish', status: 'failed', reason, detail });
    expect(effectTypes(t)).not.toContain('merge');
  });

  it.each([
    ['retries a failed attempt within the retries budget', 3, 'end_turn', 'pending', ['clearLease', 'log', 'pump']],
    ['fails a subtask its worker cancelled, and goes on', 1, 'cancelled', 'failed', ['clearLease', 'pump']],
    ['fails the run when the attempt was over the retries budget', 4, 'end_turn', 'failed', ['clearLease', 'finish']],
  ])('%s', (_name, attempt, stop, status, effects) => {
    const run = running({ e: { status: 'dispatched', attempt } });
    const result = resultOf('e', attempt, { ok: false, stop: stop as 'end_turn', diff: '' });
    const t = step(run, { type: 'resultReceived', result, countStale: true });
    expect(t.run.subtasks.e).toMatchObject({
      status,
      error: { name: 'SubtaskFailed', message: `editor stopped: ${stop}` },
    });
    expect(effectTypes(t)).toEqual(effects);
    if (status === 'failed' && attempt === 4)
      expect(t.effects.at(-1)).toMatchObject({
        reason: 'budget_retries',
        detail: 'e failed 4 times; last: editor stopped: end_turn',
      });
  });

  it('stops the run at once when the environment could not be prepared: no retry, no repair, whatever the attempt', () => {
    for (const attempt of [1, 4]) {
      const result = resultOf('e', attempt, {
        ok: false,
        stop: 'error',
        diff: '',
        error: { name: 'EnvironmentSetupError', message: 'environment setup failed: npm ci exited 1' },
      });
      const t = step(running({ e: { status: 'dispatched', attempt } }), {
        type: 'resultReceived',
        result,
        countStale: true,
      });
      expect(t.run.subtasks.e).toMatchObject({ status: 'failed', error: { name: 'EnvironmentSetupError' } });
      expect(effectTypes(t)).toEqual(['clearLease', 'finish']);
      expect(t.effects.at(-1)).toEqual({
        type: 'finish',
        status: 'failed',
        reason: 'environment_setup_failed',
        detail: 'environment setup failed: npm ci exited 1',
      });
    }
  });

  it("keeps a failed Result's own error, and pauses model work on an overload for its retry-after or the default", () => {
    const overloaded = (data?: Record<string, unknown>) =>
      resultOf('e', 1, {
        ok: false,
        stop: 'model_error',
        diff: '',
        error: { name: 'ModelOverloadedError', message: '529', ...(data ? { data } : {}) },
      });
    const run = running();
    const told = step(run, { type: 'resultReceived', result: overloaded({ retryAfterMs: 7_000 }), countStale: true });
    expect(told.run.subtasks.e!.error).toEqual({
      name: 'ModelOverloadedError',
      message: '529',
      data: { retryAfterMs: 7_000 },
    });
    expect(told.effects).toContainEqual({ type: 'pauseModel', ms: 7_000 });
    const untold = step(run, { type: 'resultReceived', result: overloaded(), countStale: true });
    expect(untold.effects).toContainEqual({ type: 'pauseModel', ms: 30_000 });
  });

  it.each([
    [
      'asks for a repair of failing tests',
      { e: { status: 'merged' as const }, t: dispatched },
      {},
      ['clearLease', 'requestRepair', 'pump'],
    ],
    [
      'gives up once the run used its repairs',
      { e: { status: 'merged' as const }, t: dispatched },
      { repairs: 3 },
      ['clearLease', 'finish'],
    ],
  ])('%s', (_name, states, run, effects) => {
    const report = { passed: 1, failed: 2, format: 'vitest-json', failures: [{ file: 'a.test.ts', message: 'boom' }] };
    const result = resultOf('t', 1, { ok: false, stop: 'tests_failed', diff: '', testReport: report as never });
    const t = step(running(states, { run }), { type: 'resultReceived', result, countStale: true });
    expect(effectTypes(t)).toEqual(effects);
    expect(t.run.subtasks.t!.error!.name).toBe('SubtaskFailed');
    if (effects.includes('finish')) {
      expect(t.run.subtasks.t!.status).toBe('failed');
      expect(t.effects.at(-1)).toMatchObject({
        reason: 'unrepairable_failure',
        detail: 'gave up after 3 repairs:\na.test.ts: boom',
      });
    } else expect(t.effects[1]).toMatchObject({ type: 'requestRepair', failed: tester, conflict: undefined });
  });
});

describe('mergeOutcome', () => {
  const merging = { e: { status: 'merging' as const, attempt: 1 } };
  const outcome = (o: MergeOutcome) =>
    step(running(merging), {
      type: 'mergeOutcome',
      result: resultOf('e', 1, { filesChanged: ['x', 'y'] }),
      outcome: o,
    });

  it.each([
    ['merged', { kind: 'merged', commit: 'c'.repeat(40), head: 'c'.repeat(40), files: ['x'] }, 1, 'c'.repeat(40)],
    ['merged with no change', { kind: 'merged', commit: null, head: 'a'.repeat(40), files: [] }, 0, undefined],
    ['found merged before', { kind: 'duplicate', commit: 'd'.repeat(40), attempt: 1 }, 2, 'd'.repeat(40)],
  ] as const)('%s: the subtask is merged and the run head moves to its commit', (_name, o, files, commit) => {
    const t = outcome(o as MergeOutcome);
    expect(t.run.subtasks.e).toMatchObject({ status: 'merged', filesChanged: files, updatedAt: NOW });
    expect(t.run.subtasks.e!.mergedCommit).toBe(commit);
    expect(t.run.headCommit).toBe(commit);
    expect(effectTypes(t)).toEqual(['pump']);
  });

  it('changes nothing for an attempt the merger found stale', () => {
    const t = outcome({ kind: 'stale', attempt: 1, currentAttempt: 2 });
    expect(t.run.subtasks.e!.status).toBe('merging');
    expect(effectTypes(t)).toEqual(['log', 'pump']);
  });

  it.each([
    ['re-dispatches a conflict on the new head', 0, {}, 'pending', ['log', 'pump']],
    ['re-dispatches up to maxConflictRetries', 1, {}, 'pending', ['log', 'pump']],
    ['then asks for a resolve subtask', 2, {}, 'merging', ['log', 'requestRepair', 'pump']],
    ['and fails the run when no repair is left', 2, { repairs: 3 }, 'failed', ['log', 'finish']],
  ])('%s', (_name, conflicts, run, status, effects) => {
    const before = runOf([editor, tester], { e: { status: 'merging', attempt: 1, conflicts } }, { run });
    const conflict: MergeOutcome = { kind: 'conflict', files: ['x'], detail: 'overlaps' };
    const t = step(before, { type: 'mergeOutcome', result: resultOf('e', 1), outcome: conflict });
    expect(t.run.subtasks.e).toMatchObject({ status, conflicts: conflicts + 1 });
    expect(effectTypes(t)).toEqual(effects);
    if (effects.includes('requestRepair')) expect(t.effects[1]).toMatchObject({ conflict: 'overlaps\nfiles: x' });
  });

  it.each([
    ['retries an attempt whose diff git cannot read', 1, 'pending', 'pump'],
    ['and fails the run past the retries budget', 4, 'failed', 'finish'],
  ])('%s', (_name, attempt, status, last) => {
    const before = runOf([editor], { e: { status: 'merging', attempt } });
    const t = step(before, {
      type: 'mergeOutcome',
      result: resultOf('e', attempt),
      outcome: { kind: 'invalid', detail: 'corrupt patch' },
    });
    expect(t.run.subtasks.e).toMatchObject({ status, error: { name: 'InvalidDiff', message: 'corrupt patch' } });
    expect(t.effects.at(-1)!.type).toBe(last);
  });
});
