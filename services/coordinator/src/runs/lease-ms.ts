import type { Run } from '@baton/protocol';

/**
 * How long an attempt of the subtask may take before its lease runs out: its wall-time budget (the plan's, else the
 * run's per-subtask one) and a minute to report, or the coordinator's default lease when neither sets one.
 */
export function leaseMsOf(run: Run, subtaskId: string, defaultLeaseMs: number): number {
  const subtask = run.plan?.subtasks.find((s) => s.id === subtaskId);
  const wall = subtask?.budget.maxWallMs ?? run.spec.limits.perSubtask.maxWallMs;
  return wall !== undefined ? wall + 60_000 : defaultLeaseMs;
}
