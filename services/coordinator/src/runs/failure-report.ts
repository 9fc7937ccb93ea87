import type { Failure, Result } from '@baton/protocol';
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

/** The command a shell or tester stopped at, with its stderr's end (e.g. a permission denial's reason); '' when none failed. */
export function describeFailedCommand(result: Result): string {
  const failed = result.commands.findLast((c) => c.exitCode !== 0);
  if (!failed) return '';
  const how = failed.timedOut
    ? 'timed out'
    : failed.exitCode === null
      ? 'did not run or was killed'
      : `exited ${failed.exitCode}`;
  const stderr = failed.stderr.trim();
  return `: \`${failed.command.slice(0, 500)}\` ${how}${stderr ? `: ${stderr.slice(-2_000)}` : ''}`;
}

/** A Result's failures, one `file:line: message` line each (at most 50), or its error when it names none. */
export function formatFailures(result: Result): string {
  const failures = result.testReport?.failures ?? [];
  if (failures.length === 0) return result.error?.message ?? `stopped: ${result.stop}`;
  return failures
    .slice(0, 50)
    .map((f) => `${f.file ?? '?'}${f.line !== undefined ? `:${f.line}` : ''}: ${f.message}`)
    .join('\n');
}
