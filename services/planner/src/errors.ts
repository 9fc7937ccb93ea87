import { WireErrorName, type Failure } from '@baton/protocol';
import { formatFailure } from './format-failure.js';

/** A recipe's glob (or package pattern) matched nothing at the base commit, so there is nothing to plan. */
export class EmptyRecipeError extends Error {
  override name = 'EmptyRecipeError';
  constructor(
    readonly glob: string,
    readonly what: 'files' | 'packages' = 'files',
    options?: ErrorOptions,
  ) {
    super(
      `the recipe's ${what === 'files' ? 'glob' : 'packages pattern'} "${glob}" matches no ${what} at the base commit`,
      options,
    );
  }
}

/** The model kept submitting invalid plans; `errors` are the validation errors of its last attempt. */
export class PlanRejectedError extends Error {
  override name = 'PlanRejectedError';
  constructor(
    readonly errors: readonly string[],
    readonly tries: number,
    options?: ErrorOptions,
  ) {
    super(
      `the model's plan was rejected after ${tries} ${tries === 1 ? 'try' : 'tries'}:\n- ${errors.join('\n- ')}`,
      options,
    );
  }
}

/** The model answered without calling `submit_plan` (or with a malformed call). */
export class PlanNotSubmittedError extends Error {
  override name = 'PlanNotSubmittedError';
  constructor(
    readonly stopReason: string | null,
    options?: ErrorOptions,
  ) {
    super(`the model did not call submit_plan (stop reason: ${stopReason ?? 'none'})`, options);
  }
}

/** Repairing these failures needs a model (editor subtasks), and none is configured. */
export class RepairNeedsModelError extends Error {
  override name = 'RepairNeedsModelError';
  readonly failures: readonly Failure[];
  constructor(
    readonly subtaskId: string,
    failures: readonly Failure[],
    readonly conflict?: string,
    options?: ErrorOptions,
  ) {
    const lines = failures.slice(0, 20).map((f) => `- ${formatFailure(f)}`);
    if (failures.length > 20) lines.push(`- … and ${failures.length - 20} more`);
    if (conflict !== undefined) lines.unshift(`- merge conflict: ${conflict.slice(0, 500)}`);
    super(`repairing subtask "${subtaskId}" needs a model, and none is configured:\n${lines.join('\n')}`, options);
    this.failures = failures;
  }
}

/** Reading the repository with git failed (bad path, unknown commit). */
export class RepoReadError extends Error {
  override name = 'RepoReadError';
  constructor(
    readonly repoPath: string,
    readonly command: string,
    options?: ErrorOptions,
  ) {
    super(`cannot read the repository at ${repoPath} (${command})`, options);
  }
}

/** planRecipe was given a run spec without a recipe. */
export class NoRecipeError extends Error {
  override name = 'NoRecipeError';
  constructor(options?: ErrorOptions) {
    super('the run spec has no recipe to plan', options);
  }
}

/** A plan the planner built itself (recipe or repair) failed validation, e.g. more subtasks than the run allows. */
export class InvalidPlanError extends Error {
  override name = 'InvalidPlanError';
  constructor(
    readonly errors: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`the planned graph is invalid:\n- ${errors.slice(0, 20).join('\n- ')}`, options);
  }
}

/**
 * A recipe refused before anything runs (see checkRecipe): a rename's `from` declared nowhere or in several files, a
 * `--declared-in` that does not declare it, or a `to` that collides; `cause` is the recipe package's named error.
 */
export class RecipeRefusedError extends Error {
  override name = WireErrorName.recipeRefused;
  constructor(
    readonly recipe: string,
    options: ErrorOptions & { cause: Error },
  ) {
    super(options.cause.message, options);
  }
}

/** An option of startPlanner is invalid; `option` names it. */
export class PlannerOptionsError extends Error {
  override name = 'PlannerOptionsError';
  constructor(
    readonly option: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`startPlanner: option ${option}: ${problem}`, options);
  }
}
