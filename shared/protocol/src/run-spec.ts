import { z } from 'zod';
import { V } from './ids.js';
import { EnvironmentConfig } from './environment.js';
import { PolicyConfig } from './policy.js';
import { Recipe } from './recipe.js';
import { SubtaskBudget } from './plan.js';

/** Limits of a whole run; a run that reaches one stops with that reason. */
export const RunLimits = z.strictObject({
  maxTokens: z.number().int().positive().default(2_000_000),
  maxCostUsd: z.number().positive().default(20),
  maxWallMs: z
    .number()
    .int()
    .positive()
    .default(60 * 60_000),
  maxRetriesPerSubtask: z.number().int().nonnegative().max(20).default(3),
  maxSubtasks: z.number().int().positive().max(100_000).default(2_000),
  maxConcurrency: z.number().int().positive().max(10_000).default(64),
  perSubtask: SubtaskBudget.default({}),
});
/** Limits of a whole run. */
export type RunLimits = z.infer<typeof RunLimits>;

/** Where the repository is: a local path (embedded mode, or workers sharing the file system). */
export const RepoRef = z.strictObject({
  path: z.string().min(1),
});

/** What a user submits: a change to make to a repository. */
export const RunSpec = z
  .strictObject({
    v: V,
    repo: RepoRef,
    /** The ref to start from; pinned to a commit at submit. */
    baseRef: z.string().min(1).max(500).default('HEAD'),
    task: z.string().max(100_000).default(''),
    recipe: Recipe.optional(),
    /** Commands the testers run (detected from the repository when absent). */
    testCommands: z.array(z.string().min(1)).optional(),
    limits: RunLimits.default(RunLimits.parse({})),
    policy: PolicyConfig.optional(),
    /** How each worktree gets its environment; merged over `.baton/settings.json` `environment` at submit. */
    environment: EnvironmentConfig.optional(),
    allowDirty: z.boolean().default(false),
    /** Free-form labels shown in the dashboard. */
    labels: z.record(z.string().max(100), z.string().max(500)).default({}),
  })
  .refine((s) => s.task.trim().length > 0 || s.recipe !== undefined, {
    message: 'a run needs a task or a recipe',
    path: ['task'],
  });
/** What a user submits. */
export type RunSpec = z.infer<typeof RunSpec>;
/** What a user writes before defaults apply. */
export type RunSpecInput = z.input<typeof RunSpec>;
