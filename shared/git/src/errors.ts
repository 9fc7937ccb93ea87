/** Longest stderr excerpt an error carries (git can print megabytes, e.g. a failed apply of a large patch). */
const STDERR_EXCERPT = 2000;

/** What failed: the caller's name for the step, git's arguments, where it ran, how it ended and what it said. */
export interface GitFailure {
  /** The caller's name for the step (`git clone --shared + checkout`), or `git <args>`. */
  step: string;
  args: readonly string[];
  cwd: string;
  /** Undefined when git did not exit by itself (not started, killed, cancelled). */
  exitCode: number | undefined;
  stderr: string;
}

/** A git command (or a script of git commands) failed; retry or convert on the class, never on the message. */
export class GitError extends Error {
  override name = 'GitError';
  readonly step: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly exitCode: number | undefined;
  /** Git's stderr, trimmed, its first 2,000 characters (where git names what failed). */
  readonly stderr: string;

  constructor(failure: GitFailure, options?: ErrorOptions) {
    const stderr = failure.stderr.trim().slice(0, STDERR_EXCERPT);
    super(
      `${failure.step} failed in ${failure.cwd} (exit ${failure.exitCode ?? 'none'})${stderr ? `: ${stderr}` : ''}`,
      options,
    );
    this.step = failure.step;
    this.args = failure.args;
    this.cwd = failure.cwd;
    this.exitCode = failure.exitCode;
    this.stderr = stderr;
  }
}

/** The git binary (or `sh` for a script) could not be started: not installed, or not on PATH. */
export class GitNotFoundError extends GitError {
  override name = 'GitNotFoundError';
}

/** The caller's AbortSignal stopped the command. */
export class GitCanceledError extends GitError {
  override name = 'GitCanceledError';
}

/** A compare-and-swap of a ref found it somewhere else than expected (another writer moved, created or deleted it). */
export class RefMovedError extends Error {
  override name = 'RefMovedError';
  constructor(
    readonly ref: string,
    /** The value the caller expected; null for "absent". */
    readonly expected: string | null,
    /** The value found after the swap failed; null when the ref does not exist. */
    readonly actual: string | null,
    options?: ErrorOptions,
  ) {
    super(`${ref} is at ${actual ?? '(absent)'}, not ${expected ?? '(absent)'}`, options);
  }
}
