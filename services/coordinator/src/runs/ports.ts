import type { Result, Run } from '@baton/protocol';
import type { MergeOutcome } from '../merge/merge-outcome.js';

/** The integration branch of runs, as the run controller uses it (implemented over git by `merge/`). */
export interface MergePort {
  /** Creates `baton/<runId>` at baseCommit, or reuses it when resuming. */
  open(run: Run): Promise<void>;
  head(runId: string): Promise<string>;
  merge(run: Run, result: Result, currentAttempt: number, title: string): Promise<MergeOutcome>;
  /** Rebuilds the exactly-once ledger from the branch's trailers (after a restart). */
  recover(run: Run): Promise<void>;
  /** Releases what merging the run held (its private index); the branch stays. Opening again resumes. */
  close(runId: string): void;
}
