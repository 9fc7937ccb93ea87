import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Run } from '@baton/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeResult, runBaton } from './baton-process.js';
import { tinyRepo } from './git.js';

/** The long flags a command's --help lists, in order. */
async function flagsOf(command: string): Promise<string[]> {
  const r = await runBaton([command, '--help']);
  expect(r.code, describeResult(r)).toBe(0);
  return [...r.stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

describe('baton run and baton submit share their run flags', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'baton-cli-flags-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('baton submit --help lists the same run options as baton run --help', async () => {
    const run = await flagsOf('run');
    const submit = await flagsOf('submit');
    for (const flag of ['--test', '--module', '--declared-in', '--packages', '--allow-dirty', '--glob', '--base'])
      expect(submit, `submit --help lacks ${flag}`).toContain(flag);
    // --workers sizes the embedded stack: the one run option a cluster has no use for.
    expect(submit).toEqual(run.filter((flag) => flag !== '--workers'));
  });

  it('--test "…" --test "…" "task" reads the task (one test command per --test)', async () => {
    const repo = await tinyRepo(join(tmp, 'repo'));
    const r = await runBaton(
      [
        'run',
        '--repo',
        repo,
        '--test',
        'node --version',
        '--test',
        'git --version',
        'rename purry to curryDataFirst',
        '--recipe',
        'rename',
        '--from',
        'purry',
        '--to',
        'curryDataFirst',
        '--json',
      ],
      { timeoutMs: 170_000 },
    );
    expect(r.code, describeResult(r)).toBe(0);
    const run = Run.parse(JSON.parse(r.stdout));
    expect(run.spec.task).toBe('rename purry to curryDataFirst');
    expect(run.spec.testCommands).toEqual(['node --version', 'git --version']);
    expect(run.status).toBe('succeeded');
  }, 180_000);
});
