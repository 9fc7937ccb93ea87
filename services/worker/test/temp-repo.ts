import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runGit } from '@baton/git';

/** A throwaway git repository with one commit, for tests. */
export interface TempRepo {
  dir: string;
  /** The commit holding `files`. */
  commit: string;
  remove(): Promise<void>;
}

const identity = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

/** Creates a git repository in a temp folder holding `files` (path -> text) in one commit. */
export async function makeTempRepo(files: Record<string, string>): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-worker-repo-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const git = (...args: string[]) => runGit(dir, args, { env: identity });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-qm', 'base');
  const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
  return { dir, commit, remove: () => rm(dir, { recursive: true, force: true }) };
}
