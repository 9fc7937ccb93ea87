import type { Run, Subtask, SubtaskStatus } from '@baton/protocol';

/** States that free a subtask's dependents: merged, succeeded (nothing to merge), skipped (superseded by repairs). */
export const DONE: ReadonlySet<SubtaskStatus> = new Set(['merged', 'succeeded', 'skipped']);
/** States of a subtask with an attempt out: dispatched, or its Result being merged. */
export const ACTIVE: ReadonlySet<SubtaskStatus> = new Set(['dispatched', 'merging']);

/** How many of the run's subtasks have an attempt out. */
export function activeCount(run: Run): number {
  let n = 0;
  for (const id in run.subtasks) if (ACTIVE.has(run.subtasks[id]!.status)) n++;
  return n;
}

/** True when every dependency of `subtask` is done in the run's record. */
function depsDone(run: Run, subtask: Subtask): boolean {
  return subtask.deps.every((d) => DONE.has(run.subtasks[d]?.status ?? 'pending'));
}

/** The pending subtasks whose dependencies are all done, in plan order. */
export function readySubtasks(run: Run): Subtask[] {
  return (run.plan?.subtasks ?? []).filter((s) => run.subtasks[s.id]?.status === 'pending' && depsDone(run, s));
}

/** True when some pending subtask can still run: it does not wait, directly or through others, on one that failed. */
export function anyPendingCanRun(run: Run): boolean {
  const plan = run.plan?.subtasks ?? [];
  const byId = new Map(plan.map((s) => [s.id, s]));
  const reachable = (s: Subtask, seen: Set<string>): boolean => {
    if (seen.has(s.id)) return true;
    seen.add(s.id);
    return s.deps.every((d) => {
      if (run.subtasks[d]?.status === 'failed') return false;
      const dep = byId.get(d);
      return dep === undefined || reachable(dep, seen);
    });
  };
  return plan.some((s) => run.subtasks[s.id]?.status === 'pending' && reachable(s, new Set()));
}
