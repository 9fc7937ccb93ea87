import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '@baton/git';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { SampleRepoOptionsError } from './errors.js';
import { generateSampleRepo } from './generate-sample-repo.js';
import { corePackageFiles, sampleRenameTarget } from './sample-target.js';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-sample-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('generateSampleRepo', () => {
  it('writes a committed repository whose own typecheck and tests pass', async () => {
    const repo = await generateSampleRepo(await tempDir(), { files: 60, packages: 3 });
    expect(repo.files).toHaveLength(60);
    expect(repo.files).toContain(sampleRenameTarget.declaredIn);
    expect(await readFile(path.join(repo.dir, corePackageFiles.purry), 'utf8')).toContain('export function purry(');
    const status = await runGit(repo.dir, ['status', '--porcelain']);
    expect(status.stdout).toBe('');
    const log = await runGit(repo.dir, ['log', '--format=%an %s']);
    // runGit leaves git's final newline (execa used to strip it).
    expect(log.stdout.replace(/\n$/, '')).toBe('Baton Sample Sample repository');
    await execa(repo.commands.typecheck, { shell: true, cwd: repo.dir });
    const test = await execa(repo.commands.test, { shell: true, cwd: repo.dir, all: true });
    expect(test.all).toMatch(/# fail 0/);
    expect(test.all).toMatch(/# pass [1-9]/);
  });

  it('covers every way of referring to purry, and the name in strings and comments', async () => {
    const repo = await generateSampleRepo(await tempDir(), { files: 30, packages: 2, git: false });
    const sources = await Promise.all(repo.files.map((f) => readFile(path.join(repo.dir, f), 'utf8')));
    const all = sources.join('\n');
    for (const shape of [
      /import \{ purry \} from '(\.\.\/)+pkg-00\/src\/internal\/purry\.js'/,
      /import \{ add, purry, purryLast \} from '(\.\.\/)+pkg-00\/src\/index\.js'/,
      /import \{ purry as p \}/,
      /core\.purry\(/,
      /\{ purry, k: \d \}/,
      /export \{ purry as purryAgain \}/,
      /function scale\(purry: number/,
      /const purry = scale\(first, 1\)/,
      /"call purry later"/,
      /\/\/ .*purry/,
    ]) {
      expect(all).toMatch(shape);
    }
  });

  it('is deterministic for a seed', async () => {
    const read = async (seed: number) => {
      const repo = await generateSampleRepo(await tempDir(), { files: 40, packages: 3, seed, git: false });
      return Promise.all(repo.files.map(async (f) => [f, await readFile(path.join(repo.dir, f), 'utf8')] as const));
    };
    const first = await read(7);
    expect(await read(7)).toEqual(first);
    expect(await read(8)).not.toEqual(first);
  });

  it('refuses options it cannot honour', async () => {
    const dir = await tempDir();
    await expect(generateSampleRepo(dir, { files: 100, packages: 1 })).rejects.toBeInstanceOf(SampleRepoOptionsError);
    await expect(generateSampleRepo(dir, { files: 8, packages: 4 })).rejects.toBeInstanceOf(SampleRepoOptionsError);
  });
});
