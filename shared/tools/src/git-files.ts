import { GitCanceledError, GitError, runGit as runBatonGit, type GitOutput } from '@baton/git';
import { ToolFailure } from './errors.js';

/**
 * Runs git in the worktree for a read-only tool (@baton/git: no hooks, monitors or drivers from config, no GIT_* of
 * the worker); names printed as they are (`core.quotePath=false`), the caller's locale kept (`git grep -i` over
 * UTF-8), at most 64 MiB of output (`truncated` past it). Exit codes in `okExitCodes` are outcomes; anything else,
 * and a cancel, is a ToolFailure for the model.
 */
export async function runGit(
  root: string,
  args: readonly string[],
  signal: AbortSignal | undefined,
  okExitCodes: readonly number[],
  messages: { cancelled: string; failed: string },
): Promise<GitOutput> {
  try {
    return await runBatonGit(root, ['-c', 'core.quotePath=false', ...args], {
      keepLocale: true,
      okExitCodes,
      maxBuffer: 64 * 1024 * 1024,
      allowTruncated: true,
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof GitCanceledError) throw new ToolFailure(messages.cancelled, { cause: err });
    if (err instanceof GitError)
      throw new ToolFailure(`${messages.failed}: ${err.stderr || `exit code ${err.exitCode ?? 'none'}`}`, {
        cause: err,
      });
    throw err;
  }
}

/** Whether `root` is inside a git work tree. */
export async function isGitWorktree(root: string): Promise<boolean> {
  // 128: not a repository (or not one git may read).
  const result = await runGit(root, ['rev-parse', '--is-inside-work-tree'], undefined, [0, 128], {
    cancelled: 'The repository check was cancelled.',
    failed: 'Checking for a git repository failed',
  });
  return result.exitCode === 0 && result.stdout.trim() === 'true';
}

/**
 * Tracked and untracked-but-not-ignored files under `relativeDir` (repository-relative, posix),
 * as git sees them: `git ls-files --cached --others --exclude-standard`.
 */
export async function listWorktreeFiles(root: string, relativeDir: string, signal?: AbortSignal): Promise<string[]> {
  const pathspec = relativeDir === '' ? '.' : relativeDir;
  const result = await runGit(
    root,
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate', '--', pathspec],
    signal,
    [0],
    {
      cancelled: 'The file listing was cancelled.',
      failed: 'Listing files failed (is the worktree a git repository?)',
    },
  );
  return result.stdout.split('\0').filter((file) => file.length > 0);
}
