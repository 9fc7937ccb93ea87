import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EditProgram } from '@baton/protocol';
import { generateSampleRepo, sampleRenameTarget, type SampleRepo } from '@baton/sample-repo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipeTaskError, UnsupportedRecipeError } from './errors.js';
import { createRecipePool, type RecipePool } from './recipe-pool.js';

describe('createRecipePool', () => {
  let dir: string;
  let repo: SampleRepo;
  let pool: RecipePool;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'baton-pool-'));
    repo = await generateSampleRepo(dir, { files: 30, packages: 2, git: false });
    pool = createRecipePool({ threads: 1 });
  });
  afterAll(async () => {
    await pool.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  const rename = (files: string[]): EditProgram => ({
    recipe: { kind: 'rename', ...sampleRenameTarget, glob: '**/*.ts', comments: false },
    files,
  });

  it('previews and then runs a rename program on a worker thread', async () => {
    const files = repo.files.filter((f) => f.startsWith('packages/pkg-00/'));
    const { changed } = await pool.preview(dir, rename(files));
    expect(changed.map((c) => c.path).sort()).toEqual(files.filter((f) => !f.endsWith('math.ts')).sort());
    expect(await readFile(path.join(dir, sampleRenameTarget.declaredIn), 'utf8')).toContain('export function purry(');

    const { filesChanged } = await pool.run(dir, rename(files));
    expect(filesChanged.sort()).toEqual(changed.map((c) => c.path).sort());
    expect(await readFile(path.join(dir, sampleRenameTarget.declaredIn), 'utf8')).toContain(
      'export function curryDataFirst(',
    );
  });

  it('runs a codemod module on a worker thread', async () => {
    const codemod = path.join(dir, 'codemod.mjs');
    await writeFile(
      codemod,
      `export default (source, file) => file.endsWith('math.ts') ? source.replace('a + b', 'b + a') : source;\n`,
    );
    const { filesChanged } = await pool.run(dir, {
      recipe: { kind: 'codemod', glob: '**/*.ts', module: 'codemod.mjs' },
      files: repo.files.slice(0, 5),
    });
    expect(filesChanged).toEqual(['packages/pkg-00/src/math.ts']);
    expect(await readFile(path.join(dir, 'packages/pkg-00/src/math.ts'), 'utf8')).toContain('(a, b) => b + a');
  });

  it('reports a failure inside the thread by its original name, and refuses command recipes', async () => {
    const missing = {
      recipe: { kind: 'codemod', glob: '**', module: 'missing.mjs' },
      files: ['a.ts'],
    } satisfies EditProgram;
    await expect(pool.run(dir, missing)).rejects.toMatchObject({
      name: 'RecipeTaskError',
      remoteName: 'CodemodModuleError',
    });
    await expect(pool.run(dir, missing)).rejects.toBeInstanceOf(RecipeTaskError);
    const command = {
      recipe: { kind: 'command', command: 'npm test', packages: '**' },
      files: ['a.ts'],
    } satisfies EditProgram;
    await expect(pool.run(dir, command)).rejects.toBeInstanceOf(UnsupportedRecipeError);
  });
});
