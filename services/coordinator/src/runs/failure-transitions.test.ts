import type { Plan } from '@baton/protocol';
import { describe, expect, it } from 'vitest';
import { repairsOf } from './failure-transitions.js';
import { NOW, effectTypes, resultOf, runOf, step, subtask } from './run-fixture.js';

const a = subtask('a');
const t = subtask('t', 'tester', ['a']);
const after = subtask('after', 'shell', ['t']);
const repairPlan = (ids: string[], deps: string[][] = []): Plan => ({
  v: 1,
  summary: 'fix',
  subtasks: ids.map((id, i) => subtask(id, 'editor', deps[i] ?? [])),
});

describe('repairsOf', () => {
  it.each([
    ['the count on the run', { repairs: 2 }, {}, 2],
    ['none yet', {}, {}, 0],
    [
      'in a record written before it was counted, the subtasks superseded by a repair',
      {},
      {
        a: { status: 'skipped' as const, error: { name: 'Superseded', message: 'repaired by r1' } },
        t: { status: 'skipped' as const, error: { name: 'Other', message: '' } },
      },
      1,
    ],
  ])('reads %s', (_name, run, states, count) => {
    expect(repairsOf(runOf([a, t], states, { run }))).toBe(count);
  });
});

describe('repairPlanReceived', () => {
  it('supersedes the failed subtask, rewires its dependents to the repairs, and counts the repair', () => {
    const run = runOf([a, t, after], { a: { status: 'merged' }, t: { status: 'merging', attempt: 1 } });
    const next = step(run, { type: 'repairPlanReceived', failedId: 't', plan: repairPlan(['r1', 'r2'], [[], ['r1']]) });
    expect(next.run.subtasks.t).toMatchObject({
      status: 'skipped',
      error: { name: 'Superseded', message: 'repaired by r1, r2' },
    });
    expect(next.run.plan!.subtasks.find((s) => s.id === 'after')!.deps).toEqual(['t', 'r1', 'r2']);
    // A repair with no dependencies of its own comes after the failed subtask (it starts from the branch head).
    expect(next.run.plan!.subtasks.slice(3).map((s) => [s.id, s.deps])).toEqual([
      ['r1', ['t']],
      ['r2', ['r1']],
    ]);
    expect(next.run.subtasks.r1).toMatchObject({ status: 'pending', attempt: 0, updatedAt: NOW });
    expect(next.run.repairs).toBe(1);
    expect(effectTypes(next)).toEqual(['log']);
    expect(run.plan!.subtasks).toHaveLength(3);
  });

  it('counts on from a record written before repairs were counted', () => {
    const legacy = runOf([a, t, after], {
      a: { status: 'skipped', error: { name: 'Superseded', message: 'repaired by t' } },
    });
    expect(step(legacy, { type: 'repairPlanReceived', failedId: 't', plan: repairPlan(['r9']) }).run.repairs).toBe(2);
  });
});

describe('repairFailed', () => {
  it('fails the subtask and the run with the planner error and the failures', () => {
    const result = resultOf('t', 1, { ok: false, stop: 'tests_failed', diff: '' });
    const next = step(runOf([a, t], { t: { status: 'dispatched', attempt: 1 } }), {
      type: 'repairFailed',
      failedId: 't',
      result,
      message: 'no planner',
    });
    expect(next.run.subtasks.t).toMatchObject({ status: 'failed', error: { name: 'SubtaskFailed' } });
    expect(next.effects).toEqual([
      {
        type: 'finish',
        status: 'failed',
        reason: 'unrepairable_failure',
        detail: 'no planner\nstopped: tests_failed',
      },
    ]);
  });
});

describe('leaseExpired', () => {
  it.each([
    ['re-dispatches the current attempt as a new one', 'dispatched', 2, 2, ['log', 'pump'], 'pending'],
    ['ignores the lease of an attempt no longer current', 'dispatched', 3, 2, [], 'dispatched'],
    ['ignores a lease whose Result is being merged', 'merging', 2, 2, [], 'merging'],
    ['ignores a lease of a subtask already pending again', 'pending', 2, 2, [], 'pending'],
    [
      'fails the run when that attempt was over the retries budget',
      'dispatched',
      4,
      4,
      ['log', 'finish'],
      'dispatched',
    ],
  ] as const)('%s', (_name, status, current, attempt, effects, after) => {
    const run = runOf([a], { a: { status, attempt: current } });
    const next = step(run, { type: 'leaseExpired', subtaskId: 'a', attempt, leaseMs: 90_000 });
    expect(effectTypes(next)).toEqual(effects);
    expect(next.run.subtasks.a!.status).toBe(after);
    if (after === 'pending' && status === 'dispatched') {
      expect(next.run.subtasks.a).toMatchObject({
        updatedAt: NOW,
        error: { name: 'LeaseExpired', message: 'attempt 2 sent no result in 90 s' },
      });
    }
    if (effects.includes('finish' as never)) {
      expect(next.effects.at(-1)).toMatchObject({ reason: 'budget_retries', detail: 'a: 4 attempts ran out of time' });
    }
  });
});
