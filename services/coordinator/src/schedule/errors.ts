/** Base class of every scheduling error. */
class ScheduleError extends Error {
  override name = 'ScheduleError';
}

/** Two subtasks share an id. */
export class DuplicateSubtaskError extends ScheduleError {
  override name = 'DuplicateSubtaskError';
  constructor(readonly ids: readonly string[]) {
    super(`duplicate subtask ids: ${ids.join(', ')}`);
  }
}

/** Subtasks depend on ids that are not in the DAG. */
export class UnknownDependencyError extends ScheduleError {
  override name = 'UnknownDependencyError';
  constructor(readonly missing: readonly { id: string; dep: string }[]) {
    super(`unknown dependencies: ${missing.map((m) => `${m.id} -> ${m.dep}`).join(', ')}`);
  }
}

/** The dependencies form cycles; `cycles` lists one closed path per strongly connected component. */
export class DependencyCycleError extends ScheduleError {
  override name = 'DependencyCycleError';
  constructor(readonly cycles: readonly (readonly string[])[]) {
    super(`dependency cycles: ${cycles.map((c) => c.join(' -> ')).join('; ')}`);
  }
}

/** A weight (or simulated duration) is negative or not finite. */
export class InvalidWeightError extends ScheduleError {
  override name = 'InvalidWeightError';
  constructor(
    readonly id: string,
    readonly weight: number,
  ) {
    super(`subtask ${id} has invalid weight ${weight}: must be a finite number >= 0`);
  }
}

/** An id the schedule does not know. */
export class UnknownSubtaskError extends ScheduleError {
  override name = 'UnknownSubtaskError';
  constructor(readonly id: string) {
    super(`unknown subtask ${id}`);
  }
}

/** A state change not allowed from the node's current state (e.g. done before running). */
export class InvalidTransitionError extends ScheduleError {
  override name = 'InvalidTransitionError';
  constructor(
    readonly id: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`subtask ${id} cannot go from ${from} to ${to}`);
  }
}

/** A slot count that is not a positive integer. */
export class InvalidSlotsError extends ScheduleError {
  override name = 'InvalidSlotsError';
  constructor(readonly slots: number) {
    super(`slots must be a positive integer, got ${slots}`);
  }
}
