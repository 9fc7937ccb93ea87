import { ENVIRONMENT_SETUP_FAILED } from '@baton/protocol';

/**
 * Preparing a worktree's environment failed: a setup command exited non-zero (or could not start, or no package
 * manager could be found). Permanent: the coordinator stops the run at once on this name, since every later attempt
 * would run the same command on the same files.
 */
export class EnvironmentSetupError extends Error {
  override name = ENVIRONMENT_SETUP_FAILED;
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly excerpt: string,
    options?: ErrorOptions,
  ) {
    super(
      `environment setup failed: ${command} ${exitCode === null ? 'did not finish' : `exited ${exitCode}`}${excerpt ? `\n${excerpt}` : ''}`,
      options,
    );
  }
}

/**
 * Installing in a worktree whose subtask changed a manifest or lockfile failed: the change's fault, not the
 * environment's, so it goes the way of any failed attempt (retry, repair).
 */
export class EnvironmentInstallError extends Error {
  override name = 'EnvironmentInstallError';
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly excerpt: string,
    options?: ErrorOptions,
  ) {
    super(
      `${command} ${exitCode === null ? 'did not finish' : `exited ${exitCode}`} in the worktree${excerpt ? `\n${excerpt}` : ''}`,
      options,
    );
  }
}
