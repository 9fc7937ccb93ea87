import { z } from 'zod';
import { CommitId, RunId, SubtaskId, Timestamp, V } from './ids.js';
import { ErrorData } from './error-data.js';
import { Plan } from './plan.js';
import { RunSpec } from './run-spec.js';
import { Usage } from './usage.js';

/** Lifecycle of a run, one state each. Final: succeeded, failed, cancelled. */
export const RunStatus = {
  /** accepted, not yet planned */
  queued: 'queued',
  /** waiting for the planner */
  planning: 'planning',
  /** subtasks dispatched and merging */
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const;
/** Lifecycle of a run. */
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];
/** Schema of a RunStatus. */
export const RunStatusSchema = z.enum(['queued', 'planning', 'running', 'succeeded', 'failed', 'cancelled']);

/** True when a run has stopped for good (succeeded, failed or cancelled). */
export function isFinalStatus(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

/** Why a run stopped. */
export const StopReason = z.enum([
  'success',
  'cancelled',
  'budget_tokens',
  'budget_cost',
  'budget_wall_time',
  'budget_retries',
  'budget_subtasks',
  'plan_failed',
  'unrepairable_failure',
  'environment_setup_failed',
  'internal_error',
]);
/** Why a run stopped. */
export type StopReason = z.infer<typeof StopReason>;

/** Lifecycle of a subtask within a run. */
export const SubtaskStatusSchema = z.enum([
  'pending',
  'dispatched',
  'merging',
  'merged',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
]);
/** Lifecycle of a subtask within a run. */
export type SubtaskStatus = z.infer<typeof SubtaskStatusSchema>;

/** A subtask's progress as the coordinator records it. */
export const SubtaskState = z.strictObject({
  status: SubtaskStatusSchema,
  attempt: z.number().int().nonnegative(),
  /** Re-dispatches caused by merge conflicts. */
  conflicts: z.number().int().nonnegative().default(0),
  mergedCommit: CommitId.optional(),
  filesChanged: z.number().int().nonnegative().default(0),
  usage: Usage,
  error: ErrorData.optional(),
  updatedAt: Timestamp,
});
/** A subtask's progress. */
export type SubtaskState = z.infer<typeof SubtaskState>;

/** A run as recorded in KV and shown to users. */
export const Run = z.strictObject({
  v: V,
  id: RunId,
  spec: RunSpec,
  status: RunStatusSchema,
  stopReason: StopReason.optional(),
  /** Human-readable detail of the stop (the errors, the budget hit). */
  detail: z.string().optional(),
  baseCommit: CommitId.optional(),
  branch: z.string().optional(),
  headCommit: CommitId.optional(),
  plan: Plan.optional(),
  /** Commands the user configured or a recipe planner derived (never a model): workers run them without asking; deny rules still apply. */
  trustedCommands: z.array(z.string()).default([]),
  subtasks: z.record(SubtaskId, SubtaskState).default({}),
  /**
   * Repair plans accepted so far (bounded by the retries budget). Absent in records written before it was counted:
   * those counted the subtasks skipped as superseded by a repair.
   */
  repairs: z.number().int().nonnegative().optional(),
  usage: Usage,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Timestamp.optional(),
});
/** A run. */
export type Run = z.infer<typeof Run>;

/** Where a run's plan is kept: an object of the plans bucket, named by the plan's content. */
export const PlanRef = z.strictObject({
  object: z
    .string()
    .regex(/^[^\s*>]+$/)
    .max(512),
  subtasks: z.number().int().nonnegative(),
});
/** Where a run's plan is kept. */
export type PlanRef = z.infer<typeof PlanRef>;

/**
 * A run as the runs KV bucket holds it: the Run with its plan referenced, not inlined. A plan holds every path of a
 * large change (hundreds of kilobytes) and changes only when the run is planned or repaired, while the record is
 * rewritten on every state change: inlined, each of those writes carried the whole plan, and a plan past the
 * server's max_payload (1 MiB: ~15,000 files) could not be recorded at all. `plan` is only ever present in records
 * written before plans were stored apart (they are still read; the next write moves the plan out).
 */
export const RunRecord = Run.extend({ planRef: PlanRef.optional() });
/** A run as the runs KV bucket holds it. */
export type RunRecord = z.infer<typeof RunRecord>;

/** Reply to a submit: the run id, or the validation errors. */
export const SubmitReply = z.strictObject({ v: V, runId: RunId, branch: z.string() });
/** Reply to a submit. */
export type SubmitReply = z.infer<typeof SubmitReply>;

/** Ask the coordinator to cancel a run. */
export const CancelRequest = z.strictObject({
  v: V,
  runId: RunId,
  reason: z.string().max(1000).default('cancelled by user'),
});
/** Ask the coordinator to cancel a run. */
export type CancelRequest = z.infer<typeof CancelRequest>;

/** Coordinator -> workers: stop the work of a run in hand (`baton.work-cancel.<runId>`). */
export const WorkCancel = z.strictObject({ v: V, runId: RunId, reason: z.string().max(10_000) });
/** Stop the work of a run in hand. */
export type WorkCancel = z.infer<typeof WorkCancel>;

/** Runs `runs.list` answers with when the query sets no limit. */
export const RUN_LIST_DEFAULT_LIMIT = 100;

/**
 * Ask the coordinator for one run (`runs.<id>.get`) or the newest runs (`runs.list`, runId absent; at most `limit`,
 * default RUN_LIST_DEFAULT_LIMIT).
 */
export const RunQuery = z.strictObject({
  v: V,
  runId: RunId.optional(),
  limit: z.number().int().positive().max(1_000).optional(),
});
/** A run query. */
export type RunQuery = z.infer<typeof RunQuery>;

/**
 * A run as `runs.list` shows it: the run without its plan, its subtasks' states or its trusted commands, with how
 * many subtasks are in each status and how many files were merged. A list of whole records outgrew one message
 * (max_payload, 1 MiB by default) after a few dozen runs of a few hundred subtasks.
 */
export const RunSummary = Run.omit({ plan: true, subtasks: true, trustedCommands: true }).extend({
  subtaskCounts: z.partialRecord(SubtaskStatusSchema, z.number().int().nonnegative()),
  mergedFiles: z.number().int().nonnegative(),
});
/** A run as `runs.list` shows it. */
export type RunSummary = z.infer<typeof RunSummary>;

/** The summary of a run (or of its record). */
export function summarizeRun(run: Run | RunRecord): RunSummary {
  const { plan: _plan, planRef: _ref, subtasks, trustedCommands: _trusted, ...rest } = run as RunRecord;
  const subtaskCounts: RunSummary['subtaskCounts'] = {};
  let mergedFiles = 0;
  for (const s of Object.values(subtasks)) {
    subtaskCounts[s.status] = (subtaskCounts[s.status] ?? 0) + 1;
    if (s.status === 'merged') mergedFiles += s.filesChanged;
  }
  return { ...rest, subtaskCounts, mergedFiles };
}

/** The newest runs, newest first, as summaries (`runs.<id>.get` gives a run's record); `total` counts every run. */
export const RunList = z.strictObject({ v: V, runs: z.array(RunSummary), total: z.number().int().nonnegative() });
/** Runs, newest first. */
export type RunList = z.infer<typeof RunList>;
