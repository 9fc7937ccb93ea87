import { realpath } from 'node:fs/promises';
import { GitError, RefMovedError, commitTree, compareAndSwapRef, readRef, readTrailers, runGit } from '@baton/git';
import { MergeIndex, isEmptyDiff } from './apply-diff.js';
import { BATON_TRAILER_KEYS, formatMergeMessage, toTrailerCommit, type TrailerCommit } from './baton-trailers.js';
import { BranchDivergedError, RefContentionError } from './errors.js';
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
  /**
   * Awaited before each compare-and-swap of the ref. Tests play a second writer (another coordinator) here: git runs
   * no hook of the repository, so nothing else can move the ref between a merge's read and its swap on cue.
   */
  beforeRefUpdate?: () => Promise<void>;
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
    private readonly beforeRefUpdate: (() => Promise<void>) | undefined,
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
    const branch = new IntegrationBranch(
      repoPath,
      options.runId,
      base,
      options.maxCasRetries ?? 5,
      options.beforeRefUpdate,
    );
    let head: string;
    try {
      await compareAndSwapRef(repoPath, branch.ref, base, null, { message: `baton: start run ${options.runId}` });
      branch.created = base;
      return branch;
    } catch (err) {
      // It exists (a resumed run): resume it if it descends from the base.
      if (!(err instanceof RefMovedError) || err.actual === null) throw err;
      head = err.actual;
    }
    const descends = await runGit(repoPath, ['merge-base', '--is-ancestor', base, head], { okExitCodes: [0, 1] });
    if (descends.exitCode !== 0) throw new BranchDivergedError(branch.ref, head, base);
    branch.created = head;
    return branch;
  }

  /** The branch's current commit (read from the ref), or null when the ref does not exist. */
  async head(): Promise<string | null> {
    return readRef(this.repoPath, this.ref);
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
        await this.beforeRefUpdate?.();
        const moved = await compareAndSwapRef(this.repoPath, this.ref, outcome.commit, head, {
          message: `baton: merge ${input.subtaskId}`,
        }).then(
          () => undefined,
          (err: unknown) => {
            if (err instanceof RefMovedError) return err;
            throw err;
          },
        );
        if (moved === undefined) {
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
        // Back where this merge read it (moved and moved back): reported, as before, rather than retried.
        if (known.head === head) throw moved;
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
    const commit = await commitTree(this.repoPath, { tree: applied.tree, parents: [head], message });
    return { kind: 'commit', commit, tree: applied.tree, files: applied.files };
  }

  /** Reads the ref and its tree (one git process). */
  private async readKnown(): Promise<{ head: string; tree: string }> {
    const out = await runGit(this.repoPath, ['rev-parse', `${this.ref}^{commit}`, `${this.ref}^{tree}`], {
      okExitCodes: [0, 128],
    });
    const [head, tree] = out.stdout.trim().split('\n');
    if (out.exitCode !== 0 || !head || !tree) throw this.missing(out.exitCode);
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
    const commits = await readTrailers(this.repoPath, {
      range: `${from}..${to}`,
      keys: BATON_TRAILER_KEYS,
      firstParent: true,
    });
    return commits.map(toTrailerCommit).filter((c): c is TrailerCommit => c !== undefined && c.runId === this.runId);
  }

  private async requireHead(): Promise<string> {
    const head = await this.head();
    if (head === null) throw this.missing(1);
    return head;
  }

  /** The error of a ref that should exist and does not (deleted from outside). */
  private missing(exitCode: number): GitError {
    const args = ['rev-parse', this.ref];
    return new GitError({
      step: `git rev-parse ${this.ref}`,
      args,
      cwd: this.repoPath,
      exitCode,
      stderr: `${this.ref} does not exist`,
    });
  }
}
