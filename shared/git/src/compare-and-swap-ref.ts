import { GitError, RefMovedError } from './errors.js';
import { readRef } from './read-ref.js';
import { runGit } from './run-git.js';

/**
 * Moves `ref` to `next` only if it is at `expected` (null: only if it does not exist), atomically
 * (`git update-ref <ref> <new> <old>`); RefMovedError naming where the ref is when it is not where expected,
 * GitError for any other failure. One process when it succeeds; a failure reads the ref once to tell them apart.
 */
export async function compareAndSwapRef(
  repo: string,
  ref: string,
  next: string,
  expected: string | null,
  options: { message?: string } = {},
): Promise<void> {
  const old = expected ?? '0'.repeat(next.length);
  const moved = await runGit(
    repo,
    ['update-ref', ...(options.message ? ['-m', options.message] : []), ref, next, old],
    { okExitCodes: [0, 1, 128] },
  );
  if (moved.exitCode === 0) return;
  const failure = new GitError({
    step: `git update-ref ${ref} ${next} ${old}`,
    args: ['update-ref', ref, next, old],
    cwd: repo,
    exitCode: moved.exitCode,
    stderr: moved.stderr,
  });
  const actual = await readRef(repo, ref);
  if (actual !== expected) throw new RefMovedError(ref, expected, actual, { cause: failure });
  throw failure;
}
