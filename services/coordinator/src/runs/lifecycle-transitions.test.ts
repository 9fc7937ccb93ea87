import type { Plan, Run, RunStatus } from '@baton/protocol';
import { describe, expect, it } from 'vitest';
import { NOW, effectTypes, itemOf, runOf, step, subtask } from './run-fixture.js';
import { transition } from './run-transition.js';
import { rules } from './run-fixture.js';

const a = subtask('a');
const b = subtask('b', 'shell', ['a'], { commands: ['make'] });
const c = subtask('c', 'tester', ['b']);
const plan: Plan = { v: 1, summary: '', subtasks: [a, b, c] };
const queued = (limits = {}) => ({ ...runOf([], {}, { limits }), status: 'queued' as const, plan: undefined });

describe('planning', () => {
  it('records the run as planning, then asks for the plan', () => {
    const t = step(queued(), { type: 'planning' });
    expect(t.run.status).toBe('planning');
    expect(t.effects).toEqual([{ type: 'requestPlan' }]);
  });

  it.each([
    ['accepts a plan within the budgets', {}, Infinity, 'running', undefined],
    [
      'refuses a plan over the subtasks budget',
      { maxSubtasks: 2 },
      Infinity,
      'queued',
      'the plan has 3 subtasks, budget 2',
    ],
    [
      'refuses a plan whose record would not fit in a message',
      {},
      500,
      'queued',
      /^the plan has 3 subtasks: the run's record/,
    ],
  ])('%s', (_name, limits, maxPayload, status, detail) => {
    const t = transition(queued(limits), { type: 'planReceived', plan, now: NOW }, { ...rules, maxPayload });
    expect(t.run.status).toBe(status);
    if (detail === undefined) {
      expect(t.run.plan).toBe(plan);
      expect(Object.values(t.run.subtasks).map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
      expect(effectTypes(t)).toEqual(['log', 'pump']);
    } else {
      expect(t.effects).toMatchObject([{ type: 'finish', status: 'failed', reason: 'budget_subtasks' }]);
      expect((t.effects[0] as { detail: string }).detail).toMatch(detail);
    }
  });

  it('fails the run when the planner cannot plan', () => {
    expect(step(queued(), { type: 'planFailed', message: 'boom' }).effects).toEqual([
      { type: 'finish', status: 'failed', reason: 'plan_failed', detail: 'planning failed: boom' },
    ]);
  });
});

describe('dispatched', () => {
  it('records the attempts, publishes them, arms their leases and reports what is in flight', () => {
    const budgeted = subtask('w', 'editor', [], { budget: { maxWallMs: 5_000 } });
    const run = runOf([a, budgeted], { a: { attempt: 1 } });
    const t = step(run, { type: 'dispatched', items: [itemOf(a, 2), itemOf(budgeted, 1)] });
    expect(t.run.subtasks.a).toMatchObject({ status: 'dispatched', attempt: 2, updatedAt: NOW });
    expect(t.run.subtasks.w).toMatchObject({ status: 'dispatched', attempt: 1 });
    expect(t.effects).toEqual([
      { type: 'publish', items: [itemOf(a, 2), itemOf(budgeted, 1)] },
      { type: 'armLease', subtaskId: 'a', attempt: 2, ms: rules.leaseMs },
      { type: 'armLease', subtaskId: 'w', attempt: 1, ms: 65_000 },
      { type: 'reportActive', count: 2 },
    ]);
  });

  const settle = (states: Parameters<typeof runOf>[1]) =>
    step(runOf([a, b, c], states), { type: 'dispatched', items: [] });
  it.each([
    ['goes on while work is out', { a: { status: 'dispatched' as const } }, undefined],
    ['goes on while a Result is merged', { a: { status: 'merging' as const } }, undefined],
    [
      'succeeds when every subtask is done (skipped ones not counted)',
      { a: { status: 'merged' as const }, b: { status: 'skipped' as const }, c: { status: 'succeeded' as const } },
      { status: 'succeeded', reason: 'success', detail: '2 subtasks done' },
    ],
    [
      'fails when nothing is out and what is left waits on a failure',
      { a: { status: 'failed' as const, error: { name: 'SubtaskFailed', message: 'no' } } },
      { status: 'failed', reason: 'unrepairable_failure', detail: 'a: no' },
    ],
    [
      'fails when nothing is out and nothing can run',
      { a: { status: 'merged' as const }, b: { status: 'cancelled' as const } },
      { status: 'failed', reason: 'unrepairable_failure', detail: 'no subtask can run' },
    ],
    ['goes on while something can still run beside a failure', { b: { status: 'failed' as const } }, undefined],
  ])('%s', (_name, states, finish) => {
    const t = settle(states);
    if (finish) expect(t.effects.at(-1)).toEqual({ type: 'finish', ...finish });
    else expect(effectTypes(t)).toEqual(['reportActive']);
  });
});

describe('budgets, cancel and finish', () => {
  it.each([
    ['within every budget', {}, []],
    ['past the wall time', { maxWallMs: 1_000 }, ['finish']],
  ])('checks the budgets: %s', (_name, limits, effects) => {
    const run = runOf([a], {}, { limits });
    const t = step(run, { type: 'budgetCheck' });
    expect(t.run).toBe(run);
    expect(effectTypes(t)).toEqual(effects);
  });

  it.each<RunStatus>(['queued', 'planning', 'running'])('cancels a %s run', (status) => {
    const run: Run = { ...runOf([a]), status };
    expect(step(run, { type: 'cancel', reason: 'by user' }).effects).toEqual([
      { type: 'finish', status: 'cancelled', reason: 'cancelled', detail: 'by user' },
    ]);
  });

  it.each([
    ['succeeded', 'e'.repeat(40), ['closeBranch', 'log', 'notifyFinished']],
    ['failed', undefined, ['closeBranch', 'publishWorkCancel', 'log', 'notifyFinished']],
    ['cancelled', 'e'.repeat(40), ['closeBranch', 'publishWorkCancel', 'log', 'notifyFinished']],
  ] as const)(
    'finishes %s: cancels what is not done, records the head, tells workers and the coordinator',
    (status, head, effects) => {
      const run = runOf(
        [a, b, c, subtask('d')],
        {
          a: { status: 'merged' },
          b: { status: 'dispatched' },
          c: { status: 'pending' },
          d: { status: 'merging' },
        },
        { run: { headCommit: 'f'.repeat(40) } },
      );
      const reason = status === 'succeeded' ? 'success' : status === 'failed' ? 'budget_cost' : 'cancelled';
      const t = step(run, { type: 'finished', status, reason, detail: 'why', head });
      expect(t.run).toMatchObject({
        status,
        stopReason: reason,
        detail: 'why',
        finishedAt: NOW,
        headCommit: head ?? 'f'.repeat(40),
      });
      expect(Object.values(t.run.subtasks).map((s) => s.status)).toEqual([
        'merged',
        'cancelled',
        'cancelled',
        'cancelled',
      ]);
      expect(effectTypes(t)).toEqual(effects);
    },
  );

  it("trims a final record too large for the bus to one without the subtasks' errors", () => {
    const run = {
      ...runOf([a], { a: { status: 'failed', error: { name: 'X', message: 'y' } } }),
      detail: 'd'.repeat(3_000),
    };
    const t = step(run, { type: 'recordTrimmed', bytes: 70_000, limit: 64_512 });
    expect(t.run.subtasks.a!.error).toBeUndefined();
    expect(t.run.detail).toBe(
      `${'d'.repeat(2_000)}\n(the subtasks' errors are left out of this record: with them it was 70000 bytes, over the bus's limit of 64512)`,
    );
  });
});
