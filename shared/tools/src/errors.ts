/** Base class of every @baton/tools error; catch on the class, never on message text. */
export class ToolsError extends Error {
  override name = 'ToolsError';
}

/** A path was refused by worktree confinement; `reason` says which rule it broke. */
export class PathRefusedError extends ToolsError {
  override name = 'PathRefusedError';
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`path ${JSON.stringify(path)} refused (${reason}): ${detail}`, options);
  }
}

/** A failure the model can fix (no match, not viewed, denied): tools turn it into `ok: false`. */
export class ToolFailure extends ToolsError {
  override name = 'ToolFailure';
}
