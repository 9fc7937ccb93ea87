import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runGit } from '@baton/git';

/** Runs git in `cwd` and returns its trimmed stdout. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await runGit(cwd, args)).stdout.trim();
}

/** Creates a git repository at `dir` on branch `main` holding `files` (path -> content) in one commit; returns the commit. */
export async function createGitRepo(dir: string, files: Readonly<Record<string, string>>): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'config', 'user.name', 'Baton E2E');
  await git(dir, 'config', 'user.email', 'e2e@baton.invalid');
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'initial');
  return git(dir, 'rev-parse', 'HEAD');
}

/** A file's content at a commit or ref. */
export function showFile(repo: string, ref: string, path: string): Promise<string> {
  return git(repo, 'show', `${ref}:${path}`);
}

/** The Baton merge commits on `branch` since `base`, oldest first: subtask id and attempt from their trailers. */
export async function batonMerges(
  repo: string,
  base: string,
  branch: string,
): Promise<{ commit: string; subtaskId: string; attempt: number }[]> {
  // Unit and record separators: trailer values end with newlines of their own.
  const format =
    '%H%x1f%(trailers:key=Baton-Subtask,valueonly,separator=%x2C)%x1f%(trailers:key=Baton-Attempt,valueonly,separator=%x2C)%x1e';
  const out = await git(repo, 'log', '--reverse', '--first-parent', `--format=${format}`, `${base}..${branch}`);
  return out
    .split('\x1e')
    .filter((r) => r.trim() !== '')
    .map((record) => {
      const [commit = '', subtaskId = '', attempt = ''] = record.trim().split('\x1f');
      return { commit, subtaskId: subtaskId.trim(), attempt: Number(attempt.trim()) };
    });
}
