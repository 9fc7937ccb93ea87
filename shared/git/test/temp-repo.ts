import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runGit } from '../src/run-git.js';

/** A test identity, so commits need no user config. */
export const TEST_IDENTITY = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@t',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@t',
};

/** Temp folders made by a test file, removed together. */
export class TempDirs {
  private readonly dirs: string[] = [];

  /** A new empty folder. */
  async make(prefix = 'baton-git-test-'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** A repository on `main` with `files` (path -> content) in one commit; returns it and that commit. */
  async repo(files: Record<string, string | Buffer> = { 'a.txt': 'a\n' }): Promise<{ dir: string; commit: string }> {
    const dir = await this.make('baton-git-repo-');
    await runGit(dir, ['init', '-q', '-b', 'main']);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
    await runGit(dir, ['add', '-A']);
    await runGit(dir, ['commit', '-q', '-m', 'base'], { env: TEST_IDENTITY });
    return { dir, commit: (await runGit(dir, ['rev-parse', 'HEAD'])).stdout.trim() };
  }

  /** Removes every folder. */
  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}
