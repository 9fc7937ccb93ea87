import { realpath } from 'node:fs/promises';
import { MergeIndex, isEmptyDiff } from './apply-diff.js';
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
 * a private index, and the ref only ever moves by compare-and-swap, so the user's checked-out
 * branch, HEAD, index and working tree are never touched.
 *
 * Between merges it remembers the head it last saw or wrote (and its tree), which subtasks the
 * branch's trailers name up to that head, and what its index holds, so a merge onto its own last
 * commit is four git processes (apply, write-tree, commit-tree, update-ref) with no rescans. What
 * it remembers is only ever a guess about the ref: the compare-and-swap checks it, and when another
 * process moved the ref, the new commits are scanned and the merge is redone on the new head.
 */
export class IntegrationBranch {
  /** The full ref name. */
  readonly ref: string;
  /** The head last seen or written and its tree. */
  private known: { head: string; tree: string } | undefined;
  /** Trailers are scanned from the base up to this commit... */
  private scannedTo: string;
  /** ...and these are the subtasks they name (the first landing of each). */
  private readonly landed = new Map<string, TrailerCommit>();
  private index: MergeIndex | undefined;
  /** The head `create` found or set, until a merge or a read knows better. */
  private created: string | undefined;

  private constructor(
    readonly repoPath: string,
    readonly runId: string,
    readonly baseCommit: string,
    private readonly maxCasRetries: number,
  ) {
    this.ref = `${REF_PREFIX}${runId}`;
    this.scannedTo = baseCommit;
  }

  /**
   * Creates the branch at `baseCommit` if absent (compare-and-swap against "no ref"), or resumes
   * it when it exists and descends from `baseCommit` (else BranchDivergedError).
   */
  static async create(options: IntegrationBranchOptions): Promise<IntegrationBranch> {
    const ref = `${REF_PREFIX}${options.runId}`;
    // One process for the top level and the base (each git process is a fork of this one: they add up per run).
    const [resolved] = await Promise.all([
      runGit(options.repoPath, [
        'rev-parse',
        '--show-toplevel',
        '--verify',
        '--end-of-options',
        `${options.baseCommit}^{commit}`,
      ]),
      runGit(options.repoPath, ['check-ref-format', ref]),
    ]);
    const [top = '', base = ''] = resolved.stdout.trim().split('\n');
    const repoPath = await realpath(top);
    const branch = new IntegrationBranch(repoPath, options.runId, base, options.maxCasRetries ?? 5);
    const zero = '0'.repeat(base.length);
    const created = await runGit(
      repoPath,
      ['update-ref', '-m', `baton: start run ${options.runId}`, branch.ref, base, zero],
      {
        okExitCodes: [0, 1, 128],
      },
    );
    if (created.exitCode === 0) {
      branch.created = base;
      return branch;
    }
    const head = await branch.head();
    if (head === null)
      throw new GitCommandError(['update-ref', branch.ref, base, zero], created.exitCode, created.stderr);
    const descends = await runGit(repoPath, ['merge-base', '--is-ancestor', base, head], { okExitCodes: [0, 1] });
    if (descends.exitCode !== 0) throw new BranchDivergedError(branch.ref, head, base);
    branch.created = head;
    return branch;
  }

  /** The branch's current commit (read from the ref), or null when the ref does not exist. */
  async head(): Promise<string | null> {
    const out = await runGit(this.repoPath, ['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`], {
      okExitCodes: [0, 1],
    });
    return out.exitCode === 0 ? out.stdout.trim() : null;
  }

  /**
   * The head this process last read or wrote (no git process), else the ref's. Only this coordinator moves the ref
   * of its runs, and every merge it makes updates what it remembers, so this is the ref's value unless another
   * process moved it; the compare-and-swap of the next merge notices that.
   */
  async currentHead(): Promise<string | null> {
    return this.known?.head ?? this.created ?? this.head();
  }

  /** Commits on the branch since the base (first-parent, newest first) that carry this run's trailers. */
  async mergedCommits(since?: string): Promise<TrailerCommit[]> {
    const head = await this.requireHead();
    return this.trailerCommits(since ?? this.baseCommit, head);
  }

