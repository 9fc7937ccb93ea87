import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from './run-git.js';

/** What an index-only merge of a diff onto a tree produced. */
export type DiffApplication =
  | { kind: 'tree'; tree: string; files: string[] }
  | { kind: 'conflict'; files: string[]; detail: string }
  | { kind: 'invalid'; detail: string };

/** True when the diff has nothing to apply (a tester or shell subtask that changed no file). */
export function isEmptyDiff(diff: string): boolean {
  return diff.trim() === '';
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

/**
 * A private index file for three-way merging diffs onto a branch: never the user's index, working tree or HEAD.
 * It is kept between merges and remembers which tree it holds, so merging onto the commit the previous merge made
 * (the usual case) skips `read-tree`; a merge is then two git processes (`apply`, `write-tree`), not six.
 */
export class MergeIndex {
  private readonly dir: string;
  /** The tree the index file holds, or undefined when unknown (new, or left by a failed apply). */
  private holds: string | undefined;

  constructor(private readonly repoPath: string) {
    this.dir = mkdtempSync(join(tmpdir(), 'baton-merge-'));
  }

  private get env(): Record<string, string> {
    return { GIT_INDEX_FILE: join(this.dir, 'index') };
  }

  /**
   * Three-way merges a `git diff --binary` onto `tree`. The diff may be against an older base than `tree`:
   * `git apply --3way` applies cleanly when it can and otherwise merges with the preimage blobs.
   */
  async apply(tree: string, diff: string): Promise<DiffApplication> {
    const env = this.env;
    if (this.holds !== tree) {
      this.holds = undefined;
      await runGit(this.repoPath, ['read-tree', tree], { env });
      this.holds = tree;
    }
    // --numstat with --apply: the paths and the application in one process.
    const applied = await runGit(
      this.repoPath,
      ['apply', '--numstat', '-z', '--apply', '--cached', '--3way', '--whitespace=nowarn', '-'],
      {
        input: diff,
        env,
        okExitCodes: [0, 1, 128],
      },
    );
    if (applied.exitCode === 0) {
      this.holds = undefined;
      const result = (await runGit(this.repoPath, ['write-tree'], { env })).stdout.trim();
      this.holds = result;
      return { kind: 'tree', tree: result, files: numstatFiles(applied.stdout) };
    }
    // A failed apply may leave conflict stages or part of the patch in the index.
    this.holds = undefined;
    const detail = applied.stderr.trim();
    // 128: git could not read the patch at all (corrupt, empty, a path it refuses).
    if (applied.exitCode === 128) return { kind: 'invalid', detail: detail || 'git apply exited 128' };
    const unmerged = await runGit(this.repoPath, ['ls-files', '-u', '-z'], { env });
    const conflicted = new Set<string>();
    for (const line of unmerged.stdout.split('\0')) {
      const path = line.split('\t')[1];
      if (path !== undefined && path !== '') conflicted.add(path);
    }
    if (conflicted.size > 0) return { kind: 'conflict', files: [...conflicted].sort(), detail };
    // No unmerged entries: the patch failed before merging (file exists, missing preimage blob): name its paths.
    const stat = await runGit(this.repoPath, ['apply', '--numstat', '-z', '-'], {
      input: diff,
      okExitCodes: [0, 1, 128],
    });
    return { kind: 'conflict', files: numstatFiles(stat.stdout), detail };
  }

  /** Removes the index file. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
