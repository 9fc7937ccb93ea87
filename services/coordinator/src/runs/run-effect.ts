import type { Result, RunStatus, StopReason, Subtask, WorkItem } from '@baton/protocol';

/**
 * What a transition asks the world to do, as data; the controller performs them in order, those that reach
 * outside only once the run's record they depend on is written (see `needsRecord`).
 */
export type RunEffect =
  /** Ask the planner for the run's plan (answered by planReceived or planFailed). */
  | { type: 'requestPlan' }
  /** Dispatch what is ready and fits (answered by dispatched). */
  | { type: 'pump' }
  /** Publish the items of attempts just recorded as dispatched. */
  | { type: 'publish'; items: readonly WorkItem[] }
  /** Merge a Result onto the run's branch (answered by mergeOutcome). */
  | { type: 'merge'; result: Result; attempt: number; title: string }
  /** Ask the planner for subtasks repairing `failed` (answered by repairPlanReceived or repairFailed). */
  | { type: 'requestRepair'; failed: Subtask; result: Result; conflict: string | undefined }
  /** Start an attempt's lease (answered by leaseExpired when it runs out). */
  | { type: 'armLease'; subtaskId: string; attempt: number; ms: number }
  /** Stop a subtask's lease: its Result came. */
  | { type: 'clearLease'; subtaskId: string }
  /** Tell the coordinator's shared gate how many subtasks the run has in flight. */
  | { type: 'reportActive'; count: number }
  /** Pause model work for every run. */
  | { type: 'pauseModel'; ms: number }
  /** Stop the run (the branch head is read, then finished). */
  | { type: 'finish'; status: RunStatus; reason: StopReason; detail: string }
  /** Release what merging the run held; the branch stays. */
  | { type: 'closeBranch' }
  /** Tell workers to stop the run's work in hand. */
  | { type: 'publishWorkCancel'; reason: string }
  /** Tell the coordinator the run reached its final status. */
  | { type: 'notifyFinished' }
  /** A line for the operator's log. */
  | { type: 'log'; level: 'info' | 'warn'; message: string; data?: Record<string, unknown> };

/**
 * Effects that reach outside the coordinator (or wait on it for long) and so run only after the record they depend on
 * is written: a plan or repair request (minutes with a model: the record says so meanwhile), a merge (recorded as
 * `merging` first), a publish (its dispatch recorded first), releasing the branch (the final record written first).
 */
export function needsRecord(effect: RunEffect): boolean {
  return (
    effect.type === 'requestPlan' ||
    effect.type === 'merge' ||
    effect.type === 'requestRepair' ||
    effect.type === 'publish' ||
    effect.type === 'closeBranch'
  );
}
