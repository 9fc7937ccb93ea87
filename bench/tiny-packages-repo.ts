/**
 * A git repository of N tiny packages (`pkgs/p-0000/package.json` each, nothing else) for bench/run.bench.ts: a
 * `command` recipe over it plans one shell subtask per package, the cheapest real subtasks there are.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';

/** Writes the repository into `dir` and commits it on `main`; returns the packages' glob. */
export async function writeTinyPackagesRepo(dir: string, packages: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'tiny-packages', private: true }, null, 2)}\n`);
  for (let i = 0; i < packages; i++) {
    const name = `p-${String(i).padStart(4, '0')}`;
    await mkdir(path.join(dir, 'pkgs', name), { recursive: true });
    await writeFile(path.join(dir, 'pkgs', name, 'package.json'), `${JSON.stringify({ name, version: '0.0.0', private: true }, null, 2)}\n`);
  }
  const git = (...args: string[]) => execa('git', args, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Baton Bench');
  await git('config', 'user.email', 'bench@baton.invalid');
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'tiny packages');
  return 'pkgs/*';
}
