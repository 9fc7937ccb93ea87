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

/** Where something is declared: a repository-relative file and a 1-based line. */
export interface DeclarationSite {
  file: string;
  line: number;
}

/** A rename's `from` is declared (top-level and exported) in none of the files searched. */
export class RenameSourceNotFoundError extends Error {
  override readonly name = 'RenameSourceNotFoundError';
  constructor(
    readonly from: string,
    readonly searched: number,
  ) {
    super(
      `${from} is not declared anywhere: no exported top-level declaration named ${from} in the ${searched} source files searched (to rename an unexported one, name its file with --declared-in)`,
    );
  }
}

/** A rename's `from` is declared in several files and no `declaredIn` says which one is meant. */
export class AmbiguousRenameError extends Error {
  override readonly name = 'AmbiguousRenameError';
  constructor(
    readonly from: string,
    readonly declarations: readonly DeclarationSite[],
  ) {
    const sites = declarations.slice(0, 20).map((d) => `  ${d.file}:${d.line}`);
    if (declarations.length > 20) sites.push(`  … and ${declarations.length - 20} more`);
    super(
      `${from} is declared in ${declarations.length} places; say which one to rename with --declared-in <file>:\n${sites.join('\n')}`,
    );
  }
}

/** Renaming to `to` would collide with a name already declared or imported where the rename writes it. */
export class RenameCollisionError extends Error {
  override readonly name = 'RenameCollisionError';
  constructor(
    readonly to: string,
    /** Where the rename would write `to`. */
    readonly at: DeclarationSite,
    /** The `to` already there. */
    readonly existing: DeclarationSite,
  ) {
    super(
      `renaming to ${to} at ${at.file}:${at.line} would collide with the ${to} already declared or imported at ${existing.file}:${existing.line}`,
    );
  }
}
