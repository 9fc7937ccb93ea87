/** @baton/coordinator: Coordinator: runs, scheduling, permissions, approvals, exactly-once merging, durable runs. */
export {
  IntegrationBranch,
  type IntegrationBranchOptions,
  type BranchMergeInput,
  type BranchMergeOutcome,
} from './merge/integration-branch.js';
export { Merger, type MergerOptions, type MergeResultInput } from './merge/merger.js';
export { MergeLedger } from './merge/merge-ledger.js';
export { LedgerEntry, LedgerSource } from './merge/ledger-entry.js';
export { MergeOutcomeKind, type MergeOutcome } from './merge/merge-outcome.js';
export { BatonTrailer, type BatonTrailers, type TrailerCommit } from './merge/baton-trailers.js';
export {
  MergeError,
  BranchDivergedError,
  RefContentionError,
  LedgerMismatchError,
  RunNotOpenError,
} from './merge/errors.js';
export { createSchedule, type Schedule, type BlockedNode } from './schedule/create-schedule.js';
export { NodeStatus } from './schedule/node-status.js';
export { type DagNode } from './schedule/dag.js';
export { simulate, lowerBound, type SimulationResult, type SimulatedRun } from './schedule/simulate.js';
export {
  ScheduleError,
  DuplicateSubtaskError,
  UnknownDependencyError,
  DependencyCycleError,
  InvalidWeightError,
  UnknownSubtaskError,
  InvalidTransitionError,
  InvalidSlotsError,
} from './schedule/errors.js';
export { startCoordinator, type Coordinator } from './coordinator.js';
export { type CoordinatorOptions } from './compile-coordinator-options.js';
export { RunStore } from './runs/run-store.js';
/** Re-exported from @baton/bus, where they moved (the planner stores large plans too). */
export { RunPlans, PlanMissingError } from '@baton/bus';
export { prepareRun, branchOf } from './runs/prepare-run.js';
export { PermissionDesk } from './permissions/permission-desk.js';
export {
  RepositoryNotFoundError,
  NotARepositoryError,
  UnknownRefError,
  DirtyWorkingTreeError,
  RunNotFoundError,
  PermissionRequestNotFoundError,
  DiffMissingError,
} from './errors.js';
