import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_IDENTITY, TempDirs } from '../test/temp-repo.js';
import { runGit } from './run-git.js';
import { runGitScript } from './run-git-script.js';
import { withoutDiffDrivers } from './git-env.js';

const dirs = new TempDirs();
const saved = { ...process.env };
afterEach(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await dirs.cleanup();
});

/** An executable that creates `marker` when it runs (and exits 0 with no output). */
async function markerProgram(dir: string, name: string, marker: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\ntouch '${marker}'\n`);
  await chmod(path, 0o755);
  return path;
}

/** The same command without this package: what the user's own git would do (proves the setting is live). */
const plainGit = (cwd: string, args: string[]) => execa('git', args, { cwd, reject: false, env: TEST_IDENTITY });

describe("the caller's GIT_* variables", () => {
  it('do not redirect git at another repository, index or work tree (runGit and scripts)', async () => {
    const target = await dirs.repo({ 'a.txt': 'a\n' });
    const decoy = await dirs.repo({ 'd.txt': 'd\n' });
    const decoyIndex = join(decoy.dir, 'decoy-index');
    process.env.GIT_DIR = join(decoy.dir, '.git');
    process.env.GIT_WORK_TREE = decoy.dir;
    process.env.GIT_INDEX_FILE = decoyIndex;
    process.env.GIT_AUTHOR_NAME = 'Hook Caller';

    expect((await runGit(target.dir, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(target.commit);
    await writeFile(join(target.dir, 'b.txt'), 'b\n');
    await runGit(target.dir, ['add', 'b.txt']);
    const script = await runGitScript(target.dir, 'list', 'git ls-files -z', []);
    expect(script.split('\0').filter(Boolean)).toEqual(['a.txt', 'b.txt']);
    expect(existsSync(decoyIndex)).toBe(false);
    await runGit(target.dir, ['commit', '-q', '-m', 'b'], { env: TEST_IDENTITY });
    expect((await runGit(target.dir, ['log', '-1', '--format=%an'])).stdout).toBe('t\n');
    // The variables are live: plain git follows them to the decoy.
    const followed = await execa('git', ['rev-parse', 'HEAD'], { cwd: target.dir });
    expect(followed.stdout.trim()).toBe(decoy.commit);
  });
});

describe('config that runs programs', () => {
  it('a repository-local core.fsmonitor is not run', async () => {
    const { dir } = await dirs.repo();
    const marker = join(dir, '..', `${dir.split('/').pop()}-fsmonitor-ran`);
    await plainGit(dir, ['config', 'core.fsmonitor', await markerProgram(dir, 'monitor.sh', marker)]);
    await writeFile(join(dir, 'a.txt'), 'changed\n');
    expect((await runGit(dir, ['status', '--porcelain', '-uno'])).stdout).toBe(' M a.txt\n');
    expect(existsSync(marker)).toBe(false);
    await plainGit(dir, ['status', '--porcelain', '-uno']);
    expect(existsSync(marker)).toBe(true);
  });

  it('no hook runs: neither .git/hooks nor a configured core.hooksPath', async () => {
    const { dir } = await dirs.repo();
    const own = join(dir, '..', `${dir.split('/').pop()}-git-hooks-ran`);
    const configured = join(dir, '..', `${dir.split('/').pop()}-hooks-path-ran`);
    await markerProgram(join(dir, '.git', 'hooks'), 'post-index-change', own);
    await mkdir(join(dir, 'my-hooks'));
    await markerProgram(join(dir, 'my-hooks'), 'post-index-change', configured);
    await writeFile(join(dir, 'a.txt'), 'changed\n');
    await runGit(dir, ['add', 'a.txt']);
    expect(existsSync(own)).toBe(false);
    await plainGit(dir, ['config', 'core.hooksPath', join(dir, 'my-hooks')]);
    await writeFile(join(dir, 'a.txt'), 'changed again\n');
    await runGit(dir, ['add', 'a.txt']);
    await runGitScript(dir, 'add in a script', 'git add -A', []);
    expect(existsSync(configured)).toBe(false);
    await writeFile(join(dir, 'a.txt'), 'and again\n');
    await plainGit(dir, ['add', 'a.txt']);
    expect(existsSync(configured)).toBe(true);
  });

  it('an external diff (diff.external) and a textconv driver are not run, and the diff is git own', async () => {
    const { dir } = await dirs.repo({ 'a.txt': 'a\n', '.gitattributes': '*.txt diff=conv\n' });
    const external = join(dir, '..', `${dir.split('/').pop()}-external-ran`);
    const textconv = join(dir, '..', `${dir.split('/').pop()}-textconv-ran`);
    await plainGit(dir, ['config', 'diff.external', await markerProgram(dir, 'external.sh', external)]);
    await plainGit(dir, ['config', 'diff.conv.textconv', await markerProgram(dir, 'conv.sh', textconv)]);
    await writeFile(join(dir, 'a.txt'), 'b\n');
    const diff = (await runGit(dir, ['diff'])).stdout;
    expect(diff).toContain('-a\n+b\n');
    const log = (await runGit(dir, ['log', '-p', '-1'])).stdout;
    expect(log).toContain('+a\n');
    expect(existsSync(external)).toBe(false);
    expect(existsSync(textconv)).toBe(false);
    await plainGit(dir, ['diff']);
    expect(existsSync(external)).toBe(true);
    await plainGit(dir, ['diff', '--no-ext-diff']);
    expect(existsSync(textconv)).toBe(true);
  });

  it('the ext:: transport (a command) is refused; local paths and bundles are not', async () => {
    const dir = await dirs.make();
    const marker = join(dir, 'ext-ran');
    await expect(runGit(dir, ['clone', '-q', `ext::sh -c touch% ${marker}`, 'x'])).rejects.toMatchObject({
      name: 'GitError',
      exitCode: 128,
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('puts the no-driver flags after a diffing subcommand only', () => {
    expect(withoutDiffDrivers(['-c', 'a=b', '--literal-pathspecs', 'diff', 'x'])).toEqual([
      '-c',
      'a=b',
      '--literal-pathspecs',
      'diff',
      '--no-ext-diff',
      '--no-textconv',
      'x',
    ]);
    expect(withoutDiffDrivers(['log', '-1'])).toEqual(['log', '--no-ext-diff', '--no-textconv', '-1']);
    expect(withoutDiffDrivers(['rev-parse', 'diff'])).toEqual(['rev-parse', 'diff']);
    expect(withoutDiffDrivers(['-C', 'show', 'status'])).toEqual(['-C', 'show', 'status']);
  });
});
