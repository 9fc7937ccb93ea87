import type { Failure } from '@baton/protocol';
import { changedFiles, diffBetween } from './git-repo.js';

/**
 * The merged change of the failing files (all of it when no failure names a file). A failure's path may be
 * absolute in the tester's worktree (node:test locations) or relative to the folder it ran in, so it is
 * matched against the changed files by suffix instead of being handed to git as a pathspec.
 */
export async function failureDiff(
  repoPath: string,
  base: string,
  head: string,
  failures: readonly Failure[],
): Promise<string> {
  const files = failures.flatMap((f) =>
    f.file
      ? [
          f.file
            .replace(/^file:\/\//, '')
            .replace(/\\/g, '/')
            .replace(/^\.\//, ''),
        ]
      : [],
  );
  if (files.length === 0) return diffBetween(repoPath, base, head);
  const changed = (await changedFiles(repoPath, base, head)).filter((c) =>
    files.some((f) => f === c || f.endsWith(`/${c}`) || c.endsWith(`/${f}`)),
  );
  return changed.length === 0 ? '' : diffBetween(repoPath, base, head, changed);
}
