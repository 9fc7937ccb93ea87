import {
  ENVIRONMENT_SETUP_FAILED,
  WireErrorName,
  type ErrorData,
  type Plan,
  type Result,
  type Run,
  type Subtask,
} from '@baton/protocol';
import { LeaseExpiredError, SubtaskFailedError, SupersededError } from '../errors.js';
import { describeFailedCommand, formatFailures } from './failure-text.js';
import { newSubtaskState } from './run-record-size.js';
import type { RunRules } from './run-event.js';
import { patchSubtask, recordedError } from './run-patch.js';
import { thenPump, unchanged, type Transition } from './transition.js';

/**
 * Repair plans the run accepted: its count, or in a record written before it was counted, the subtasks skipped as
 * superseded by a repair (the same number: each accepted repair plan supersedes one subtask).
 */
export function repairsOf(run: Run): number {
  if (run.repairs !== undefined) return run.repairs;
  let n = 0;
  for (const id in run.subtasks) {
    const st = run.subtasks[id]!;
    if (st.status === 'skipped' && st.error?.name === SupersededError.wireName) n++;
  }
  return n;
}

/** The error a failed subtask's record keeps: its Result's own, else its failures or stop. */
function failureOf(result: Result): ErrorData {
  return result.error ?? recordedError(new SubtaskFailedError(result.stop, formatFailures(result)));
}

/**
 * A subtask's attempt failed: a tester that found failing tests goes to the planner for repairs; anything else is
 * retried while within the retries budget (unless the worker cancelled it), then fails the subtask, and the run when
 * that was over the budget. A model API overload pauses model work for every run.
 */
export function subtaskFailed(run: Run, subtask: Subtask, result: Result, rules: RunRules): Transition {
  const st = run.subtasks[subtask.id]!;
  const error =
    result.error ??
    recordedError(
      new SubtaskFailedError(result.stop, `${subtask.kind} stopped: ${result.stop}${describeFailedCommand(result)}`),
    );
  // Preparing the environment failed: every attempt would run the same command on the same files. No retry, no repair.
  if (error.name === ENVIRONMENT_SETUP_FAILED) {
    return {
      run: patchSubtask(run, subtask.id, { status: 'failed', error }),
      effects: [{ type: 'finish', status: 'failed', reason: 'environment_setup_failed', detail: error.message }],
    };
  }
  const effects: Transition['effects'] = [];
  if (error.name === WireErrorName.modelOverloaded) {
    const ms = typeof error.data?.retryAfterMs === 'number' ? error.data.retryAfterMs : rules.modelBackoffMs;
    effects.push(
      { type: 'pauseModel', ms },
      {
        type: 'log',
        level: 'warn',
        message: 'model API overloaded: pausing model work for every run',
        data: { subtaskId: subtask.id, pauseMs: ms },
      },
    );
  }
  const limit = run.spec.limits.maxRetriesPerSubtask;
  if (subtask.kind === 'tester' && result.testReport && result.testReport.failed > 0) {
    const next = thenPump(repairOrGiveUp(patchSubtask(run, subtask.id, { error }), subtask, result, undefined));
    return { run: next.run, effects: [...effects, ...next.effects] };
  }
  if (st.attempt <= limit && result.stop !== 'cancelled') {
    effects.push(
      {
        type: 'log',
        level: 'info',
        message: 'subtask failed: retrying',
        data: { subtaskId: subtask.id, stop: result.stop, error },
      },
      { type: 'pump' },
    );
    return { run: patchSubtask(run, subtask.id, { status: 'pending', error }), effects };
  }
  const failed = patchSubtask(run, subtask.id, { status: 'failed', error });
  if (st.attempt > limit) {
    const detail = `${subtask.id} failed ${st.attempt} times; last: ${error.message}`;
    return {
      run: failed,
      effects: [...effects, { type: 'finish', status: 'failed', reason: 'budget_retries', detail }],
    };
  }
  return { run: failed, effects: [...effects, { type: 'pump' }] };
}

