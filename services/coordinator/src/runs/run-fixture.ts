import {
  Result,
  RunSpec,
  Subtask,
  emptyUsage,
  type Run,
  type RunLimits,
  type SubtaskState,
  type WorkItem,
} from '@baton/protocol';
import type { RunRules } from './run-event.js';
import { newSubtaskState } from './run-record-size.js';
import { transition } from './run-transition.js';
import type { RunEvent } from './run-event.js';

/** The time every fixture event happens at (tests of the run's transitions). */
export const NOW = 10_000_000;

/** A coordinator's rules for tests of the run's transitions. */
export const rules: RunRules = {
  maxConflictRetries: 2,
  modelBackoffMs: 30_000,
  leaseMs: 1_800_000,
  maxPayload: Infinity,
};

/** A subtask of a test plan. */
export function subtask(
  id: string,
  kind: Subtask['kind'] = 'editor',
  deps: string[] = [],
  extra: object = {},
): Subtask {
  return Subtask.parse({ id, kind, title: `do ${id}`, deps, ...extra });
}

/** A frozen running run of `subtasks` with the given states (pending otherwise): a transition must copy, never mutate. */
export function runOf(
  subtasks: Subtask[],
  states: Record<string, Partial<SubtaskState>> = {},
  extra: { limits?: Partial<RunLimits>; run?: Partial<Run> } = {},
): Run {
  const spec = RunSpec.parse({ v: 1, repo: { path: '/repo' }, task: 'test', limits: extra.limits ?? {} });
  const run: Run = {
    v: 1,
    id: 'run1',
    spec,
    status: 'running',
    baseCommit: 'a'.repeat(40),
    branch: 'baton/run1',
    plan: { v: 1, summary: '', subtasks },
    trustedCommands: [],
    subtasks: Object.fromEntries(subtasks.map((s) => [s.id, { ...newSubtaskState(NOW - 1_000), ...states[s.id] }])),
    usage: emptyUsage(),
    createdAt: NOW - 60_000,
    updatedAt: NOW - 1_000,
    ...extra.run,
  };
  return deepFreeze(run);
}

/** A worker's Result for an attempt (ok, with a one-file diff, unless `extra` says otherwise). */
export function resultOf(subtaskId: string, attempt: number, extra: Partial<Result> = {}): Result {
  return Result.parse({
    v: 1,
    runId: 'run1',
    subtaskId,
    attempt,
    workerId: 'w1',
    ok: true,
    stop: 'end_turn',
    baseCommit: 'a'.repeat(40),
    diff: 'diff --git a/x b/x\n',
    usage: { inputTokens: 100, outputTokens: 50, costUsd: 0.01 },
    startedAt: NOW - 500,
    finishedAt: NOW - 100,
    ...extra,
  });
}

/** A work item of an attempt, as the dispatcher builds it (only what the transitions read). */
export function itemOf(s: Subtask, attempt: number): WorkItem {
  return { v: 1, runId: 'run1', attempt, subtask: s, baseCommit: 'a'.repeat(40) } as WorkItem;
}

/** A RunEvent whose time may be left out (it is then NOW). */
type EventAt = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'now'> & { now?: number } : never) : never;

/** Applies an event at NOW with the test rules. */
export function step(run: Run, event: EventAt) {
  return transition(run, { now: NOW, ...event }, rules);
}

/** The types of a transition's effects, in order. */
export function effectTypes(t: { effects: { type: string }[] }): string[] {
  return t.effects.map((e) => e.type);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
