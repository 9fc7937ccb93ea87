/** A rename recipe names a `declaredIn` file that declares nothing called `from`. */
export class RenameTargetNotFoundError extends Error {
  override readonly name = 'RenameTargetNotFoundError';
  constructor(
    readonly from: string,
    readonly declaredIn: string,
  ) {
    super(`no top-level declaration named ${from} in ${declaredIn}`);
  }
}

/** A recipe kind (or an operation on it) this package does not run: `command` recipes belong to the shell agent. */
export class UnsupportedRecipeError extends Error {
  override readonly name = 'UnsupportedRecipeError';
  constructor(
    readonly kind: string,
    readonly operation: string,
  ) {
    super(`recipe kind ${kind} cannot be run by @baton/recipes (${operation})`);
  }
}

/** A codemod module could not be loaded, has no function as default export, or its transform failed. */
export class CodemodModuleError extends Error {
  override readonly name = 'CodemodModuleError';
  constructor(
    readonly module: string,
    readonly reason: string,
    readonly path?: string,
    options?: ErrorOptions,
  ) {
    super(`codemod ${module}${path === undefined ? '' : ` on ${path}`}: ${reason}`, options);
  }
}

/** A codemod command exited unsuccessfully. */
export class CodemodCommandError extends Error {
  override readonly name = 'CodemodCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
    options?: ErrorOptions,
  ) {
    super(`codemod command failed (exit ${exitCode ?? 'none'}): ${command}`, options);
  }
}

/** A file path that is absolute or climbs out of the repository root. */
export class PathOutsideRepoError extends Error {
  override readonly name = 'PathOutsideRepoError';
  constructor(
    readonly path: string,
    readonly root: string,
  ) {
    super(`${path} is outside the repository ${root}`);
  }
}

/** Shard limits that cannot be met (they must be positive). */
export class InvalidShardLimitsError extends Error {
  override readonly name = 'InvalidShardLimitsError';
  constructor(
    readonly maxFiles: number,
    readonly maxBytes: number,
  ) {
    super(`shard limits must be positive: maxFiles=${maxFiles} maxBytes=${maxBytes}`);
  }
}

/** A recipe task failed on a worker thread; `remoteName` is the original error's class name. */
export class RecipeTaskError extends Error {
  override readonly name = 'RecipeTaskError';
  constructor(
    readonly remoteName: string,
    readonly remoteMessage: string,
    readonly remoteStack?: string,
  ) {
    super(`${remoteName}: ${remoteMessage}`);
  }
}

/** The files of a commit could not be read from the repository (no such commit, not a repository). */
export class GitReadError extends Error {
  override readonly name = 'GitReadError';
  constructor(
    readonly repo: string,
    readonly commit: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`could not read the files of ${commit} in ${repo}: ${detail}`, options);
  }
}

/** A shard names a file the repository (at the commit being renamed) does not have. */
export class FileNotInRepoError extends Error {
  override readonly name = 'FileNotInRepoError';
  constructor(readonly file: string) {
    super(`${file} is not in the repository`);
  }
}
