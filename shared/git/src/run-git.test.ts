import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempDirs } from '../test/temp-repo.js';
import { GitError, GitNotFoundError } from './errors.js';
import { readObjects } from './read-objects.js';
import { runGit, runGitBytes } from './run-git.js';
import { runGitScript } from './run-git-script.js';

const dirs = new TempDirs();
const savedPath = process.env.PATH;
afterEach(async () => {
  process.env.PATH = savedPath;
  await dirs.cleanup();
});

describe('runGit', () => {
  it('returns bytes exactly as git wrote them, a final newline included', async () => {
    // A blob whose last byte is a newline: execa strips it from text unless told not to.
    const blob = Buffer.from([0, 1, 2, 0x0d, 0x0a, 0xff, 0x0a]);
    const { dir, commit } = await dirs.repo({ 'b.bin': blob, 't.txt': 'line\n\n' });
    const bytes = await runGitBytes(dir, ['cat-file', 'blob', `${commit}:b.bin`]);
    expect(bytes.stdout.equals(blob)).toBe(true);
    expect((await runGit(dir, ['cat-file', 'blob', `${commit}:t.txt`])).stdout).toBe('line\n\n');
    const [b, t, missing] = await readObjects(dir, [`${commit}:b.bin`, `${commit}:t.txt`, `${commit}:nope`]);
    expect(b?.type).toBe('blob');
    expect(b?.content.equals(blob)).toBe(true);
    expect(t?.content.toString()).toBe('line\n\n');
    expect(missing).toBeUndefined();
  });

  it('fails with a GitError naming the step, its exit code and stderr; allowed exit codes are outcomes', async () => {
    const { dir } = await dirs.repo();
    const err = await runGit(dir, ['rev-parse', '--verify', 'no-such-ref'], { step: 'resolve the base' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GitError);
    expect(err).toMatchObject({ step: 'resolve the base', exitCode: 128, cwd: dir });
    expect((err as GitError).stderr).toContain('Needed a single revision');
    expect((err as GitError).message).toContain('resolve the base failed');
    const allowed = await runGit(dir, ['rev-parse', '--verify', '--quiet', 'no-such-ref'], { okExitCodes: [0, 1] });
    expect(allowed.exitCode).toBe(1);
    const named = await runGit(dir, ['cat-file', '-t', 'nope']).catch((e: unknown) => e);
    expect(named).toMatchObject({ name: 'GitError', step: 'git cat-file -t nope', args: ['cat-file', '-t', 'nope'] });
  });

  it('a script fails with its step named and git stderr', async () => {
    const { dir } = await dirs.repo();
    const err = await runGitScript(dir, 'two steps', 'git rev-parse HEAD\ngit rev-parse "$1"', ['nope^{commit}']).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GitError);
    expect(err).toMatchObject({ step: 'two steps', exitCode: 128 });
    expect((err as GitError).stderr).toContain('nope');
  });

  it('tells a missing git binary (GitNotFoundError) from a missing folder (GitError)', async () => {
    const dir = await dirs.make();
    await expect(runGit(join(dir, 'gone'), ['status'])).rejects.toSatisfy(
      (e) => e instanceof GitError && !(e instanceof GitNotFoundError) && e.stderr.includes('no such directory'),
    );
    process.env.PATH = join(dir, 'empty-bin');
    await expect(runGit(dir, ['--version'])).rejects.toBeInstanceOf(GitNotFoundError);
  });

  it('returns what fit past maxBuffer only when asked', async () => {
    const { dir, commit } = await dirs.repo({ 'big.txt': 'x'.repeat(100_000) });
    const args = ['cat-file', 'blob', `${commit}:big.txt`];
    await expect(runGit(dir, args, { maxBuffer: 1000 })).rejects.toBeInstanceOf(GitError);
    const cut = await runGit(dir, args, { maxBuffer: 1000, allowTruncated: true });
    expect(cut.truncated).toBe(true);
    expect(cut.stdout.length).toBeLessThanOrEqual(1000);
  });

  it('is cancelled by its signal', async () => {
    const { dir } = await dirs.repo();
    const controller = new AbortController();
    controller.abort();
    await expect(runGit(dir, ['status'], { signal: controller.signal })).rejects.toMatchObject({
      name: 'GitCanceledError',
    });
  });
});
