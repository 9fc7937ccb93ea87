import { runGit } from './run-git.js';

/** Fetches a bundle file into `repo` under `refspec` (`+refs/*:refs/cache/<commit>/*`). */
export async function fetchBundle(repo: string, file: string, refspec: string): Promise<void> {
  await runGit(repo, ['fetch', '-q', file, refspec], { userConfig: false });
}
