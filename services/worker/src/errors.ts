/** A snapshot named by a work item is missing from the object store. */
export class SnapshotMissingError extends Error {
  override name = 'SnapshotMissingError';
  constructor(
    readonly bucket: string,
    readonly object: string,
  ) {
    super(`snapshot ${bucket}/${object} is not in the object store`);
  }
}

/** A git command in a scratch worktree failed. */
export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
  constructor(
    message: string,
    readonly command: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** An option of startWorker is invalid; `option` names it (a dotted path for nested options). */
export class WorkerOptionsError extends Error {
  override name = 'WorkerOptionsError';
  constructor(
    readonly option: string,
    readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`startWorker: option ${option}: ${problem}`, options);
  }
}
