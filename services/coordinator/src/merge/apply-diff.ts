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

/** Paths a diff touches (both sides of a rename), or the reason it is not a valid patch. */
async function patchFiles(repoPath: string, diff: string): Promise<{ files: string[] } | { invalid: string }> {
  const out = await runGit(repoPath, ['apply', '--numstat', '-z', '-'], { input: diff, okExitCodes: [0, 1, 128] });
  if (out.exitCode !== 0) return { invalid: out.stderr.trim() || `git apply --numstat exited ${out.exitCode}` };
  // -z numstat: `add\tdel\tpath\0`, or for renames `add\tdel\t\0from\0to\0`.
  const files = new Set<string>();
  const parts = out.stdout.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part === '') continue;
    const path = part.split('\t')[2];
    if (path === undefined) continue;
    if (path !== '') {
      files.add(path);
      continue;
    }
    for (const renamed of [parts[i + 1], parts[i + 2]]) if (renamed) files.add(renamed);
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
