/** The kinds of MergeOutcome. */
export const MergeOutcomeKind = {
  merged: 'merged',
  duplicate: 'duplicate',
  stale: 'stale',
  conflict: 'conflict',
  invalid: 'invalid',
} as const;
/** A kind of MergeOutcome. */
export type MergeOutcomeKind = (typeof MergeOutcomeKind)[keyof typeof MergeOutcomeKind];

/** What offering one worker result to the integration branch did; only `merged` changed anything. */
export type MergeOutcome =
  /** Applied now; `commit` is null when the result changed nothing (no commit, still counts as done). */
  | { kind: typeof MergeOutcomeKind.merged; commit: string | null; head: string; files: string[] }
  /** Already merged earlier (ledger, or branch trailers after a crash); nothing applied. */
  | { kind: typeof MergeOutcomeKind.duplicate; commit: string | null; attempt: number }
  /** Not the subtask's current attempt; nothing applied. */
  | { kind: typeof MergeOutcomeKind.stale; attempt: number; currentAttempt: number }
  /** Overlaps changes already on the branch; nothing applied. */
  | { kind: typeof MergeOutcomeKind.conflict; files: string[]; detail: string }
  /** Not a patch git can read; nothing applied. */
  | { kind: typeof MergeOutcomeKind.invalid; detail: string };
