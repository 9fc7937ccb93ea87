import { execGit, type RunGitOptions } from './exec-git.js';
import { withoutDiffDrivers } from './git-env.js';

/** What a git command printed as text (no final newline stripped) and how it exited. */
export interface GitOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Stdout was cut at maxBuffer (only with allowTruncated). */
  truncated: boolean;
}

/**
 * Runs `git <args>` in `cwd` with the scrubbed environment (see gitEnv) and returns its output as text; GitError
 * naming the step unless the exit code is allowed.
 * @example
 * const { stdout } = await runGit(repo, ['rev-parse', 'HEAD']);
 */
export async function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<GitOutput> {
  const out = await runGitBytes(cwd, args, options);
  return { ...out, stdout: out.stdout.toString('utf8') };
}

/** Runs `git <args>` like runGit and returns stdout as bytes, exactly as git wrote them (blobs, bundles, archives). */
export function runGitBytes(
  cwd: string,
  args: readonly string[],
  options: RunGitOptions = {},
): ReturnType<typeof execGit> {
  const safe = withoutDiffDrivers(args);
  return execGit('git', cwd, safe, options.step ?? `git ${args.join(' ')}`, options);
}
