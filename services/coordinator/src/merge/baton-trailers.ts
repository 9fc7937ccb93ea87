/** The git trailer keys Baton writes on every merge commit. */
export const BatonTrailer = { run: 'Baton-Run', subtask: 'Baton-Subtask', attempt: 'Baton-Attempt' } as const;
/** A Baton trailer key. */
export type BatonTrailer = (typeof BatonTrailer)[keyof typeof BatonTrailer];

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

/**
 * The `git log --format` that prints, per commit, `<sha> NUL <run> NUL <subtask> NUL <attempt> NUL`,
 * values from the trailer block only (`%(trailers:key=…,valueonly)`).
 */
export const TRAILER_LOG_FORMAT = [
  '%H',
  `%(trailers:key=${BatonTrailer.run},valueonly,separator=%x2C)`,
  `%(trailers:key=${BatonTrailer.subtask},valueonly,separator=%x2C)`,
  `%(trailers:key=${BatonTrailer.attempt},valueonly,separator=%x2C)`,
  '',
].join('%x00');

/** A commit on the branch carrying complete Baton trailers. */
export interface TrailerCommit extends BatonTrailers {
  commit: string;
}

/** Parses `git log -z --format=TRAILER_LOG_FORMAT` output; commits without complete trailers are skipped. */
export function parseTrailerLog(stdout: string): TrailerCommit[] {
  const fields = stdout.split('\0');
  const commits: TrailerCommit[] = [];
  // Each commit contributes 4 fields plus the empty field after its trailing NUL (the -z separator).
  for (let i = 0; i + 3 < fields.length; i += 5) {
    const commit = (fields[i] ?? '').trim();
    const runId = (fields[i + 1] ?? '').trim();
    const subtaskId = (fields[i + 2] ?? '').trim();
    const attempt = Number((fields[i + 3] ?? '').trim());
    if (commit === '' || runId === '' || subtaskId === '' || runId.includes(',') || subtaskId.includes(',')) continue;
    if (!Number.isInteger(attempt) || attempt <= 0) continue;
    commits.push({ commit, runId, subtaskId, attempt });
  }
  return commits;
}