/**
 * Asks the planner for repair subtasks replacing `failed` while the run has repairs left (bounded by the retries
 * budget, counted on the run so a restart does not reset it); the run fails with the failures once it has none.
 */
export function repairOrGiveUp(run: Run, failed: Subtask, result: Result, conflict: string | undefined): Transition {
  const repairs = repairsOf(run);
  if (repairs < run.spec.limits.maxRetriesPerSubtask) {
    return unchanged(run, { type: 'requestRepair', failed, result, conflict });
  }
  return {
    run: patchSubtask(run, failed.id, { status: 'failed', error: failureOf(result) }),
    effects: [
      {
        type: 'finish',
        status: 'failed',
        reason: 'unrepairable_failure',
        detail: `gave up after ${repairs} repairs:\n${formatFailures(result)}`,
      },
    ],
  };
}

/**
 * The planner's repair subtasks replace the failed one: it is skipped as superseded (done), whatever waited for it
 * waits for the repairs too, and repairs with no dependencies of their own come after it, so they start from the
 * branch head where the work they repair was merged, not from the run's base.
 */
export function repairPlanReceived(run: Run, failedId: string, plan: Plan, now: number): Transition {
  const repairIds = plan.subtasks.map((s) => s.id);
  const rewired = run.plan!.subtasks.map((s) =>
    s.deps.includes(failedId) ? { ...s, deps: [...new Set([...s.deps, ...repairIds])] } : s,
  );
  const repairs = plan.subtasks.map((s) => (s.deps.length === 0 ? { ...s, deps: [failedId] } : s));
  const skipped = patchSubtask(run, failedId, {
    status: 'skipped',
    error: recordedError(new SupersededError(repairIds)),
  });
  const subtasks = { ...skipped.subtasks };
  for (const s of repairs) subtasks[s.id] = newSubtaskState(now);
  return {
    run: {
      ...skipped,
      plan: { ...run.plan!, subtasks: [...rewired, ...repairs] },
      subtasks,
      repairs: repairsOf(run) + 1,
    },
    effects: [
      {
        type: 'log',
        level: 'info',
        message: 'repair subtasks planned',
        data: { failed: failedId, repairs: repairIds },
      },
    ],
  };
}

/** The planner could not repair the subtask: it fails, and the run with it. */
export function repairFailed(run: Run, failedId: string, result: Result, message: string): Transition {
  return {
    run: patchSubtask(run, failedId, { status: 'failed', error: failureOf(result) }),
    effects: [
      {
        type: 'finish',
        status: 'failed',
        reason: 'unrepairable_failure',
        detail: `${message}\n${formatFailures(result)}`,
      },
    ],
  };
}

/**
 * An attempt's lease ran out with no Result: the subtask is dispatched again as a new attempt (a late Result of the
 * old one is then stale), unless that attempt was already past the retries budget. A lease of an attempt no longer
 * current (its Result came, or a newer attempt is out) changes nothing.
 */
export function leaseExpired(run: Run, subtaskId: string, attempt: number, leaseMs: number, now: number): Transition {
  const st = run.subtasks[subtaskId];
  if (st?.status !== 'dispatched' || st.attempt !== attempt) return unchanged(run);
  const log = {
    type: 'log' as const,
    level: 'warn' as const,
    message: 'attempt lease expired: dispatching a new attempt',
    data: { subtaskId, attempt },
  };
  if (attempt > run.spec.limits.maxRetriesPerSubtask) {
    const detail = `${subtaskId}: ${attempt} attempts ran out of time`;
    return unchanged(run, log, { type: 'finish', status: 'failed', reason: 'budget_retries', detail });
  }
  const error = recordedError(new LeaseExpiredError(attempt, leaseMs));
  return {
    run: patchSubtask(run, subtaskId, { status: 'pending', updatedAt: now, error }),
    effects: [log, { type: 'pump' }],
  };
}