  /**
   * Lands a diff as one commit with Baton trailers on top of the head. Serialized per branch in
   * this process; across processes the compare-and-swap on the ref detects a moved head, and the
   * merge is redone on the new head (after scanning the new commits for this subtask).
   */
  async merge(input: BranchMergeInput): Promise<BranchMergeOutcome> {
    return serializeByKey(`${this.repoPath}\0${this.ref}`, async () => {
      let known = this.known ?? (await this.readKnown());
      for (let attempt = 1; attempt <= this.maxCasRetries; attempt++) {
        const { head } = known;
        await this.scanTo(head);
        const found = this.landed.get(input.subtaskId);
        if (found) return { kind: 'already-merged', commit: found.commit, attempt: found.attempt, head };
        const outcome = await this.mergeOnto(known, input);
        if (outcome.kind !== 'commit') return outcome;
        const moved = await runGit(
          this.repoPath,
          ['update-ref', '-m', `baton: merge ${input.subtaskId}`, this.ref, outcome.commit, head],
          {
            okExitCodes: [0, 1, 128],
          },
        );
        if (moved.exitCode === 0) {
          this.known = { head: outcome.commit, tree: outcome.tree };
          if (this.scannedTo === head) {
            this.scannedTo = outcome.commit;
            this.landed.set(input.subtaskId, {
              commit: outcome.commit,
              runId: this.runId,
              subtaskId: input.subtaskId,
              attempt: input.attempt,
            });
          }
          return { kind: 'merged', commit: outcome.commit, head: outcome.commit, files: outcome.files };
        }
        this.known = undefined;
        this.created = undefined;
        known = await this.readKnown();
        if (known.head === head)
          throw new GitCommandError(['update-ref', this.ref, outcome.commit, head], moved.exitCode, moved.stderr);
        // Someone else moved the ref: the loop scans the commits they added, then merges onto their head.
      }
      throw new RefContentionError(this.ref, this.maxCasRetries);
    });
  }

  /** Removes the private index (the branch itself stays). */
  dispose(): void {
    this.index?.dispose();
    this.index = undefined;
  }

  private async mergeOnto(
    known: { head: string; tree: string },
    input: BranchMergeInput,
  ): Promise<
    | Exclude<BranchMergeOutcome, { kind: 'already-merged' }>
    | { kind: 'commit'; commit: string; tree: string; files: string[] }
  > {
    const { head } = known;
    if (isEmptyDiff(input.diff)) return { kind: 'merged', commit: null, head, files: [] };
    this.index ??= new MergeIndex(this.repoPath);
    const applied = await this.index.apply(known.tree, input.diff);
    if (applied.kind !== 'tree') return applied;
    // The change is already on the branch (another subtask made it): nothing to commit.
    if (applied.tree === known.tree) return { kind: 'merged', commit: null, head, files: applied.files };
    const message = formatMergeMessage(input.message, {
      runId: this.runId,
      subtaskId: input.subtaskId,
      attempt: input.attempt,
    });
    const commit = (
      await runGit(this.repoPath, ['commit-tree', '--no-gpg-sign', applied.tree, '-p', head], { input: message })
    ).stdout.trim();
    return { kind: 'commit', commit, tree: applied.tree, files: applied.files };
  }

  /** Reads the ref and its tree (one git process). */
  private async readKnown(): Promise<{ head: string; tree: string }> {
    const out = await runGit(this.repoPath, ['rev-parse', `${this.ref}^{commit}`, `${this.ref}^{tree}`], {
      okExitCodes: [0, 128],
    });
    const [head, tree] = out.stdout.trim().split('\n');
    if (out.exitCode !== 0 || !head || !tree)
      throw new GitCommandError(['rev-parse', this.ref], 1, `${this.ref} does not exist`);
    this.known = { head, tree };
    return this.known;
  }

  /** Scans the trailers of the commits between what was scanned and `head` (nothing when they are the same). */
  private async scanTo(head: string): Promise<void> {
    if (this.scannedTo === head) return;
    // Oldest first, so a subtask that somehow landed twice is remembered by its first landing.
    for (const c of (await this.trailerCommits(this.scannedTo, head)).reverse())
      if (!this.landed.has(c.subtaskId)) this.landed.set(c.subtaskId, c);
    this.scannedTo = head;
  }

  private async trailerCommits(from: string, to: string): Promise<TrailerCommit[]> {
    if (from === to) return [];
    const out = await runGit(this.repoPath, [
      'log',
      '-z',
      '--first-parent',
      `--format=${TRAILER_LOG_FORMAT}`,
      `${from}..${to}`,
    ]);
    return parseTrailerLog(out.stdout).filter((c) => c.runId === this.runId);
  }

  private async requireHead(): Promise<string> {
    const head = await this.head();
    if (head === null) throw new GitCommandError(['rev-parse', this.ref], 1, `${this.ref} does not exist`);
    return head;
  }
}
