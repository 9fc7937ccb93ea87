import { runGitScript } from './run-git-script.js';

/** Everything changed in a worktree since a commit: the `git diff --binary` and the changed paths. */
export interface WorktreeDiff {
  diff: string;
  files: string[];
}

/**
 * Stages everything in the worktree `dir` (`git add -A`: new files included) and returns its diff against `base` with
 * the changed paths, in one process: the paths first (`-z`: each as it is, not quoted and escaped as git prints unusual
 * names otherwise, and ended by a NUL), one more NUL, then the patch. A patch may hold NULs (a text file with one past
 * git's 8,000-byte binary check, or a `diff` attribute), a name never does, so the first double NUL ends the names.
 * No textconv or external diff driver: the patch must apply as it is.
 */
export async function diffWithNames(
  dir: string,
  base: string,
  options: { signal?: AbortSignal } = {},
): Promise<WorktreeDiff> {
  const out = await runGitScript(
    dir,
    'git add + diff',
    'git add -A\ngit diff --cached --no-ext-diff --no-textconv --name-only -z "$1" --\nprintf "\\0"\ngit diff --cached --binary --no-textconv --no-ext-diff "$1" --',
    [base],
    options,
  );
  return splitNamesAndPatch(out);
}

/** Splits `names NUL… NUL patch` (see diffWithNames). */
function splitNamesAndPatch(out: string): WorktreeDiff {
  const cut = out.startsWith('\0') ? 0 : out.indexOf('\0\0') + 1;
  return { diff: out.slice(cut + 1), files: out.slice(0, cut).split('\0').filter(Boolean) };
}
