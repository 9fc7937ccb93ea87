import { dirname } from 'node:path';
import { runGitScript } from './run-git-script.js';

/**
 * A private checkout of `commit` at `dir`: `git clone --shared` of `repository` (objects borrowed through
 * alternates, so nothing is copied and the source gains no worktree metadata) then a detached checkout, in one
 * process. `dir` must not exist; its parent must.
 */
export async function cloneWorktree(
  repository: string,
  dir: string,
  commit: string,
  options: { signal?: AbortSignal } = {},
): Promise<void> {
  await runGitScript(
    dirname(dir),
    'git clone --shared + checkout',
    'git clone -q --shared --no-checkout -- "$1" "$2"\ncd "$2"\ngit checkout -q --detach "$3"',
    [repository, dir, commit],
    options,
  );
}
