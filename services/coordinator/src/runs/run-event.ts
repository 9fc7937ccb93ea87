import type { Plan, Result, RunStatus, StopReason, WorkItem } from '@baton/protocol';
import type { MergeOutcome } from '../merge/merge-outcome.js';

/**
 * What can happen to a run, as data: the input of `transition`. Every event carries the time it happened, so a
 * transition is a pure function of the run and the event (and replaying it on a re-read record gives the same change).
 */
export type RunEvent =
  /** The run starts planning. */
  | { type: 'planning'; now: number }
  /** The planner answered with the run's plan. */
  | { type: 'planReceived'; plan: Plan; now: number }
  /** The planner could not plan (not because the run was interrupted). */
  | { type: 'planFailed'; message: string; now: number }
  /** A worker's Result; `countStale` is false when a copy of the same stale Result was already counted. */
  | { type: 'resultReceived'; result: Result; countStale: boolean; now: number }
  /** What merging a Result (recorded as merging) did. */
  | { type: 'mergeOutcome'; result: Result; outcome: MergeOutcome; now: number }
  /** The planner answered a repair request for `failedId` with repair subtasks. */
  | { type: 'repairPlanReceived'; failedId: string; plan: Plan; now: number }
  /** The planner could not repair `failedId` (not because the run was interrupted). */
  | { type: 'repairFailed'; failedId: string; result: Result; message: string; now: number }
  /** The lease of an attempt ran out after `leaseMs`. */
  | { type: 'leaseExpired'; subtaskId: string; attempt: number; leaseMs: number; now: number }
  /** The dispatcher built these attempts' items (possibly none): they are recorded, then published. */
  | { type: 'dispatched'; items: readonly WorkItem[]; now: number }
  /** The run's wall time may be up. */
  | { type: 'budgetCheck'; now: number }
  /** A user cancelled the run. */
  | { type: 'cancel'; reason: string; now: number }
  /** The run stops for good; `head` is its branch's head, when it could be read. */
  | { type: 'finished'; status: RunStatus; reason: StopReason; detail: string; head: string | undefined; now: number }
  /** The final record was over the bus's limit: it is written without the subtasks' errors. */
  | { type: 'recordTrimmed'; bytes: number; limit: number; now: number };

/** The settings of a coordinator that a run's transitions read (the rest comes from the run's own spec). */
export interface RunRules {
  /** Conflict re-dispatches of one subtask before the planner is asked for a resolve subtask. */
  maxConflictRetries: number;
  /** Pause of model work when a worker reports 429/529 without a retry-after. */
  modelBackoffMs: number;
  /** How long an attempt may take (when its budget sets no wall time) before it is re-dispatched as a new attempt. */
  leaseMs: number;
  /** The largest message the bus carries: the run's record must fit in one. */
  maxPayload: number;
}
