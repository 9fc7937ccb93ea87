import { runGit } from './run-git.js';

/** What a 3-way apply of a diff to an index file did. */
export type IndexApplication =
  /** Applied; the paths it changed (a rename under its new name). */
  | { kind: 'applied'; files: string[] }
  /** Did not apply: the conflicted paths (or, when it failed before merging, the patch's paths) and git's words. */
  | { kind: 'conflict'; files: string[]; detail: string }
  /** git could not read the patch at all (corrupt, empty, a path it refuses). */
  | { kind: 'invalid'; detail: string };

/**
 * Applies `diff` (a `git diff --binary`) to the index file `indexFile` with `git apply --cached --3way`: cleanly
 * when it can, else merged with the preimage blobs the diff names. One process when it applies (paths and
 * application together: `--numstat --apply`); a failure left the index with conflict stages or part of the patch.
 */
export async function applyToIndex(repo: string, indexFile: string, diff: string): Promise<IndexApplication> {
  const env = { GIT_INDEX_FILE: indexFile };
  const applied = await runGit(
    repo,
    ['apply', '--numstat', '-z', '--apply', '--cached', '--3way', '--whitespace=nowarn', '-'],
    { input: diff, env, okExitCodes: [0, 1, 128] },
  );
  if (applied.exitCode === 0) return { kind: 'applied', files: numstatFiles(applied.stdout) };
  const detail = applied.stderr.trim();
  if (applied.exitCode === 128) return { kind: 'invalid', detail: detail || 'git apply exited 128' };
  const unmerged = await runGit(repo, ['ls-files', '-u', '-z'], { env });
  const conflicted = new Set<string>();
  for (const line of unmerged.stdout.split('\0')) {
    const path = line.split('\t')[1];
    if (path !== undefined && path !== '') conflicted.add(path);
  }
  if (conflicted.size > 0) return { kind: 'conflict', files: [...conflicted].sort(), detail };
  // No unmerged entries: the patch failed before merging (file exists, missing preimage blob): name its paths.
  const stat = await runGit(repo, ['apply', '--numstat', '-z', '-'], { input: diff, okExitCodes: [0, 1, 128] });
  return { kind: 'conflict', files: numstatFiles(stat.stdout), detail };
}

/**
 * Paths in `git apply --numstat -z` output (a rename under its new name). Records are `added\tdeleted\tpath\0`
 * (`-` counts for binary files); git 2.39 names a rename by its new path, and the `added\tdeleted\t\0from\0to\0`
 * form `git diff -z` prints is read too.
 */
function numstatFiles(stdout: string): string[] {
  const files = new Set<string>();
  const records = stdout.split('\0');
  for (let i = 0; i < records.length; i++) {
    const fields = (records[i] ?? '').split('\t');
    if (fields.length < 3) continue;
    const path = fields.slice(2).join('\t');
    if (path !== '') {
      files.add(path);
      continue;
    }
    for (const renamed of records.slice(i + 1, i + 3)) if (renamed) files.add(renamed);
    i += 2;
  }
  return [...files].sort();
}
