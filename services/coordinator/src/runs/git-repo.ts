import { GitNotFoundError, runGit } from '@baton/git';
import { DirtyWorkingTreeError, NotARepositoryError, UnknownRefError } from '../errors.js';

/** Runs git in the user's repository (see @baton/git: no GIT_* of the caller, no programs); stdout without its final newline. */
async function git(repoPath: string, args: string[]): Promise<string> {
  return (await runGit(repoPath, args)).stdout.replace(/\n$/, '');
}

/** The repository's top-level directory, or NotARepositoryError. */
async function repositoryRoot(path: string): Promise<string> {
  try {
    return await git(path, ['rev-parse', '--show-toplevel']);
  } catch (err) {
    if (err instanceof GitNotFoundError) throw err;
    throw new NotARepositoryError(path, { cause: err });
  }
}

/**
 * The repository's top level and `ref` resolved to a full commit id, in one git process; NotARepositoryError or
 * UnknownRefError (told apart with a second look only when it fails).
 */
export async function resolveBase(path: string, ref: string): Promise<{ root: string; commit: string }> {
  try {
    const [root = '', commit = ''] = (
      await git(path, ['rev-parse', '--show-toplevel', '--verify', '--end-of-options', `${ref}^{commit}`])
    ).split('\n');
    return { root, commit };
  } catch (err) {
    throw new UnknownRefError(ref, await repositoryRoot(path), { cause: err });
  }
}

/** Fails with DirtyWorkingTreeError when tracked files have uncommitted changes (untracked files are ignored: Baton works from commits). */
export async function assertClean(repoPath: string): Promise<void> {
  const status = await git(repoPath, ['status', '--porcelain', '--untracked-files=no']);
  const files = status
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
  if (files.length > 0) throw new DirtyWorkingTreeError(repoPath, files);
}

/** Files changed between two commits (as they are: -z, so git neither quotes nor escapes unusual names). */
export async function changedFiles(repoPath: string, from: string, to: string): Promise<string[]> {
  const out = await git(repoPath, ['diff', '--name-only', '-z', from, to]);
  return out.split('\0').filter(Boolean);
}

/** The unified diff between two commits restricted to some paths (context for repair subtasks). */
export async function diffBetween(repoPath: string, from: string, to: string, paths: string[] = []): Promise<string> {
  // Paths, not pathspecs: a file named `a[1].ts` or `*.ts` means that file only.
  return git(repoPath, ['--literal-pathspecs', 'diff', '--binary', from, to, '--', ...paths]);
}
