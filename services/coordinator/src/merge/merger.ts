import { silentLogger, type Logger } from '@baton/log';
import { IntegrationBranch, type IntegrationBranchOptions } from './integration-branch.js';
import { LedgerSource, type LedgerEntry } from './ledger-entry.js';
import type { MergeLedger } from './merge-ledger.js';
import { MergeOutcomeKind, type MergeOutcome } from './merge-outcome.js';
import { RunNotOpenError } from './errors.js';
import { serializeByKey } from './serialize-by-key.js';

/** Options of the Merger. */
export interface MergerOptions {
  ledger: MergeLedger;
  logger?: Logger;
  /** Clock for `recordedAt`; default Date.now. */
  now?: () => number;
}

/** One worker result offered for merging. */
export interface MergeResultInput {
  runId: string;
  subtaskId: string;
  /** The attempt that produced the diff. */
  attempt: number;
  /** The attempt the coordinator currently accepts for this subtask. */
  currentAttempt: number;
  /** `git diff --binary` against the subtask's base commit; empty when nothing changed. */
  diff: string;
  /** Commit subject/body (the subtask's title and summary). */
  message: string;
}

/**
 * Exactly-once merging of worker results onto each run's integration branch: the KV ledger and
 * the `Baton-*` trailers on the branch together make every redelivered, replayed or stale result
 * a no-op, including after a crash between moving the ref and writing the ledger.
 * @example
 * const merger = new Merger({ ledger: await MergeLedger.open(bus) });
 * await merger.open({ repoPath, runId, baseCommit });
 * const outcome = await merger.mergeResult({ runId, subtaskId, attempt, currentAttempt, diff, message });
 */
export class Merger {
  private static instances = 0;
  /** Serialization key prefix: one queue per run per Merger (a process normally has one). */
  private readonly queue = `merger#${++Merger.instances}`;
  private readonly branches = new Map<string, IntegrationBranch>();
  private readonly logger: Logger;
  private readonly now: () => number;

  constructor(private readonly options: MergerOptions) {
    this.logger = options.logger ?? silentLogger();
    this.now = options.now ?? Date.now;
  }

  /** Creates or resumes the run's integration branch; call once per run (again after a restart). */
  async open(options: IntegrationBranchOptions): Promise<IntegrationBranch> {
    const branch = await IntegrationBranch.create(options);
    this.branches.get(options.runId)?.dispose();
    this.branches.set(options.runId, branch);
    return branch;
  }

  /** The run's integration branch (RunNotOpenError before `open`). */
  branch(runId: string): IntegrationBranch {
    const branch = this.branches.get(runId);
    if (branch === undefined) throw new RunNotOpenError(runId);
    return branch;
  }

  /** Forgets a finished run's branch handle (the branch itself stays). */
  close(runId: string): void {
    this.branches.get(runId)?.dispose();
    this.branches.delete(runId);
  }

  /**
   * Merges one result at most once per subtask: (a) ledger says merged -> duplicate; stale attempt
   * -> stale; (b) a commit on the branch carries this subtask's trailers -> record it, duplicate;
   * (c) apply, move the ref by compare-and-swap, then record in the ledger by compare-and-set.
   */
  async mergeResult(input: MergeResultInput): Promise<MergeOutcome> {
    const branch = this.branch(input.runId);
    // One result per run at a time in this process, ledger check through ledger write.
    return serializeByKey(`${this.queue}\0${input.runId}`, async () => {
      const log = this.logger.child({ runId: input.runId, subtaskId: input.subtaskId, attempt: input.attempt });
      const { ledger } = this.options;
      const recorded = await ledger.get(input.runId, input.subtaskId);
      if (recorded !== null)
        return { kind: MergeOutcomeKind.duplicate, commit: recorded.commit, attempt: recorded.attempt };
      if (input.attempt !== input.currentAttempt) {
        return { kind: MergeOutcomeKind.stale, attempt: input.attempt, currentAttempt: input.currentAttempt };
      }
      const landed = await branch.merge(input);
      switch (landed.kind) {
        case 'conflict':
          log.info({ files: landed.files }, 'merge conflict');
          return landed;
        case 'invalid':
          log.warn({ detail: landed.detail }, 'invalid diff');
          return landed;
        case 'already-merged': {
          log.warn({ commit: landed.commit }, 'merge found on the branch but not in the ledger; recording it');
          const { entry } = await ledger.record(
            this.entry(input.runId, input.subtaskId, landed.attempt, landed.commit, LedgerSource.trailers),
          );
          return { kind: MergeOutcomeKind.duplicate, commit: entry.commit, attempt: entry.attempt };
        }
        case 'merged': {
          const { entry, written } = await ledger.record(
            this.entry(input.runId, input.subtaskId, input.attempt, landed.commit, LedgerSource.merge),
          );
          // Not written but the same commit (record checks it): another process found our commit by its
          // trailers and recorded it first; the merge is still ours. With no commit, theirs counts.
          if (!written && landed.commit === null)
            return { kind: MergeOutcomeKind.duplicate, commit: entry.commit, attempt: entry.attempt };
          log.info({ commit: landed.commit, files: landed.files.length }, 'merged');
          return landed;
        }
      }
    });
  }

  /**
   * Rebuilds the run's ledger from the branch's trailers (coordinator restart): every merge
   * commit without an entry gets one. Returns all entries of the run afterwards.
   */
  async recoverLedger(runId: string): Promise<LedgerEntry[]> {
    const branch = this.branch(runId);
    return serializeByKey(`${this.queue}\0${runId}`, async () => {
      const commits = await branch.mergedCommits();
      // Oldest first, so if a subtask somehow appears twice the first landing is the one recorded.
      for (const c of [...commits].reverse()) {
        if ((await this.options.ledger.get(runId, c.subtaskId)) !== null) continue;
        await this.options.ledger.record(this.entry(runId, c.subtaskId, c.attempt, c.commit, LedgerSource.trailers));
        this.logger.warn({ runId, subtaskId: c.subtaskId, commit: c.commit }, 'ledger entry recovered from trailers');
      }
      return this.options.ledger.entries(runId);
    });
  }

  private entry(
    runId: string,
    subtaskId: string,
    attempt: number,
    commit: string | null,
    source: LedgerSource,
  ): LedgerEntry {
    return { v: 1, runId, subtaskId, attempt, commit, source, recordedAt: this.now() };
  }
}
