import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyToIndex, commitTree, compareAndSwapRef, readRef, readTree, runGit, writeTree } from '@baton/git';

/**
 * Real git repositories in temp dirs for the merge tests: a "user" repository and worker clones
 * that produce `git diff --binary` results, the way a remote worker does. Test support only.
 */
export class GitFixture {
  private readonly dirs: string[] = [];

  /** Runs git with a fixed test identity and returns stdout. */
  async git(cwd: string, args: string[], input?: string): Promise<string> {
    const env = { GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@t' };
    return (await runGit(cwd, args, { env, input: input ?? '' })).stdout;
  }

  /** A repository with one commit on main holding `files`; returns its path and that commit. */
  async makeRepo(
    files: Record<string, string | Buffer> = { 'a.txt': numberedLines(20), 'b.txt': numberedLines(20) },
  ): Promise<{ repo: string; base: string }> {
    const repo = await this.tempDir('baton-merge-repo-');
    await this.git(repo, ['init', '-q', '-b', 'main']);
    for (const [name, content] of Object.entries(files)) await writeFile(join(repo, name), content);
    await this.git(repo, ['add', '-A']);
    await this.git(repo, ['commit', '-q', '-m', 'base']);
    return { repo, base: (await this.git(repo, ['rev-parse', 'HEAD'])).trim() };
  }

  /** What a worker does: a separate clone at `base`, `edit`, then `git diff --binary` against `base`. */
  async workerDiff(repo: string, base: string, edit: (dir: string) => Promise<void>): Promise<string> {
    const dir = await this.tempDir('baton-merge-worker-');
    await this.git(dir, ['clone', '-q', '--no-checkout', repo, '.']);
    await this.git(dir, ['checkout', '-q', '--detach', base]);
    await edit(dir);
    await this.git(dir, ['add', '-A']);
    return this.git(dir, ['diff', '--binary', '--cached', base]);
  }

  /** A file's content at a revision. */
  async show(repo: string, rev: string, path: string): Promise<string> {
    return this.git(repo, ['show', `${rev}:${path}`]);
  }

  /** Every byte of the user's side: HEAD, main, the index, status and each working-tree file with its mode. */
  async userState(repo: string): Promise<Record<string, string>> {
    const state: Record<string, string> = {
      HEAD: await readFile(join(repo, '.git/HEAD'), 'utf8'),
      main: (await this.git(repo, ['rev-parse', 'refs/heads/main'])).trim(),
      index: (await readFile(join(repo, '.git/index'))).toString('base64'),
      status: await this.git(repo, ['status', '--porcelain=v2', '--untracked-files=all']),
    };
    for (const name of await readdir(repo)) {
      if (name === '.git') continue;
      const path = join(repo, name);
      state[`wt:${name}`] = `${(await stat(path)).mode}:${(await readFile(path)).toString('base64')}`;
    }
    return state;
  }

  /**
   * Simulates another writer (a second coordinator): the first time the returned `beforeRefUpdate` is awaited (pass
   * it to IntegrationBranch.create: Baton's git runs no repository hook), it lands `diff` as a commit with Baton
   * trailers on `refs/heads/baton/<runId>` by compare-and-swap, between the merge's read of the ref and its swap.
   */
  raceBeforeRefUpdate(
    repo: string,
    runId: string,
    subtaskId: string,
    diff: string,
  ): { beforeRefUpdate: () => Promise<void>; fired: () => Promise<boolean> } {
    let fired = false;
    return {
      beforeRefUpdate: async () => {
        if (fired) return;
        fired = true;
        const ref = `refs/heads/baton/${runId}`;
        const head = (await readRef(repo, ref))!;
        const index = join(await this.tempDir('baton-race-'), 'index');
        await readTree(repo, index, head);
        const applied = await applyToIndex(repo, index, diff);
        if (applied.kind !== 'applied') throw new Error(`the raced diff did not apply: ${applied.kind}`);
        const message = `raced\n\nBaton-Run: ${runId}\nBaton-Subtask: ${subtaskId}\nBaton-Attempt: 1\n`;
        const commit = await commitTree(repo, { tree: await writeTree(repo, index), parents: [head], message });
        await compareAndSwapRef(repo, ref, commit, head);
      },
      fired: () => Promise.resolve(fired),
    };
  }

  /** Removes every directory this fixture made. */
  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }

  private async tempDir(prefix: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }
}

/** `line 1\n…line n\n`. */
export function numberedLines(n: number): string {
  return Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
}

/** An edit for workerDiff: replaces line `n` (1-based) of `file`. */
export function replaceLine(file: string, n: number, text: string): (dir: string) => Promise<void> {
  return async (dir) => {
    const content = (await readFile(join(dir, file), 'utf8')).split('\n');
    content[n - 1] = text;
    await writeFile(join(dir, file), content.join('\n'));
  };
}
