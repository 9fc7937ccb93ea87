/** @baton/planner: task -> Plan (DAG); model planner, recipe planners, plan validation, re-planning. */
export { startPlanner, PLANNER_QUEUE, type Planner } from './start-planner.js';
export { PLAN_INLINE_LIMIT, type PlannerOptions } from './compile-planner-options.js';
export { validatePlan, type ValidatePlanOptions, type PlanValidation } from './validate-plan.js';
export { findWriteOverlaps, writeScopeOf, type WriteOverlap } from './write-overlaps.js';
export { planRecipe, type PlanRecipeInput } from './plan-recipe.js';
export { checkRecipe } from './check-recipe.js';
export { planWithModel, type PlanWithModelInput, type ModelPlan } from './plan-with-model.js';
export { planRepair, type PlanRepairInput } from './plan-repair.js';
export { SUBMIT_PLAN, submitPlanTool } from './submit-plan-tool.js';
export { renderRepoMap, type RepoMapLimits } from './repo-map.js';
export { readProjectMemory } from './project-memory.js';
export { DEFAULT_SHARD_LIMITS } from './shard-limits.js';
export { listRepoFiles, readRepoFiles, type RepoFile } from './repo-files.js';
export { readRepoPackages, type RepoPackage, type RepoPackages } from './repo-packages.js';
export { formatFailure } from './format-failure.js';
export {
  EmptyRecipeError,
  NoRecipeError,
  PlanRejectedError,
  PlanNotSubmittedError,
  RepairNeedsModelError,
  RepoReadError,
  InvalidPlanError,
  RecipeRefusedError,
} from './errors.js';
