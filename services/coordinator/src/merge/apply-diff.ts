import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './run-git.js';

/** What an index-only merge of a diff onto a commit produced. */
export type DiffApplication =
  | { kind: 'tree'; tree: string; files: string[] }
  | { kind: 'conflict'; files: string[]; detail: string }
  | { kind: 'invalid'; detail: string };

/** True when the diff has nothing to apply (a tester or shell subtask that changed no file). */
export function isEmptyDiff(diff: string): boolean {
  return diff.trim() === '';
}

/** Paths a diff touches (a rename under its new name), or the reason it is not a valid patch. */
async function patchFiles(repoPath: string, diff: string): Promise<{ files: string[] } | { invalid: string }> {
  const out = await runGit(repoPath, ['apply', '--numstat', '-z', '-'], { input: diff, okExitCodes: [0, 1, 128] });
  if (out.exitCode !== 0) return { invalid: out.stderr.trim() || `git apply --numstat exited ${out.exitCode}` };
  // -z numstat records are `added\tdeleted\tpath\0` (`-` counts for binary files). git 2.39 names a
  // rename by its new path; a `added\tdeleted\t\0from\0to\0` form (as `git diff -z` prints) is read too.
  const files = new Set<string>();
  const records = out.stdout.split('\0');
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
  return { files: [...files].sort() };
}

/**
 * Three-way merges a `git diff --binary` onto `head` using only a throwaway index: never the
 * user's index, working tree or HEAD. The diff may be against an older base than `head`;
 * `git apply --3way` applies cleanly when it can and otherwise merges with the preimage blobs.
 */
export async function applyDiffToCommit(repoPath: string, head: string, diff: string): Promise<DiffApplication> {
  const parsed = await patchFiles(repoPath, diff);
  if ('invalid' in parsed) return { kind: 'invalid', detail: parsed.invalid };
  const dir = await mkdtemp(join(tmpdir(), 'baton-merge-'));
  try {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    await runGit(repoPath, ['read-tree', head], { env });
    const applied = await runGit(repoPath, ['apply', '--cached', '--3way', '--whitespace=nowarn', '-'], {
      input: diff,
      env,
      okExitCodes: [0, 1, 128],
    });
    if (applied.exitCode !== 0) {
      const unmerged = await runGit(repoPath, ['ls-files', '-u', '-z'], { env });
      const conflicted = new Set<string>();
      for (const line of unmerged.stdout.split('\0')) {
        const path = line.split('\t')[1];
        if (path !== undefined && path !== '') conflicted.add(path);
      }
      // No unmerged entries: the patch failed before merging (file exists, missing preimage blob).
      const files = conflicted.size > 0 ? [...conflicted].sort() : parsed.files;
      return { kind: 'conflict', files, detail: applied.stderr.trim() };
    }
    const tree = (await runGit(repoPath, ['write-tree'], { env })).stdout.trim();
    return { kind: 'tree', tree, files: parsed.files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
