/** Base class of every merge error; retry on the class, never on message text. */
class MergeError extends Error {
  override name = 'MergeError';
}

/** An existing integration branch does not descend from the run's base commit, so it cannot be resumed. */
export class BranchDivergedError extends MergeError {
  override name = 'BranchDivergedError';
  constructor(
    readonly ref: string,
    readonly head: string,
    readonly baseCommit: string,
  ) {
    super(`${ref} is at ${head}, which does not descend from base commit ${baseCommit}`);
  }
}

/** The integration branch kept moving under us (another writer) more times than the retry bound allows. */
export class RefContentionError extends MergeError {
  override name = 'RefContentionError';
  constructor(
    readonly ref: string,
    readonly attempts: number,
  ) {
    super(`${ref} moved during each of ${attempts} merge attempts`);
  }
}

/** The ledger already records this subtask merged as a different commit: the exactly-once invariant broke. */
export class LedgerMismatchError extends MergeError {
  override name = 'LedgerMismatchError';
  constructor(
    readonly key: string,
    readonly recorded: string | null,
    readonly attempted: string | null,
  ) {
    super(`ledger ${key} records commit ${recorded ?? '(none)'}, not ${attempted ?? '(none)'}`);
  }
}

/** A merge was asked for a run whose integration branch was not opened in this Merger. */
export class RunNotOpenError extends MergeError {
  override name = 'RunNotOpenError';
  constructor(readonly runId: string) {
    super(`run ${runId} has no open integration branch; call open() first`);
  }
}
