import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyToIndex, readTree, writeTree } from '@baton/git';

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

  private get file(): string {
    return join(this.dir, 'index');
  }

  /**
   * Three-way merges a `git diff --binary` onto `tree`. The diff may be against an older base than `tree`:
   * `git apply --3way` applies cleanly when it can and otherwise merges with the preimage blobs.
   */
  async apply(tree: string, diff: string): Promise<DiffApplication> {
    const stale = this.holds !== tree;
    // Until write-tree says which tree the index holds, it holds none known: a failed read-tree or apply may leave
    // part of a tree, conflict stages or part of the patch in it.
    this.holds = undefined;
    if (stale) await readTree(this.repoPath, this.file, tree);
    const applied = await applyToIndex(this.repoPath, this.file, diff);
    if (applied.kind !== 'applied') return applied;
    const result = await writeTree(this.repoPath, this.file);
    this.holds = result;
    return { kind: 'tree', tree: result, files: applied.files };
  }

  /** Removes the index file. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
