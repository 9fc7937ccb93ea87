import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGit } from '@baton/git';

/** A throwaway git repository with one commit. */
export interface GitFixture {
  dir: string;
  commit: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Writes `files` into a fresh temp directory and commits them. */
export async function createGitFixture(files: Record<string, string>): Promise<GitFixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-planner-'));
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const git = (...args: string[]) => runGit(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-qm', 'init');
  const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
  return { dir, commit, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}
