import { GitError, listTree, readObjects } from '@baton/git';
import { GitReadError } from './errors.js';

/** Files whose text a rename reads or that module resolution looks at; anything else (images, data) is not loaded. */
const SOURCE_LIKE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * The text of every source-like file (`.ts`/`.tsx`/`.js`/…, `.json` for package.json and tsconfig) of a commit, by
 * repository-relative path, read straight from the object database (`git ls-tree` + one `git cat-file --batch`):
 * nothing is written to disk, so a rename of a large repository does not pay for writing and deleting a checkout.
 */
export async function readCommitFiles(repo: string, commit: string): Promise<Map<string, string>> {
  // Symlinks (120000) and submodules (commit) are not files to read.
  const entries = (await read(repo, commit, () => listTree(repo, commit))).filter(
    (e) => e.type === 'blob' && e.mode !== '120000' && SOURCE_LIKE.test(e.path),
  );
  const files = new Map<string, string>();
  if (entries.length === 0) return files;
  const objects = await read(repo, commit, () =>
    readObjects(
      repo,
      entries.map((e) => e.id),
    ),
  );
  entries.forEach(({ path }, i) => {
    const object = objects[i];
    if (object?.type !== 'blob')
      throw new GitReadError(repo, commit, `unexpected git cat-file output for ${path}: ${object?.type ?? 'missing'}`);
    files.set(path, object.content.toString('utf8'));
  });
  return files;
}

/** A read of the commit, its GitError reported as GitReadError with git's stderr. */
async function read<T>(repo: string, commit: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof GitError) throw new GitReadError(repo, commit, err.stderr, { cause: err });
    throw err;
  }
}
