import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBroker } from '@baton/bus';
import { startCoordinator, type Coordinator } from '@baton/coordinator';
import { startPlanner, type Planner } from '@baton/planner';
import { RunSpec } from '@baton/protocol';
import { generateSampleRepo, sampleRenameTarget, type SampleRepo } from '@baton/sample-repo';
import { startWorker, type Worker } from '@baton/worker';

const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;

describe('embedded run: rename recipe over a generated 1,000-file, 10-package repository with 4 worker slots', () => {
  let dir: string;
  let repo: SampleRepo;
  let coordinator: Coordinator;
  let planner: Planner;
  let worker: Worker;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-'));
    repo = await generateSampleRepo(join(dir, 'repo'), { files: 1000, packages: 10 });
    const broker = createMemoryBroker();
    planner = startPlanner({ bus: broker.connect() });
    coordinator = await startCoordinator({ bus: broker.connect() });
    worker = await startWorker({ bus: broker.connect(), slots: 4, baseDir: join(dir, 'scratch') });
  });

  afterAll(async () => {
    await worker?.stop();
    await coordinator?.stop();
    await planner?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('renames on baton/<runId>, tests pass there, and the user branch and working tree are untouched', async () => {
    // An uncommitted change to an untracked file and the checked-out branch must survive the run.
    await writeFile(join(repo.dir, 'NOTES.txt'), 'mine\n');
    const userHead = await git(repo.dir, 'rev-parse', 'HEAD');
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo.dir },
      recipe: { kind: 'rename', ...sampleRenameTarget, glob: 'packages/**/*.ts' },
      testCommands: [repo.commands.typecheck, repo.commands.test],
    });
    const { runId, branch } = await coordinator.submit(spec);
    const run = await coordinator.waitForRun(runId);
    expect(run.detail).toBeDefined();
    expect(run.status, run.detail).toBe('succeeded');
    expect(branch).toBe(`baton/${runId}`);

    expect(await git(repo.dir, 'rev-parse', 'HEAD')).toBe(userHead);
    expect(await git(repo.dir, 'symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(await readFile(join(repo.dir, 'NOTES.txt'), 'utf8')).toBe('mine\n');
    expect(await git(repo.dir, 'status', '--porcelain', '--untracked-files=no')).toBe('');

    const diff = await git(repo.dir, 'diff', `${userHead}..${branch}`);
    expect(diff).toContain('curryDataFirst');
    const merges = (await git(repo.dir, 'log', '--format=%(trailers:key=Baton-Subtask,valueonly)', `${userHead}..${branch}`)).split('\n').filter(Boolean);
    expect(new Set(merges).size).toBe(merges.length);

    const check = join(dir, 'check');
    await git(repo.dir, 'worktree', 'add', '--detach', check, branch);
    await execa('bash', ['-c', repo.commands.typecheck], { cwd: check });
    await execa('bash', ['-c', repo.commands.test], { cwd: check });
    await git(repo.dir, 'worktree', 'remove', '--force', check);
  }, 600_000);
});
