import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGit } from '@baton/git';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Run } from '@baton/protocol';
import { generateSampleRepo, sampleRenameTarget, type SampleRepo } from '@baton/sample-repo';
import { runFixture } from './spawn-fixture.js';

const git = async (cwd: string, ...args: string[]) => (await runGit(cwd, args)).stdout.replace(/\n$/, '');
const BATON = 'services/cli/src/bin-source.ts';

describe('baton run (embedded): rename recipe over a generated 1,000-file, 10-package repository with --workers 4', () => {
  let dir: string;
  let repo: SampleRepo;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-'));
    repo = await generateSampleRepo(join(dir, 'repo'), { files: 1000, packages: 10 });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renames on baton/<runId>, the repository tests pass there, and the user branch and working tree are untouched', async () => {
    // An untracked file and the checked-out branch must survive the run.
    await writeFile(join(repo.dir, 'NOTES.txt'), 'mine\n');
    const userHead = await git(repo.dir, 'rev-parse', 'HEAD');
    const { code, stdout, stderr } = await runFixture(BATON, [
      'run',
      '--repo',
      repo.dir,
      '--recipe',
      'rename',
      '--from',
      sampleRenameTarget.from,
      '--to',
      sampleRenameTarget.to,
      '--declared-in',
      sampleRenameTarget.declaredIn,
      '--glob',
      'packages/**/*.ts',
      '--test',
      repo.commands.typecheck,
      '--test',
      repo.commands.test,
      '--workers',
      '4',
      '--json',
    ]);
    expect(code, stderr).toBe(0);
    const run = Run.parse(JSON.parse(stdout));
    expect(run.status, run.detail).toBe('succeeded');
    const branch = run.branch!;
    expect(branch).toBe(`baton/${run.id}`);

    expect(await git(repo.dir, 'rev-parse', 'HEAD')).toBe(userHead);
    expect(await git(repo.dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(await readFile(join(repo.dir, 'NOTES.txt'), 'utf8')).toBe('mine\n');
    expect(await git(repo.dir, 'status', '--porcelain', '--untracked-files=no')).toBe('');

    // Only identifiers changed: every changed line differs from its original by the rename alone.
    const diff = await git(repo.dir, 'diff', '--unified=0', `${userHead}..${branch}`);
    const removed = diff
      .split('\n')
      .filter((l) => l.startsWith('-') && !l.startsWith('---'))
      .map((l) => l.slice(1));
    const added = diff
      .split('\n')
      .filter((l) => l.startsWith('+') && !l.startsWith('+++'))
      .map((l) => l.slice(1));
    expect(added.length).toBeGreaterThan(100);
    expect(added.length).toBe(removed.length);
    for (const [i, line] of added.entries()) {
      expect(
        line.replaceAll(sampleRenameTarget.to, sampleRenameTarget.from).replace(/\bpurry: purry\b/g, 'purry'),
      ).toBe(removed[i]);
    }
    // Strings and comments that mention the old name are left alone.
    const mentions = async (rev: string) =>
      (
        await runGit(repo.dir, ['grep', '-c', '-E', `(["'][^"']*purry[^"']*["'])|(//.*purry)`, rev, '--', 'packages'], {
          okExitCodes: [0, 1],
        })
      ).stdout
        .replace(/\n$/, '')
        .replaceAll(`${rev}:`, '');
    expect(await mentions(branch)).toBe(await mentions(userHead));
    expect(await mentions(userHead)).not.toBe('');
    const merges = (
      await git(repo.dir, 'log', '--format=%(trailers:key=Baton-Subtask,valueonly)', `${userHead}..${branch}`)
    )
      .split('\n')
      .filter(Boolean);
    expect(new Set(merges).size).toBe(merges.length);

    const check = join(dir, 'check');
    await git(repo.dir, 'worktree', 'add', '--detach', check, branch);
    await execa('bash', ['-c', repo.commands.typecheck], { cwd: check });
    await execa('bash', ['-c', repo.commands.test], { cwd: check });
    await git(repo.dir, 'worktree', 'remove', '--force', check);
  }, 900_000);
});
