import { execa } from 'execa';
import { GitReadError } from './errors.js';

/** Files whose text a rename reads or that module resolution looks at; anything else (images, data) is not loaded. */
const SOURCE_LIKE = /\.(?:[cm]?[jt]sx?|json)$/;

/**
 * The text of every source-like file (`.ts`/`.tsx`/`.js`/…, `.json` for package.json and tsconfig) of a commit, by
 * repository-relative path, read straight from the object database (`git ls-tree` + one `git cat-file --batch`):
 * nothing is written to disk, so a rename of a large repository does not pay for writing and deleting a checkout.
 */
export async function readCommitFiles(repo: string, commit: string): Promise<Map<string, string>> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  const listed = await execa('git', ['ls-tree', '-r', '-z', '--full-tree', commit], {
    cwd: repo,
    env,
    reject: false,
    stripFinalNewline: false,
    maxBuffer: 2 ** 30,
  });
  if (listed.exitCode !== 0) throw new GitReadError(repo, commit, String(listed.stderr).trim());
  const paths: string[] = [];
  const ids: string[] = [];
  for (const record of String(listed.stdout).split('\0')) {
    // `<mode> SP <type> SP <object> TAB <path>`; symlinks (120000) and submodules (commit) are not files to read.
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, id] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (type !== 'blob' || mode === '120000' || id === undefined || !SOURCE_LIKE.test(path)) continue;
    paths.push(path);
    ids.push(id);
  }
  const files = new Map<string, string>();
  if (ids.length === 0) return files;
  const batch = await execa('git', ['cat-file', '--batch'], {
    cwd: repo,
    env,
    input: `${ids.join('\n')}\n`,
    encoding: 'buffer',
    stripFinalNewline: false,
    reject: false,
    maxBuffer: 2 ** 31,
  });
  if (batch.exitCode !== 0) throw new GitReadError(repo, commit, Buffer.from(batch.stderr).toString('utf8').trim());
  const out = Buffer.from(batch.stdout);
  let at = 0;
  for (const path of paths) {
    // Each object: `<id> <type> <size>\n<content>\n`.
    const eol = out.indexOf(0x0a, at);
    const header = out.toString('latin1', at, eol).split(' ');
    const size = Number(header[2]);
    if (eol < 0 || header[1] !== 'blob' || !Number.isInteger(size))
      throw new GitReadError(repo, commit, `unexpected git cat-file output for ${path}: ${header.join(' ')}`);
    files.set(path, out.toString('utf8', eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return files;
}
