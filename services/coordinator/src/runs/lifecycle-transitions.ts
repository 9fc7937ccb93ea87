import type { Plan, Run, RunStatus, StopReason, WorkItem } from '@baton/protocol';
import { exceededBudget } from './budget.js';
import { leaseMsOf } from './lease-ms.js';
import { activeCount, isActive, isDone, scheduleOf } from './run-dag.js';
import type { RunRules } from './run-event.js';
import { newSubtaskState, recordOverflow } from './run-record-size.js';
import { trustedCommandsOf } from './work-item.js';
import { patchSubtasks } from './run-patch.js';
import { unchanged, type Transition } from './transition.js';

/** The run starts planning. */
export function planning(run: Run): Transition {
  return { run: { ...run, status: 'planning' }, effects: [{ type: 'requestPlan' }] };
}

/**
 * The planner's plan: accepted (every subtask pending, the run running, its trusted commands derived) unless it
 * has more subtasks than the budget, or more than one record on this bus can hold.
 */
export function planReceived(run: Run, plan: Plan, rules: RunRules, now: number): Transition {
  const limit = run.spec.limits.maxSubtasks;
  const tooLarge =
    plan.subtasks.length > limit
      ? `the plan has ${plan.subtasks.length} subtasks, budget ${limit}`
      : recordOverflow(run, plan, rules.maxPayload, now);
  if (tooLarge)
    return unchanged(run, { type: 'finish', status: 'failed', reason: 'budget_subtasks', detail: tooLarge });
  const subtasks: Run['subtasks'] = { ...run.subtasks };
  for (const s of plan.subtasks) subtasks[s.id] = newSubtaskState(now);
  return {
    run: { ...run, plan, trustedCommands: trustedCommandsOf(run.spec, plan), status: 'running', subtasks },
    effects: [
      { type: 'log', level: 'info', message: 'plan accepted', data: { subtasks: plan.subtasks.length } },
      { type: 'pump' },
    ],
  };
}

/** The planner could not plan: the run fails. */
export function planFailed(run: Run, message: string): Transition {
  return unchanged(run, {
    type: 'finish',
    status: 'failed',
    reason: 'plan_failed',
    detail: `planning failed: ${message}`,
  });
}

/**
 * Attempts the dispatcher built are recorded as dispatched (their items are published once that is written, and
 * each takes a lease); then the run finishes when every subtask is done, or when nothing is out and nothing left can
 * run (the failures that block it are the detail).
 */
export function dispatched(run: Run, items: readonly WorkItem[], rules: RunRules, now: number): Transition {
  const next =
    items.length === 0
      ? run
      : patchSubtasks(
          run,
          items.map(
            (item) => [item.subtask.id, { status: 'dispatched', attempt: item.attempt, updatedAt: now }] as const,
          ),
        );
  const effects: Transition['effects'] = [];
  if (items.length > 0) effects.push({ type: 'publish', items });
  for (const item of items) {
    const ms = leaseMsOf(next, item.subtask.id, rules.leaseMs);
    effects.push({ type: 'armLease', subtaskId: item.subtask.id, attempt: item.attempt, ms });
  }
  effects.push({ type: 'reportActive', count: activeCount(next) });
  const states = Object.values(next.subtasks);
  if (states.every((s) => isDone(s.status))) {
    const detail = `${states.filter((s) => s.status !== 'skipped').length} subtasks done`;
    effects.push({ type: 'finish', status: 'succeeded', reason: 'success', detail });
  } else if (!states.some((s) => isActive(s.status)) && !scheduleOf(next).canProgress) {
    const failed = Object.entries(next.subtasks).filter(([, s]) => s.status === 'failed');
    const detail = failed.map(([id, s]) => `${id}: ${s.error?.message ?? 'failed'}`).join('\n') || 'no subtask can run';
    effects.push({ type: 'finish', status: 'failed', reason: 'unrepairable_failure', detail });
  }
  return { run: next, effects };
}

/** The run stops when it is over a budget (its wall time, say). */
export function budgetCheck(run: Run, now: number): Transition {
  const over = exceededBudget(run, now);
  return over
    ? unchanged(run, { type: 'finish', status: 'failed', reason: over.reason, detail: over.detail })
    : unchanged(run);
}

/** A user cancelled the run: it stops, its branch kept. */
export function cancel(run: Run, reason: string): Transition {
  return unchanged(run, { type: 'finish', status: 'cancelled', reason: 'cancelled', detail: reason });
}

/**
 * The run's final record: its status and why, the branch's head, and every subtask not done or failed cancelled;
 * then its branch is released, workers told to drop its work in hand (unless it succeeded), and the coordinator told.
 */
export function finished(
  run: Run,
  status: RunStatus,
  reason: StopReason,
  detail: string,
  head: string | undefined,
  now: number,
): Transition {
  const subtasks: Run['subtasks'] = {};
  for (const [id, s] of Object.entries(run.subtasks))
    subtasks[id] = s.status === 'pending' || isActive(s.status) ? { ...s, status: 'cancelled' } : s;
  return {
    run: {
      ...run,
      status,
      stopReason: reason,
      detail,
      finishedAt: now,
      ...(head ? { headCommit: head } : {}),
      subtasks,
    },
    effects: [
      { type: 'closeBranch' },
      ...(status === 'succeeded' ? [] : [{ type: 'publishWorkCancel' as const, reason: detail }]),
      { type: 'log', level: 'info', message: 'run finished', data: { status, reason, detail } },
      { type: 'notifyFinished' },
    ],
  };
}

/**
 * The final record outgrew a message (the errors of many failed subtasks): it is written without the subtasks'
 * errors, so the run still stops rather than staying unfinished with every write failing.
 */
export function recordTrimmed(run: Run, bytes: number, limit: number): Transition {
  const subtasks: Run['subtasks'] = {};
  for (const [id, { error: _error, ...s }] of Object.entries(run.subtasks)) subtasks[id] = s;
  const detail = `${(run.detail ?? '').slice(0, 2_000)}\n(the subtasks' errors are left out of this record: with them it was ${bytes} bytes, over the bus's limit of ${limit})`;
  return unchanged({ ...run, subtasks, detail });
}
