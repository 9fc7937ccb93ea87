import { runGit } from './run-git.js';

/** One entry of a commit's tree. */
export interface TreeEntry {
  /** `100644`, `100755`, `120000` (symlink), `160000` (submodule)… */
  mode: string;
  /** `blob`, or `commit` for a submodule. */
  type: string;
  id: string;
  /** Bytes of a blob (with `sizes`); undefined otherwise. */
  size: number | undefined;
  /** Repository-relative, exactly as stored (`-z`: never quoted). */
  path: string;
}

/** Every entry of `commit`'s tree, recursively, in git's order (`git ls-tree -r -z --full-tree`, `-l` with sizes). */
export async function listTree(repo: string, commit: string, options: { sizes?: boolean } = {}): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', ...(options.sizes ? ['-l'] : []), '-z', '--full-tree', commit];
  const out = await runGit(repo, args);
  const entries: TreeEntry[] = [];
  for (const record of out.stdout.split('\0')) {
    // `<mode> SP <type> SP <object> [SP+ <size>] TAB <path>`; the size is `-` for a submodule.
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [mode = '', type = '', id = '', size] = record.slice(0, tab).split(/ +/);
    entries.push({
      mode,
      type,
      id,
      size: size === undefined || size === '-' ? undefined : Number(size),
      path: record.slice(tab + 1),
    });
  }
  return entries;
}
