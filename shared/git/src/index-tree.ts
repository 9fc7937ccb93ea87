import { runGit } from './run-git.js';

/** Loads `tree` (or a commit's tree) into the index file `indexFile`, replacing what it held. */
export async function readTree(repo: string, indexFile: string, tree: string): Promise<void> {
  await runGit(repo, ['read-tree', tree], { env: { GIT_INDEX_FILE: indexFile } });
}

/** Writes the index file `indexFile` as a tree object and returns its id (GitError while it has conflict stages). */
export async function writeTree(repo: string, indexFile: string): Promise<string> {
  return (await runGit(repo, ['write-tree'], { env: { GIT_INDEX_FILE: indexFile } })).stdout.trim();
}
