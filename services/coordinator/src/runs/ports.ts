import type { Result, Run } from '@baton/protocol';

/** What merging one result did. */
export type MergeOutcome =
  | { kind: 'merged'; commit: string | null; files: string[] }
  | { kind: 'duplicate'; commit: string | null }
  | { kind: 'stale' }
  | { kind: 'conflict'; files: string[]; detail: string }
  | { kind: 'invalid'; detail: string };

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

/** Priority order of dispatchable subtasks. */
export interface SchedulePort {
  /** Orders ready ids longest remaining critical path first. */
  order(run: Run, readyIds: string[]): string[];
}
