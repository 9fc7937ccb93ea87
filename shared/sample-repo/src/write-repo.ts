import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '@baton/git';

/** Writes `contents` (repository-relative path -> text) into `dir`, then with `git` commits it all on `main`. */
export async function writeRepo(dir: string, contents: ReadonlyMap<string, string>, git: boolean): Promise<void> {
  const dirs = new Set([...contents.keys()].map((f) => path.dirname(path.join(dir, f))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  const entries = [...contents];
  // Bounded parallelism: 10,000 simultaneous writes would exhaust file descriptors.
  for (let i = 0; i < entries.length; i += 256) {
    await Promise.all(entries.slice(i, i + 256).map(([file, text]) => writeFile(path.join(dir, file), text)));
  }
  if (git) await commitAll(dir);
}

async function commitAll(dir: string): Promise<void> {
  const git = (...args: string[]) => runGit(dir, args);
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Baton Sample');
  await git('config', 'user.email', 'sample@baton.invalid');
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'Sample repository');
}
