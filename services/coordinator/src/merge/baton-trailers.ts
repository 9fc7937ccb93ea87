import type { CommitTrailers } from '@baton/git';

/** The git trailer keys Baton writes on every merge commit. */
const BatonTrailer = { run: 'Baton-Run', subtask: 'Baton-Subtask', attempt: 'Baton-Attempt' } as const;

/** What the trailers of one merge commit say. */
export interface BatonTrailers {
  runId: string;
  subtaskId: string;
  attempt: number;
}

/**
 * The commit message: the subject/body, then one blank line, then the trailer block as the last
 * paragraph (git reads trailers from the last paragraph only, so lines in the body never count).
 */
export function formatMergeMessage(message: string, trailers: BatonTrailers): string {
  // Trailer-looking lines and `---` dividers in the body are harmless, but a trailing block of
  // blank lines or CRs would merge paragraphs in some git versions' parsers: normalize.
  const body = message.replace(/\r\n?/g, '\n').trim() || `baton: merge ${trailers.subtaskId}`;
  return [
    body,
    '',
    `${BatonTrailer.run}: ${trailers.runId}`,
    `${BatonTrailer.subtask}: ${trailers.subtaskId}`,
    `${BatonTrailer.attempt}: ${trailers.attempt}`,
    '',
  ].join('\n');
}

/** The trailer keys readTrailers is asked for, in the order of BatonTrailers' fields. */
export const BATON_TRAILER_KEYS = [BatonTrailer.run, BatonTrailer.subtask, BatonTrailer.attempt] as const;

/** A commit on the branch carrying complete Baton trailers. */
export interface TrailerCommit extends BatonTrailers {
  commit: string;
}

/**
 * A commit's Baton trailers, or undefined unless it has exactly one of each (a key given twice, or a value with a
 * comma, is ambiguous and never counts) and a positive attempt.
 */
export function toTrailerCommit({ commit, trailers }: CommitTrailers): TrailerCommit | undefined {
  const [runs = [], subtasks = [], attempts = []] = BATON_TRAILER_KEYS.map((key) => trailers[key] ?? []);
  if (runs.length !== 1 || subtasks.length !== 1 || attempts.length !== 1) return undefined;
  const [runId = '', subtaskId = '', attemptText = ''] = [runs[0], subtasks[0], attempts[0]];
  const attempt = Number(attemptText);
  if (commit === '' || runId === '' || subtaskId === '' || runId.includes(',') || subtaskId.includes(','))
    return undefined;
  if (!Number.isInteger(attempt) || attempt <= 0) return undefined;
  return { commit, runId, subtaskId, attempt };
}
