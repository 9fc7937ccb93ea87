import type { PlanRequest, Result, Run, Subtask } from '@baton/protocol';
import { failureDiff } from './failure-report.js';

/** What the planner is told of a failure to repair: the failed subtask, its failures and report, and the merged change of the failing files. */
export async function repairRequestOf(
  run: Run,
  head: string,
  failed: Subtask,
  result: Result,
  conflict: string | undefined,
): Promise<NonNullable<PlanRequest['repair']>> {
  const failures = result.testReport?.failures ?? [];
  return {
    failed,
    ...(result.testReport ? { report: result.testReport } : {}),
    failures,
    ...(conflict ? { conflict } : {}),
    diff: (await failureDiff(run.spec.repo.path, run.baseCommit!, head, failures)).slice(0, 150_000),
    headCommit: head,
    existingIds: Object.keys(run.subtasks),
  };
}
