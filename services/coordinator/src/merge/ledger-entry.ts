import { z } from 'zod';
import { CommitId, RunId, SubtaskId, Timestamp, V } from '@baton/protocol';

/** How a ledger entry came to be written. */
export const LedgerSource = { merge: 'merge', trailers: 'trailers' } as const;
/** How a ledger entry came to be written. */
export type LedgerSource = (typeof LedgerSource)[keyof typeof LedgerSource];

/**
 * One merged subtask in the merge ledger (KV key `<runId>.<subtaskId>`). Its existence means
 * "merged": the ledger never holds conflicts or failures, which are the coordinator's to record.
 */
export const LedgerEntry = z.strictObject({
  v: V,
  runId: RunId,
  subtaskId: SubtaskId,
  attempt: z.number().int().positive(),
  /** The commit on the integration branch; null when the result changed nothing (no commit made). */
  commit: CommitId.nullable(),
  /** `merge` when written after the ref moved, `trailers` when rebuilt from the branch after a crash. */
  source: z.enum([LedgerSource.merge, LedgerSource.trailers]),
  recordedAt: Timestamp,
});
/** One merged subtask in the merge ledger. */
export type LedgerEntry = z.infer<typeof LedgerEntry>;
