import { runGit } from './run-git.js';

/** Whether `repo` holds `commit` (as a commit object); one `git cat-file -e`. */
export async function hasCommit(
  repo: string,
  commit: string,
  options: { userConfig?: boolean } = {},
): Promise<boolean> {
  const out = await runGit(repo, ['cat-file', '-e', `${commit}^{commit}`], { ...options, okExitCodes: [0, 1, 128] });
  return out.exitCode === 0;
}
