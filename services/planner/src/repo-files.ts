import { execa } from 'execa';
import { RepoReadError } from './errors.js';

/** A file of the repository at a commit, with its size in bytes. */
export interface RepoFile {
  path: string;
  size: number;
}

/** Lists the files (blobs, not submodules) of `commit` with their sizes, in path order, from `git ls-tree`. */
export async function listRepoFiles(repoPath: string, commit: string): Promise<RepoFile[]> {
  const args = ['ls-tree', '-r', '-l', '-z', '--full-tree', commit];
  let stdout: string;
  try {
    ({ stdout } = await execa('git', args, { cwd: repoPath, maxBuffer: 512 * 1024 * 1024, stripFinalNewline: false }));
  } catch (err) {
    throw new RepoReadError(repoPath, `git ${args.join(' ')}`, { cause: err });
  }
  const files: RepoFile[] = [];
  for (const record of stdout.split('\0')) {
    // "<mode> <type> <object> <size>\t<path>"; size is "-" for submodules (type commit)
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, type, , size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob') continue;
    files.push({ path: record.slice(tab + 1), size: Number(size) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Reads files' text at `commit` in one `git cat-file --batch`; paths come from listRepoFiles, so a missing one is an error. */
export async function readRepoFiles(
  repoPath: string,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const command = 'git cat-file --batch';
  let stdout: Uint8Array;
  try {
    ({ stdout } = await execa('git', ['cat-file', '--batch'], {
      cwd: repoPath,
      input: paths.map((p) => `${commit}:${p}\n`).join(''),
      encoding: 'buffer',
      // Bytes: a final newline (or CR LF) is data, not something to strip.
      stripFinalNewline: false,
      maxBuffer: 512 * 1024 * 1024,
    }));
  } catch (err) {
    throw new RepoReadError(repoPath, command, { cause: err });
  }
  const bytes = Buffer.from(stdout);
  let at = 0;
  for (const path of paths) {
    // each answer: "<oid> <type> <size>\n<content>\n", or "<name> missing\n"
    const eol = bytes.indexOf(0x0a, at);
    const header = bytes.subarray(at, eol).toString('utf8');
    const size = /^[0-9a-f]+ blob (\d+)$/.exec(header)?.[1];
    if (eol === -1 || size === undefined) throw new RepoReadError(repoPath, `${command} (${path}: ${header})`);
    const start = eol + 1;
    out.set(path, bytes.subarray(start, start + Number(size)).toString('utf8'));
    at = start + Number(size) + 1;
  }
  return out;
}
