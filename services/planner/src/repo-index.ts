/** Repository files indexed for scope checks: exact lookups, folder lookups and "files under a folder". */
export interface RepoIndex {
  readonly files: ReadonlySet<string>;
  /** Every folder that holds a file, at any depth; `''` is the root. */
  readonly folders: ReadonlySet<string>;
  /** Files under `folder` (every file for `''`), in path order. */
  filesUnder(folder: string): readonly string[];
}

/** Builds a RepoIndex from repository-relative file paths. */
export function indexRepoFiles(paths: Iterable<string>): RepoIndex {
  const sorted = [...new Set(paths)].sort();
  const files = new Set(sorted);
  const folders = new Set<string>(['']);
  for (const f of sorted) {
    for (let i = f.indexOf('/'); i !== -1; i = f.indexOf('/', i + 1)) folders.add(f.slice(0, i));
  }
  return {
    files,
    folders,
    filesUnder(folder) {
      if (folder === '') return sorted;
      const prefix = `${folder}/`;
      const out: string[] = [];
      for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++)
        out.push(sorted[i]!);
      return out;
    },
  };
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
