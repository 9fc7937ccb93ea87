/** The repository path is not a git repository (or git cannot read it). */
export class NotARepositoryError extends Error {
  override name = 'NotARepositoryError';
  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${path} is not a git repository`, options);
  }
}

/** The repository path does not exist (on the coordinator's machine, which is the one that reads it). */
export class RepositoryNotFoundError extends Error {
  override name = 'RepositoryNotFoundError';
  constructor(
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: no such directory`, options);
  }
}

/** The base ref does not name a commit. */
export class UnknownRefError extends Error {
  override name = 'UnknownRefError';
  constructor(
    readonly ref: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${ref} does not name a commit in ${path}`, options);
  }
}

/** The working tree has uncommitted changes and the spec did not allow it. */
export class DirtyWorkingTreeError extends Error {
  override name = 'DirtyWorkingTreeError';
  constructor(
    readonly path: string,
    readonly files: string[],
  ) {
    super(
      `${path} has uncommitted changes (${files.slice(0, 5).join(', ')}${files.length > 5 ? ', …' : ''}); commit or stash them, or pass --allow-dirty to work from HEAD`,
    );
  }
}

/** No run with that id. */
export class RunNotFoundError extends Error {
  override name = 'RunNotFoundError';
  constructor(readonly runId: string) {
    super(`no run ${runId}`);
  }
}

/** No parked permission request with that id. */
export class PermissionRequestNotFoundError extends Error {
  override name = 'PermissionRequestNotFoundError';
  constructor(readonly requestId: string) {
    super(`no pending permission request ${requestId} (already decided, expired, or never asked)`);
  }
}

/** A Result points at a diff in the object store that is not there. */
export class DiffMissingError extends Error {
  override name = 'DiffMissingError';
  constructor(
    readonly bucket: string,
    readonly object: string,
  ) {
    super(`the diff ${bucket}/${object} named by a result is not in the object store`);
  }
}

/** An option of startCoordinator is invalid; `option` names it (a dotted path for nested options). */
export class CoordinatorOptionsError extends Error {
  override name = 'CoordinatorOptionsError';
  constructor(
    readonly option: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`startCoordinator: option ${option}: ${problem}`, options);
  }
}

/** A failed subtask handed over to repair subtasks: it counts as done, and whatever waited for it waits for them too. */
export class SupersededError extends Error {
  /** The name on the wire, which records written before this class carry too. */
  static readonly wireName = 'Superseded';
  override name = SupersededError.wireName;
  constructor(readonly repairIds: readonly string[]) {
    super(`repaired by ${repairIds.join(', ')}`);
  }
}

/** An attempt's lease ran out before its Result came: the subtask is dispatched again as a new attempt. */
export class LeaseExpiredError extends Error {
  override name = 'LeaseExpired';
  constructor(
    readonly attempt: number,
    readonly leaseMs: number,
  ) {
    super(`attempt ${attempt} sent no result in ${Math.round(leaseMs / 1000)} s`);
  }
}

/** A Result's diff is not a patch git can read: the attempt failed like any other. */
export class InvalidDiffError extends Error {
  override name = 'InvalidDiff';
  constructor(
    readonly attempt: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** A subtask stopped without succeeding and its Result named no error of its own. */
export class SubtaskFailedError extends Error {
  override name = 'SubtaskFailed';
  constructor(
    readonly stop: string,
    message: string,
  ) {
    super(message);
  }
}
