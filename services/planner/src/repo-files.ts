import { GitError, listTree, readObjects } from '@baton/git';
import { RepoReadError } from './errors.js';

/** A file of the repository at a commit, with its size in bytes. */
export interface RepoFile {
  path: string;
  size: number;
}

/** Lists the files (blobs, not submodules) of `commit` with their sizes, in path order, from `git ls-tree`. */
export async function listRepoFiles(repoPath: string, commit: string): Promise<RepoFile[]> {
  const entries = await readRepo(repoPath, `git ls-tree -r -l -z --full-tree ${commit}`, () =>
    listTree(repoPath, commit, { sizes: true }),
  );
  const files: RepoFile[] = [];
  // Blobs only: a submodule (type commit) has no size and no text here.
  for (const e of entries) if (e.type === 'blob') files.push({ path: e.path, size: Number(e.size) });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads files' text at `commit` in one `git cat-file --batch`; paths come from listRepoFiles, so a missing one is an error. */
export async function readRepoFiles(
  repoPath: string,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const command = 'git cat-file --batch';
  const objects = await readRepo(repoPath, command, () =>
    readObjects(
      repoPath,
      paths.map((p) => `${commit}:${p}`),
    ),
  );
  paths.forEach((path, i) => {
    const object = objects[i];
    if (object?.type !== 'blob')
      throw new RepoReadError(repoPath, `${command} (${path}: ${object?.type ?? 'missing'})`);
    out.set(path, object.content.toString('utf8'));
  });
  return out;
}

/** A read of the repository, its GitError reported as RepoReadError naming the command. */
async function readRepo<T>(repoPath: string, command: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof GitError) throw new RepoReadError(repoPath, command, { cause: err });
    throw err;
  }
}
