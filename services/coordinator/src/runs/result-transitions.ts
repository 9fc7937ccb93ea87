import { addUsage, type Result, type Run } from '@baton/protocol';
import { InvalidDiffError } from '../errors.js';
import type { MergeOutcome } from '../merge/merge-outcome.js';
import { exceededBudget } from './budget.js';
import { repairOrGiveUp, subtaskFailed } from './failure-transitions.js';
import type { RunRules } from './run-event.js';
import { patchSubtask, recordedError } from './run-patch.js';
import { thenPump, unchanged, type Transition } from './transition.js';

/**
 * A worker's Result. Only the current attempt's counts: a stale one's tokens are counted (once) and it is rejected;
 * a duplicate of one already handled is dropped. A current one's usage is recorded with where it goes next: a
 * failure to the failure rules, nothing to merge (a tester, an empty diff) to done, a diff to `merging` and the
 * merge. A Result found `merging` is one whose merge a coordinator restart interrupted: merged again (the ledger
 * and the branch's trailers make a landed merge a duplicate), its usage already counted.
 */
export function resultReceived(
  run: Run,
  result: Result,
  countStale: boolean,
  rules: RunRules,
  now: number,
): Transition {
  const st = run.subtasks[result.subtaskId];
  const subtask = run.plan?.subtasks.find((s) => s.id === result.subtaskId);
  const where = { subtaskId: result.subtaskId, attempt: result.attempt };
  if (!st || !subtask) {
    return unchanged(run, {
      type: 'log',
      level: 'warn',
      message: 'result for a subtask not in the plan: dropped',
      data: where,
    });
  }
  if (result.attempt !== st.attempt) {
    const rejected = {
      type: 'log' as const,
      level: 'info' as const,
      message: 'result of a stale attempt: rejected',
      data: { ...where, current: st.attempt },
    };
    // Its tokens were spent all the same: they count toward the run's budgets.
    return countStale
      ? { run: { ...run, usage: addUsage(run.usage, result.usage) }, effects: [rejected] }
      : unchanged(run, rejected);
  }
  const interruptedMerge = st.status === 'merging';
  if (st.status !== 'dispatched' && !interruptedMerge) {
    return unchanged(run, {
      type: 'log',
      level: 'info',
      message: 'result already handled: duplicate dropped',
      data: { ...where, status: st.status },
    });
  }
  const effects: Transition['effects'] = [{ type: 'clearLease', subtaskId: subtask.id }];
  const nothingToMerge = subtask.kind === 'tester' || (result.diff.trim() === '' && result.diffRef === undefined);
  let next = run;
  if (interruptedMerge) {
    effects.push({
      type: 'log',
      level: 'info',
      message: 'resuming a merge interrupted by a coordinator restart',
      data: where,
    });
  } else {
    next = patchSubtask(run, subtask.id, {
      usage: addUsage(st.usage, result.usage),
      ...(!result.ok
        ? {}
        : nothingToMerge
          ? { status: 'succeeded', updatedAt: now, filesChanged: 0 }
          : { status: 'merging', updatedAt: now }),
    });
    next.usage = addUsage(run.usage, result.usage);
  }
  const over = exceededBudget(next, now);
  if (over)
    return {
      run: next,
      effects: [...effects, { type: 'finish', status: 'failed', reason: over.reason, detail: over.detail }],
    };
  if (!result.ok) {
    const failed = subtaskFailed(next, subtask, result, rules);
    return { run: failed.run, effects: [...effects, ...failed.effects] };
  }
  if (nothingToMerge) return { run: next, effects: [...effects, { type: 'pump' }] };
  return { run: next, effects: [...effects, { type: 'merge', result, attempt: st.attempt, title: subtask.title }] };
}

/**
 * What merging a Result did: merged (or found merged before) makes the subtask done and moves the run's head; a
 * conflict re-dispatches the subtask on the new head up to `maxConflictRetries` times, then asks the planner for a
 * resolve subtask; a diff git cannot read fails the attempt like any failure; a stale attempt changes nothing.
 */
export function mergeOutcome(
  run: Run,
  result: Result,
  outcome: MergeOutcome,
  rules: RunRules,
  now: number,
): Transition {
  const id = result.subtaskId;
  const subtask = run.plan!.subtasks.find((s) => s.id === id)!;
  const pump = { type: 'pump' as const };
  switch (outcome.kind) {
    case 'merged':
    case 'duplicate': {
      const commit = outcome.commit ?? undefined;
      const next = patchSubtask(run, id, {
        status: 'merged',
        updatedAt: now,
        filesChanged: outcome.kind === 'merged' ? outcome.files.length : result.filesChanged.length,
        ...(commit ? { mergedCommit: commit } : {}),
      });
      if (commit) next.headCommit = commit;
      return { run: next, effects: [pump] };
    }
    case 'stale':
      return unchanged(
        run,
        { type: 'log', level: 'info', message: 'merger rejected a stale attempt', data: { subtaskId: id } },
        pump,
      );
    case 'conflict': {
      const conflicts = run.subtasks[id]!.conflicts + 1;
      const log = {
        type: 'log' as const,
        level: 'info' as const,
        message: 'merge conflict',
        data: { subtaskId: id, files: outcome.files, conflicts },
      };
      if (conflicts <= rules.maxConflictRetries) {
        return { run: patchSubtask(run, id, { conflicts, status: 'pending', updatedAt: now }), effects: [log, pump] };
      }
      const conflict = `${outcome.detail}\nfiles: ${outcome.files.join(', ')}`;
      const next = thenPump(repairOrGiveUp(patchSubtask(run, id, { conflicts }), subtask, result, conflict));
      return { run: next.run, effects: [log, ...next.effects] };
    }
    case 'invalid':
      return subtaskFailed(
        run,
        subtask,
        { ...result, error: recordedError(new InvalidDiffError(result.attempt, outcome.detail)) },
        rules,
      );
  }
}
