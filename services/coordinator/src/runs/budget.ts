import type { Run, StopReason } from '@baton/protocol';

/** A budget the run has exhausted, with a sentence for the user; null while within every budget. */
export function exceededBudget(run: Run, now: number): { reason: StopReason; detail: string } | null {
  const l = run.spec.limits;
  const u = run.usage;
  if (u.inputTokens + u.outputTokens > l.maxTokens) {
    return { reason: 'budget_tokens', detail: `used ${u.inputTokens + u.outputTokens} tokens, budget ${l.maxTokens}` };
  }
  if (u.costUsd > l.maxCostUsd)
    return { reason: 'budget_cost', detail: `cost $${u.costUsd.toFixed(4)}, budget $${l.maxCostUsd}` };
  if (now - run.createdAt > l.maxWallMs)
    return {
      reason: 'budget_wall_time',
      detail: `ran ${Math.round((now - run.createdAt) / 1000)} s, budget ${Math.round(l.maxWallMs / 1000)} s`,
    };
  const count = Object.keys(run.subtasks).length;
  if (count > l.maxSubtasks) return { reason: 'budget_subtasks', detail: `${count} subtasks, budget ${l.maxSubtasks}` };
  return null;
}
