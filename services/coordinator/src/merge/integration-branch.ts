import { realpath } from 'node:fs/promises';
import { applyDiffToCommit, isEmptyDiff } from './apply-diff.js';
import { TRAILER_LOG_FORMAT, formatMergeMessage, parseTrailerLog, type TrailerCommit } from './baton-trailers.js';
import { BranchDivergedError, GitCommandError, RefContentionError } from './errors.js';
import { runGit } from './run-git.js';
import { serializeByKey } from './serialize-by-key.js';

/** Options of IntegrationBranch.create. */
export interface IntegrationBranchOptions {
  /** Any path inside the repository (its top level is used). */
  repoPath: string;
  runId: string;
  /** The run's pinned base commit. */
  baseCommit: string;
  /** How many times a merge is redone when the ref moved under it; default 5. */
  maxCasRetries?: number;
}

/** One worker diff to land on the branch. */
export interface BranchMergeInput {
  subtaskId: string;
  attempt: number;
  /** `git diff --binary` against the subtask's base commit (any ancestor of the head); empty when nothing changed. */
  diff: string;
  /** Commit subject/body; the Baton trailers are appended. */
  message: string;
}

/** What landing one diff on the branch did. */
export type BranchMergeOutcome =
  /** A new commit on the branch; `commit` is null when the diff changed nothing (no commit is made). */
  | { kind: 'merged'; commit: string | null; head: string; /** Paths changed (renames by new name). */ files: string[] }
  /** The branch already holds a commit for this subtask (found by its trailers). */
  | { kind: 'already-merged'; commit: string; attempt: number; head: string }
  | { kind: 'conflict'; files: string[]; detail: string }
  | { kind: 'invalid'; detail: string };

const REF_PREFIX = 'refs/heads/baton/';

/**
 * A run's integration branch `refs/heads/baton/<runId>`: merges land as new commits on it through
 * a throwaway index, and the ref only ever moves by compare-and-swap, so the user's checked-out
 * branch, HEAD, index and working tree are never touched.
 */
export class IntegrationBranch {
  /** The full ref name. */
  readonly ref: string;

  private constructor(
    readonly repoPath: string,
    readonly runId: string,
    readonly baseCommit: string,
    private readonly maxCasRetries: number,
  ) {
    this.ref = `${REF_PREFIX}${runId}`;
  }

  /**
   * Creates the branch at `baseCommit` if absent (compare-and-swap against "no ref"), or resumes
   * it when it exists and descends from `baseCommit` (else BranchDivergedError).
   */
  static async create(options: IntegrationBranchOptions): Promise<IntegrationBranch> {
    const top = (await runGit(options.repoPath, ['rev-parse', '--show-toplevel'])).stdout.trim();
    const repoPath = await realpath(top);
    const base = (await runGit(repoPath, ['rev-parse', '--verify', '--end-of-options', `${options.baseCommit}^{commit}`])).stdout.trim();
    const branch = new IntegrationBranch(repoPath, options.runId, base, options.maxCasRetries ?? 5);
    await runGit(repoPath, ['check-ref-format', branch.ref]);
    const zero = '0'.repeat(base.length);
    const created = await runGit(repoPath, ['update-ref', '-m', `baton: start run ${options.runId}`, branch.ref, base, zero], {
      okExitCodes: [0, 1, 128],
    });
    if (created.exitCode === 0) return branch;
    const head = await branch.head();
    if (head === null) throw new GitCommandError(['update-ref', branch.ref, base, zero], created.exitCode, created.stderr);
    const descends = await runGit(repoPath, ['merge-base', '--is-ancestor', base, head], { okExitCodes: [0, 1] });
    if (descends.exitCode !== 0) throw new BranchDivergedError(branch.ref, head, base);
    return branch;
  }

