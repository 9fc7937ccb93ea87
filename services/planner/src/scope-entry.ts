import picomatch from 'picomatch';

/** One path or glob of a subtask's scope, normalised and compiled. */
export interface ScopeEntry {
  /** As written in the plan. */
  readonly raw: string;
  /** Without `./`, trailing `/` or doubled slashes; `''` means the whole repository. */
  readonly path: string;
  readonly literal: boolean;
  /** The glob's static folder (`src` for `src/**\/*.ts`); the path itself for a literal. */
  readonly base: string;
  /** Whether a repository file falls in this entry (for a literal: the file itself or a file under the folder). */
  covers(file: string): boolean;
}

/** Compiles a scope path or glob; a glob also covers files under a folder it matches (`packages/*` covers `packages/a/x.ts`). */
export function compileScopeEntry(raw: string): ScopeEntry {
  const path = normaliseScopePath(raw);
  const scan = picomatch.scan(path);
  if (!scan.isGlob) {
    return {
      raw,
      path,
      literal: true,
      base: path,
      covers: (file) => path === '' || file === path || file.startsWith(`${path}/`),
    };
  }
  const isMatch = picomatch(path, { dot: true });
  return {
    raw,
    path,
    literal: false,
    base: normaliseScopePath(scan.base),
    covers(file) {
      if (isMatch(file)) return true;
      for (let i = file.lastIndexOf('/'); i > 0; i = file.lastIndexOf('/', i - 1)) {
        if (isMatch(file.slice(0, i))) return true;
      }
      return false;
    },
  };
}

/** Strips `./`, trailing slashes and doubled slashes; `.` becomes `''` (the repository root). */
export function normaliseScopePath(raw: string): string {
  let p = raw.replace(/\/{2,}/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/+$/, '');
  return p === '.' ? '' : p;
}

/** Whether `path` lies strictly inside `folder` (`''` is the root, which holds everything else). */
export function isUnder(path: string, folder: string): boolean {
  return folder === '' ? path !== '' : path.startsWith(`${folder}/`);
}
