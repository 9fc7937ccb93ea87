import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCodemod, shellQuote } from './apply-codemod.js';
import { applyProgram } from './apply-program.js';
import { CodemodCommandError, CodemodModuleError, PathOutsideRepoError, UnsupportedRecipeError } from './errors.js';

describe('applyCodemod', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'baton-codemod-'));
    await mkdir(path.join(root, 'src'));
    await writeFile(path.join(root, 'src/a.ts'), `export const a = "old";\n`);
    await writeFile(path.join(root, "src/it's b.ts"), `export const b = "old";\n`);
    await writeFile(path.join(root, 'src/c.ts'), `export const c = 1;\n`);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const files = ['src/a.ts', "src/it's b.ts", 'src/c.ts'];
  const read = (f: string) => readFile(path.join(root, f), 'utf8');

  it('applies a module codemod per file and reports only the files it changed', async () => {
    await writeFile(
      path.join(root, 'mod.mjs'),
      `export default async (source, file) => source.replace('"old"', JSON.stringify(file));\n`,
    );
    const changed = await applyCodemod(root, { kind: 'codemod', glob: '**', module: 'mod.mjs' }, files);
    expect(changed).toEqual(['src/a.ts', "src/it's b.ts"]);
    expect(await read('src/a.ts')).toBe(`export const a = "src/a.ts";\n`);
    expect(await read('src/c.ts')).toBe(`export const c = 1;\n`);
  });

  it('runs a command codemod with {files} quoted', async () => {
    const changed = await applyCodemod(
      root,
      { kind: 'codemod', glob: '**', command: `sed -i 's/old/new/' {files}` },
      files,
    );
    expect(changed).toEqual(['src/a.ts', "src/it's b.ts"]);
    expect(await read("src/it's b.ts")).toBe(`export const b = "new";\n`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('turns failures into named errors', async () => {
    await writeFile(path.join(root, 'bad.mjs'), `export default 42;\n`);
    await expect(applyCodemod(root, { kind: 'codemod', glob: '**', module: 'bad.mjs' }, files)).rejects.toBeInstanceOf(
      CodemodModuleError,
    );
    await expect(applyCodemod(root, { kind: 'codemod', glob: '**', command: 'exit 3' }, files)).rejects.toMatchObject({
      name: 'CodemodCommandError',
      exitCode: 3,
    });
    await expect(
      applyCodemod(root, { kind: 'codemod', glob: '**', command: 'true' }, ['../x.ts']),
    ).rejects.toBeInstanceOf(PathOutsideRepoError);
    expect(CodemodCommandError.name).toBe('CodemodCommandError');
  });
});

describe('applyProgram', () => {
  it('dispatches on the recipe kind, keeps files inside the glob and leaves command recipes to the shell agent', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'baton-program-'));
    try {
      await writeFile(path.join(root, 'a.ts'), `export function purry(): number {\n  return 1;\n}\n`);
      await writeFile(path.join(root, 'b.js'), `// purry\n`);
      const recipe = { kind: 'rename', from: 'purry', to: 'curryDataFirst', glob: '**/*.ts', comments: true } as const;
      expect(await applyProgram(root, { recipe, files: ['a.ts', 'b.js'] })).toEqual({ filesChanged: ['a.ts'] });
      expect(await readFile(path.join(root, 'a.ts'), 'utf8')).toContain('export function curryDataFirst()');
      await expect(
        applyProgram(root, { recipe: { kind: 'command', command: 'npm test', packages: '**' }, files: ['a.ts'] }),
      ).rejects.toBeInstanceOf(UnsupportedRecipeError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
