/**
 * A git repository of N tiny packages (`pkgs/p-0000/package.json` each, nothing else) for bench/run.bench.ts: a
 * `command` recipe over it plans one shell subtask per package, the cheapest real subtasks there are.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '@baton/git';

/** Writes the repository into `dir` and commits it on `main`; returns the packages' glob. */
export async function writeTinyPackagesRepo(dir: string, packages: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'tiny-packages', private: true }, null, 2)}\n`,
  );
  for (let i = 0; i < packages; i++) {
    const name = `p-${String(i).padStart(4, '0')}`;
    await mkdir(path.join(dir, 'pkgs', name), { recursive: true });
    await writeFile(
      path.join(dir, 'pkgs', name, 'package.json'),
      `${JSON.stringify({ name, version: '0.0.0', private: true }, null, 2)}\n`,
    );
  }
  await commitAll(dir, 'tiny packages');
  return 'pkgs/*';
}

/**
 * A git repository of `depth` packages nested in one another (`chain/c/package.json`, `chain/c/c/package.json`, …):
 * a `command` recipe runs a package's shell after the shells of the packages inside it, so its plan is one chain,
 * each subtask dispatched only once the coordinator has handled the previous one's Result. Returns the glob.
 */
export async function writeNestedPackagesRepo(dir: string, depth: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'nested-packages', private: true }, null, 2)}\n`,
  );
  let folder = path.join(dir, 'chain');
  for (let i = 0; i < depth; i++) {
    folder = path.join(folder, 'c');
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'package.json'),
      `${JSON.stringify({ name: `c-${i}`, version: '0.0.0', private: true }, null, 2)}\n`,
    );
  }
  await commitAll(dir, 'nested packages');
  return 'chain/**';
}

async function commitAll(dir: string, message: string): Promise<void> {
  const git = (...args: string[]) => runGit(dir, args);
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Baton Bench');
  await git('config', 'user.email', 'bench@baton.invalid');
  await git('config', 'commit.gpgsign', 'false');
  await git('add', '-A');
  await git('commit', '-q', '-m', message);
}
