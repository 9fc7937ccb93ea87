import { execa } from 'execa';
import { ToolFailure } from './errors.js';

// A repository's own config must not run programs when a read-only tool calls git.
const safeGitConfig = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false'];

/** Runs git in the worktree with repository-configured hooks and monitors disabled; never rejects. */
export function runGit(root: string, args: readonly string[], signal?: AbortSignal) {
  return execa('git', [...safeGitConfig, ...args], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
    stripFinalNewline: false,
    maxBuffer: 64 * 1024 * 1024,
    ...(signal ? { cancelSignal: signal } : {}),
  });
}

/** Whether `root` is inside a git work tree. */
export async function isGitWorktree(root: string): Promise<boolean> {
  const result = await runGit(root, ['rev-parse', '--is-inside-work-tree']);
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
  );
  if (result.isCanceled) throw new ToolFailure('The file listing was cancelled.');
  if (result.exitCode !== 0) {
    throw new ToolFailure(`Listing files failed (is the worktree a git repository?): ${result.stderr.trim()}`);
  }
  return result.stdout.split('\0').filter((file) => file.length > 0);
}
