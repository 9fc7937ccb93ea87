import { execa } from 'execa';
import { GitCommandError } from './errors.js';

/** The identity of every commit Baton writes, so the user's git config is never required. */
export const BATON_IDENTITY = { name: 'Baton', email: 'baton@localhost' } as const;

/** Options of runGit. */
export interface RunGitOptions {
  /** Bytes or text for stdin. */
  input?: string;
  /** Extra environment (e.g. `GIT_INDEX_FILE`). */
  env?: Record<string, string>;
  /** Exit codes that are outcomes rather than failures; default only 0. */
  okExitCodes?: readonly number[];
}

/** What a git command printed and how it exited. */
export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * A clean environment for git: the caller's GIT_* variables (GIT_DIR, GIT_INDEX_FILE from a hook,
 * GIT_AUTHOR_* …) must never redirect us at the user's index or repository.
 */
function gitEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: BATON_IDENTITY.name,
    GIT_AUTHOR_EMAIL: BATON_IDENTITY.email,
    GIT_COMMITTER_NAME: BATON_IDENTITY.name,
    GIT_COMMITTER_EMAIL: BATON_IDENTITY.email,
    ...extra,
  };
}

/** Runs `git <args>` in `repoPath`; throws GitCommandError unless the exit code is allowed. */
export async function runGit(
  repoPath: string,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<GitOutput> {
  const result = await execa('git', args, {
    cwd: repoPath,
    env: gitEnv(options.env),
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 512 * 1024 * 1024,
  });
  const exitCode = result.exitCode ?? -1;
  const allowed = options.okExitCodes ?? [0];
  // A spawn failure (no git binary) has no exit code and lands here as -1.
  if (!allowed.includes(exitCode)) throw new GitCommandError(args, result.exitCode, String(result.stderr));
  return { stdout: String(result.stdout), stderr: String(result.stderr), exitCode };
}
