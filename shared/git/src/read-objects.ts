import { GitError } from './errors.js';
import { runGitBytes } from './run-git.js';

/** An object's type and its bytes, as stored. */
export interface GitObject {
  type: string;
  content: Buffer;
}

/**
 * Reads objects by name (`<id>`, `<commit>:<path>`) in one `git cat-file --batch`; undefined for a name git does not
 * find. Bytes, exactly: a final newline or CR LF is data.
 */
export async function readObjects(repo: string, names: readonly string[]): Promise<(GitObject | undefined)[]> {
  if (names.length === 0) return [];
  const out = await runGitBytes(repo, ['cat-file', '--batch'], {
    input: names.map((n) => `${n}\n`).join(''),
    step: `git cat-file --batch (${names.length} objects)`,
    maxBuffer: 2 ** 31,
  });
  const bytes = out.stdout;
  const objects: (GitObject | undefined)[] = [];
  let at = 0;
  for (const name of names) {
    // Each answer: `<id> <type> <size>\n<content>\n`, or `<name> missing\n` (`ambiguous` for a short id).
    const eol = bytes.indexOf(0x0a, at);
    if (eol === -1) {
      const stderr = `${out.stderr}\nits output ended before ${name}`;
      throw new GitError({
        step: 'git cat-file --batch',
        args: ['cat-file', '--batch'],
        cwd: repo,
        exitCode: 0,
        stderr,
      });
    }
    const header = bytes.toString('utf8', at, eol);
    at = eol + 1;
    const [, type, size] = /^[0-9a-f]+ (\S+) (\d+)$/.exec(header) ?? [];
    if (type === undefined || size === undefined) {
      objects.push(undefined);
      continue;
    }
    objects.push({ type, content: bytes.subarray(at, at + Number(size)) });
    at += Number(size) + 1;
  }
  return objects;
}
