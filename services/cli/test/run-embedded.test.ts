import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Run } from '@baton/protocol';
import { generateSampleRepo, type SampleRepo } from '@baton/sample-repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';
import { checkoutState, git } from './git.js';

describe('baton run (embedded) on a generated repository', () => {
  let tmp: string;
  let repo: SampleRepo;
  let args: string[];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-run-'));
    repo = await generateSampleRepo(join(tmp, 'repo'), { files: 60, packages: 3 });
    args = [
      'run',
      '--repo',
      repo.dir,
      '--recipe',
      'rename',
      '--from',
      'purry',
      '--to',
      'curryDataFirst',
      '--glob',
      'packages/**/*.ts',
    ];
    args.push('--test', repo.commands.typecheck, '--test', repo.commands.test, '--workers', '2');
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('prints the branch and the summary, exits 0, and leaves the checkout alone', async () => {
    const before = await checkoutState(repo.dir);
    const r = await runBaton(args, { timeoutMs: 230_000 });
    expect(r.code, describeResult(r)).toBe(0);
    const runId = /^run (\S+): succeeded/m.exec(r.stdout)?.[1];
    expect(runId, r.stdout).toBeDefined();
    expect(r.stdout).toMatch(new RegExp(`^branch: baton/${runId} at [0-9a-f]{12}$`, 'm'));
    for (const line of [
      /^files changed: [1-9]\d*$/m,
      /^subtasks: (\d+)\/\1 done, 0 failed/m,
      /^tests: (\d+)\/\1 tester subtasks passed$/m,
      /^usage: 0 tokens/m,
    ]) {
      expect(r.stdout).toMatch(line);
    }
    expect(await checkoutState(repo.dir)).toEqual(before);
    const changed = await git(repo.dir, ['diff', '--name-only', `main...baton/${runId}`]);
    expect(changed).toContain('packages/pkg-00/src/internal/purry.ts');
    expect(await git(repo.dir, ['show', `baton/${runId}:packages/pkg-00/src/internal/purry.ts`])).toMatch(
      /\bcurryDataFirst\b/,
    );
  }, 240_000);

  it('--json prints the final Run record', async () => {
    const before = await checkoutState(repo.dir);
    const r = await runBaton([...args, '--json'], { timeoutMs: 230_000 });
    expect(r.code, describeResult(r)).toBe(0);
    const run = Run.parse(JSON.parse(r.stdout));
    expect(run.status).toBe('succeeded');
    expect(run.branch).toBe(`baton/${run.id}`);
    expect(await git(repo.dir, ['rev-parse', `refs/heads/baton/${run.id}`])).toBe(run.headCommit);
    expect(await checkoutState(repo.dir)).toEqual(before);
  }, 240_000);
});
