import { randomUUID } from 'node:crypto';
import { runGitScript } from './run-git-script.js';

/**
 * Writes a `git bundle` of `commit` (and its history) to `file`, in one process. A bundle needs a ref to point at the
 * commit: a temporary one under `refs/baton-snapshots/`, unique per call (with one name per commit, a concurrent
 * bundle of the same commit deleted the ref under a running `git bundle create` and a truncated bundle was stored),
 * deleted after, also when the bundle fails. Written to a file (git writes it whole or not at all), never read from
 * a pipe, so the caller streams it from there.
 */
export async function createBundle(repo: string, commit: string, file: string): Promise<void> {
  const ref = `refs/baton-snapshots/${commit}-${randomUUID()}`;
  await runGitScript(
    repo,
    'git bundle create',
    'git update-ref "$1" "$2"\nstatus=0\ngit bundle create -q "$3" "$1" || status=$?\ngit update-ref -d "$1"\nexit $status',
    [ref, commit, file],
  );
}
