/** @baton/planner: task -> Plan (DAG); model planner, recipe planners, plan validation, re-planning. */
export { validatePlan, type ValidatePlanOptions, type PlanValidation } from './validate-plan.js';
export { findWriteOverlaps, writeScopeOf, type WriteOverlap } from './write-overlaps.js';
export { planRecipe, type PlanRecipeInput } from './plan-recipe.js';
export { shardFiles, DEFAULT_SHARD_LIMITS, type ShardLimits } from './shard-files.js';
export { listRepoFiles, readRepoFiles, type RepoFile } from './repo-files.js';
export { formatFailure } from './format-failure.js';
export { EmptyRecipeError, NoRecipeError, PlanRejectedError, PlanNotSubmittedError, RepairNeedsModelError, RepoReadError } from './errors.js';