  /** The branch's current commit, or null when the ref does not exist. */
  async head(): Promise<string | null> {
    const out = await runGit(this.repoPath, ['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`], { okExitCodes: [0, 1] });
    return out.exitCode === 0 ? out.stdout.trim() : null;
  }

  /** Commits on the branch since the base (first-parent, newest first) that carry this run's trailers. */
  async mergedCommits(since?: string): Promise<TrailerCommit[]> {
    const head = await this.requireHead();
    return this.trailerCommits(since ?? this.baseCommit, head);
  }

  /**
   * Lands a diff as one commit with Baton trailers on top of the head. Serialized per branch in
   * this process; across processes the compare-and-swap on the ref detects a moved head, and the
   * merge is redone on the new head (after re-checking the new commits for this subtask).
   */
  async merge(input: BranchMergeInput): Promise<BranchMergeOutcome> {
    return serializeByKey(`${this.repoPath}\0${this.ref}`, async () => {
      let head = await this.requireHead();
      let scanFrom = this.baseCommit;
      for (let attempt = 1; attempt <= this.maxCasRetries; attempt++) {
        const found = await this.findSubtask(input.subtaskId, scanFrom, head);
        if (found) return { kind: 'already-merged', commit: found.commit, attempt: found.attempt, head };
        const outcome = await this.mergeOnto(head, input);
        if (outcome.kind !== 'commit') return outcome;
        const moved = await runGit(this.repoPath, ['update-ref', '-m', `baton: merge ${input.subtaskId}`, this.ref, outcome.commit, head], {
          okExitCodes: [0, 1, 128],
        });
        if (moved.exitCode === 0) return { kind: 'merged', commit: outcome.commit, head: outcome.commit, files: outcome.files };
        const now = await this.requireHead();
        if (now === head) throw new GitCommandError(['update-ref', this.ref, outcome.commit, head], moved.exitCode, moved.stderr);
        // Someone else moved the ref: only the commits they added can hold this subtask.
        scanFrom = head;
        head = now;
      }
      throw new RefContentionError(this.ref, this.maxCasRetries);
    });
  }

  private async mergeOnto(
    head: string,
    input: BranchMergeInput,
  ): Promise<Exclude<BranchMergeOutcome, { kind: 'already-merged' }> | { kind: 'commit'; commit: string; files: string[] }> {
    if (isEmptyDiff(input.diff)) return { kind: 'merged', commit: null, head, files: [] };
    const applied = await applyDiffToCommit(this.repoPath, head, input.diff);
    if (applied.kind !== 'tree') return applied;
    const headTree = (await runGit(this.repoPath, ['rev-parse', `${head}^{tree}`])).stdout.trim();
    // The change is already on the branch (another subtask made it): nothing to commit.
    if (applied.tree === headTree) return { kind: 'merged', commit: null, head, files: applied.files };
    const message = formatMergeMessage(input.message, { runId: this.runId, subtaskId: input.subtaskId, attempt: input.attempt });
    const commit = (await runGit(this.repoPath, ['commit-tree', '--no-gpg-sign', applied.tree, '-p', head], { input: message })).stdout.trim();
    return { kind: 'commit', commit, files: applied.files };
  }

  private async findSubtask(subtaskId: string, from: string, to: string): Promise<TrailerCommit | undefined> {
    if (from === to) return undefined;
    return (await this.trailerCommits(from, to)).find((c) => c.subtaskId === subtaskId);
  }

  private async trailerCommits(from: string, to: string): Promise<TrailerCommit[]> {
    const out = await runGit(this.repoPath, ['log', '-z', '--first-parent', `--format=${TRAILER_LOG_FORMAT}`, `${from}..${to}`]);
    return parseTrailerLog(out.stdout).filter((c) => c.runId === this.runId);
  }

  private async requireHead(): Promise<string> {
    const head = await this.head();
    if (head === null) throw new GitCommandError(['rev-parse', this.ref], 1, `${this.ref} does not exist`);
    return head;
  }
}
