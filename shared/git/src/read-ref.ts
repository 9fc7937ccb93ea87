import { runGit } from './run-git.js';

/** The commit a ref points at, or null when it does not exist. */
export async function readRef(repo: string, ref: string): Promise<string | null> {
  const out = await runGit(repo, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { okExitCodes: [0, 1] });
  return out.exitCode === 0 ? out.stdout.trim() : null;
}
