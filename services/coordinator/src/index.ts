/** @baton/coordinator: Coordinator: runs, scheduling, permissions, approvals, exactly-once merging, durable runs. */
export { type DagNode } from './schedule/dag.js';
export { simulate, lowerBound } from './schedule/simulate.js';
export { startCoordinator, type Coordinator } from './coordinator.js';
export { type CoordinatorOptions } from './compile-coordinator-options.js';
/** Re-exported from @baton/bus, where they moved (the planner stores large plans too). */
export { RunPlans } from '@baton/bus';
export { RepositoryNotFoundError, NotARepositoryError, UnknownRefError, DirtyWorkingTreeError } from './errors.js';
