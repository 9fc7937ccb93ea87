/** @baton/planner: task -> Plan (DAG); model planner, recipe planners, plan validation, re-planning. */
export { startPlanner, type Planner } from './start-planner.js';
export { checkRecipe } from './check-recipe.js';
