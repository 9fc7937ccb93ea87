import type { Plan, RepoSource, Run, RunSpec, Subtask, WorkItem } from '@baton/protocol';

/** Subtasks that call the model: editors without an edit program. */
export function usesModel(s: Subtask): boolean {
  return s.kind === 'editor' && s.program === undefined;
}

/**
 * The commands a run trusts (they run without a permission check; deny rules still apply): the user's test commands,
 * the recipe's command, and the commands of a recipe plan, made without a model from the user's input or the
 * repository's manifests. A model's commands are never trusted.
 */
export function trustedCommandsOf(spec: RunSpec, plan: Plan): string[] {
  const trusted = new Set(spec.testCommands ?? []);
  if (spec.recipe?.kind === 'command') trusted.add(spec.recipe.command);
  if (spec.recipe?.kind === 'codemod' && spec.recipe.command) trusted.add(spec.recipe.command);
  if (spec.recipe) for (const s of plan.subtasks) for (const c of s.commands ?? []) trusted.add(c);
  return [...trusted];
}

/** The work item of one attempt of `subtask`, to run on `baseCommit` (found through `repo`). */
export function buildWorkItem(
  run: Run,
  subtask: Subtask,
  attempt: number,
  baseCommit: string,
  repo: RepoSource,
): WorkItem {
  return {
    v: 1,
    runId: run.id,
    attempt,
    subtask: withRunBudget(subtask, run),
    baseCommit,
    repo,
    policy: run.spec.policy ?? { mode: 'default', allow: [], ask: [], deny: [], askTimeoutMs: 15 * 60_000 },
    testCommands: run.spec.testCommands ?? [],
    trustedCommands: trustedFor(subtask, run),
    ...(run.spec.environment ? { environment: run.spec.environment } : {}),
    issuedAt: Date.now(),
  };
}

/**
 * The run's trusted commands an item needs. An editor's model may run any of them (a package's tests, say). A shell or
 * tester runs its own commands and the run's test commands only: a command recipe over 2,000 packages trusts 2,000
 * commands, and each of its items would otherwise carry them all.
 */
function trustedFor(subtask: Subtask, run: Run): string[] {
  if (subtask.kind === 'editor') return run.trustedCommands;
  const own = new Set([...(subtask.commands ?? []), ...(run.spec.testCommands ?? [])]);
  return run.trustedCommands.filter((c) => own.has(c));
}

/**
 * The subtask with the run's per-subtask budget filled in where the plan left it open, and its token
 * budget capped at what is left of the run's: the run only learns an attempt's usage from its Result,
 * so without the cap one long editor session could spend many times the run's budget.
 */
function withRunBudget(subtask: Subtask, run: Run): Subtask {
  const budget = { ...run.spec.limits.perSubtask, ...subtask.budget };
  const left = run.spec.limits.maxTokens - (run.usage.inputTokens + run.usage.outputTokens);
  if (left > 0 && (budget.maxTokens === undefined || budget.maxTokens > left)) budget.maxTokens = left;
  return { ...subtask, budget };
}
