import { runGit } from './run-git.js';

/** One commit's values of the trailer keys asked for (a key with no trailer has no values). */
export interface CommitTrailers {
  commit: string;
  /** Per key, its values in the commit's trailer block (the last paragraph of the message), in order. */
  trailers: Record<string, string[]>;
}

/** Which commits readTrailers reads. */
export interface ReadTrailersOptions {
  /** A revision range (`base..head`). */
  range: string;
  keys: readonly string[];
  /** Follow first parents only (a branch's own commits); default false. */
  firstParent?: boolean;
  /** Oldest first; default newest first. */
  reverse?: boolean;
}

/**
 * The values of trailer `keys` on every commit of a range, in one `git log`: values only from the trailer block
 * (`%(trailers:key=…,valueonly)`), so a line in the body that looks like a trailer never counts.
 */
export async function readTrailers(repo: string, options: ReadTrailersOptions): Promise<CommitTrailers[]> {
  // Per commit: `<sha> NUL <values of key 1, separated by US> NUL … NUL`, then the NUL -z puts after each commit.
  const format = ['%H', ...options.keys.map((k) => `%(trailers:key=${k},valueonly,separator=%x1F)`), ''].join('%x00');
  const out = await runGit(repo, [
    'log',
    '-z',
    ...(options.firstParent ? ['--first-parent'] : []),
    ...(options.reverse ? ['--reverse'] : []),
    `--format=${format}`,
    options.range,
  ]);
  const fields = out.stdout.split('\0');
  const step = options.keys.length + 2;
  const commits: CommitTrailers[] = [];
  for (let i = 0; i + step - 2 < fields.length; i += step) {
    const commit = (fields[i] ?? '').trim();
    if (commit === '') continue;
    const trailers: Record<string, string[]> = {};
    options.keys.forEach((key, k) => {
      const raw = (fields[i + 1 + k] ?? '').trim();
      trailers[key] = raw === '' ? [] : raw.split('\x1f').map((v) => v.trim());
    });
    commits.push({ commit, trailers });
  }
  return commits;
}
