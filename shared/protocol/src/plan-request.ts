import { z } from 'zod';
import { CommitId, RunId, V } from './ids.js';
import { Failure, TestReport } from './work.js';
import { Plan, Subtask } from './plan.js';
import { PlanRef } from './run.js';
import { RunSpec } from './run-spec.js';

/** The coordinator asks for a plan (`baton.plan.request`). */
export const PlanRequest = z.strictObject({
  v: V,
  runId: RunId,
  spec: RunSpec,
  baseCommit: CommitId,
  /** Local path the planner may read (embedded, or shared disk). */
  repoPath: z.string().min(1),
  /** When set, a re-plan after failures: return repair subtasks. */
  repair: z
    .strictObject({
      failed: Subtask,
      report: TestReport.optional(),
      failures: z.array(Failure).default([]),
      conflict: z.string().optional(),
      /** Diff already on the integration branch (a recipe's output) for context. */
      diff: z.string().optional(),
      headCommit: CommitId,
      existingIds: z.array(z.string()).default([]),
    })
    .optional(),
});
/** A plan request. */
export type PlanRequest = z.infer<typeof PlanRequest>;

/**
 * The planner's answer: the plan, or, when it is too large for a message (a rename over tens of thousands of files;
 * NATS's max_payload is 1 MiB by default), a reference to it in the plans object bucket (RunPlans), where the
 * coordinator records it under the same name.
 */
export const PlanReply = z.union([z.strictObject({ v: V, plan: Plan }), z.strictObject({ v: V, planRef: PlanRef })]);
/** The planner's answer. */
export type PlanReply = z.infer<typeof PlanReply>;
