import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSampleRepo, sampleRenameTarget, type SampleRepo } from '@baton/sample-repo';
import { runGit } from '@baton/git';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommitFiles } from './commit-files.js';
import { FileNotInRepoError, GitReadError, RenameTargetNotFoundError } from './errors.js';
import { writeFileChanges, type FileChange } from './file-change.js';
import { renameInFiles } from './rename-in-files.js';
import { createRenameProject } from './rename-project.js';
import { shardFiles } from './shard-files.js';

const { from, to, declaredIn } = sampleRenameTarget;
const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-rename-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Every difference between the lines is `purry` at an identifier position becoming `curryDataFirst` (or `purry: curryDataFirst`). */
function expectOnlyIdentifierRenames(change: FileChange): void {
  const before = change.before.split('\n');
  const after = change.after.split('\n');
  expect(after.length, change.path).toBe(before.length);
  before.forEach((line, i) => {
    const next = after[i]!;
    if (line === next) return;
    const parts = line.split(/(?<![\w$])purry(?![\w$])/);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^${parts.map(escape).join('(purry|curryDataFirst|purry: curryDataFirst)')}$`);
    const match = pattern.exec(next);
    expect(match, `${change.path}:${i + 1}\n- ${line}\n+ ${next}`).not.toBeNull();
    let offset = 0;
    parts.slice(0, -1).forEach((part, k) => {
      offset += part.length;
      if (match![k + 1] !== 'purry') {
        const prefix = line.slice(0, offset);
        expect(prefix, `${change.path}:${i + 1} renamed inside a comment`).not.toMatch(/\/\/|\/\*/);
        expect((prefix.match(/['"`]/g) ?? []).length % 2, `${change.path}:${i + 1} renamed inside a string`).toBe(0);
      }
      offset += 'purry'.length;
    });
  });
}

describe('renameInFiles on a generated repository, shard by shard', () => {
  let repo: SampleRepo;
  let shards: string[][];
  let changes: FileChange[];

  beforeAll(async () => {
    repo = await generateSampleRepo(await tempDir(), { files: 300, packages: 6 });
    const sized = await Promise.all(
      repo.files.map(async (p) => ({ path: p, size: (await stat(path.join(repo.dir, p))).size })),
    );
    shards = shardFiles(sized, { maxFiles: 50, maxBytes: 1 << 20 });
    // Every shard is computed against the untouched base, as each would be in its own worktree, then all are written.
    changes = shards.flatMap((files) => renameInFiles({ root: repo.dir, files, from, to, declaredIn }).changed);
  });

  it('shards the repository and each shard edits only its own files', () => {
    expect(shards.length).toBeGreaterThanOrEqual(6);
    expect(shards.flat().sort()).toEqual([...repo.files].sort());
    expect(new Set(changes.map((c) => c.path)).size).toBe(changes.length);
  });

  it('changes identifiers only: strings, comments and shadowing locals stay', () => {
    expect(changes.length).toBeGreaterThan(100);
    for (const change of changes) expectOnlyIdentifierRenames(change);
    const byPath = new Map(changes.map((c) => [c.path, c.after]));
    const purry = byPath.get(declaredIn)!;
    expect(purry).toContain('export function curryDataFirst(fn: Binary');
    expect(purry).toContain('// purry: the data-first helper every package uses (see "purry" in the docs).');
    expect(byPath.get('packages/pkg-00/src/index.ts')).toContain(
      `export { curryDataFirst, purryLast } from './internal/purry.js';`,
    );
    expect(byPath.get('packages/pkg-00/src/internal/alias.ts')).toContain(
      `export { curryDataFirst as purryAgain } from './purry.js';`,
    );
    const after = changes.map((c) => c.after).join('\n');
    expect(after).toMatch(/import \{ curryDataFirst \} from '(\.\.\/)+pkg-00\/src\/internal\/purry\.js'/);
    expect(after).toMatch(/import \{ curryDataFirst as p \}/);
    expect(after).toMatch(/core\.curryDataFirst\(core\.add, \[x, \d\]\); \/\* core\.purry, not a local purry \*\//);
    expect(after).toMatch(/export const ops = \{ purry: curryDataFirst, k: \d \};/);
    expect(after).toMatch(/function scale\(purry: number, by: number\): number \{\n {2}return purry \* by;/);
    expect(after).toMatch(
      /const first = curryDataFirst\(add, \[x, \d\]\);\n {2}\{\n {4}const purry = scale\(first, 1\);\n {4}return purry \+ 0;/,
    );
    expect(after).not.toMatch(/import \{[^}]*\bpurry\b[^}]*\} from/);
    // Plain modules only have an unrelated, unexported `const purry` and the word in text: untouched.
    expect(changes.some((c) => c.before.includes('(plain)'))).toBe(false);
  });

  it('leaves a repository whose own typecheck and tests pass', async () => {
    await writeFileChanges(repo.dir, changes);
    await execa(repo.commands.typecheck, { shell: true, cwd: repo.dir });
    const test = await execa(repo.commands.test, { shell: true, cwd: repo.dir, all: true });
    expect(test.all).toMatch(/# fail 0/);
    const diff = await runGit(repo.dir, ['diff', '--numstat']);
    expect(diff.stdout.trim().split('\n')).toHaveLength(changes.length);
  });
});

describe('renameInFiles edge cases', () => {
  const write = async (root: string, files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), text);
    }
  };

  it('finds targets by export when declaredIn is absent, including late exports and destructuring', async () => {
    const root = await tempDir();
    await write(root, {
      'a.ts': `function purry(): number {\n  return 1;\n}\nexport { purry };\n`,
      'b.ts': `import * as a from './a.js';\nconst { purry } = a;\nexport const r = purry() + a.purry();\n`,
      'c.ts': `// purry in a comment\nexport function other(purry: number): number {\n  return purry;\n}\n`,
    });
    const { changed } = renameInFiles({
      root,
      files: ['a.ts', 'b.ts', 'c.ts'],
      from: 'purry',
      to: 'curryDataFirst',
      comments: true,
    });
    const after = Object.fromEntries(changed.map((c) => [c.path, c.after]));
    expect(after['a.ts']).toBe(`function curryDataFirst(): number {\n  return 1;\n}\nexport { curryDataFirst };\n`);
    expect(after['b.ts']).toBe(
      `import * as a from './a.js';\nconst { curryDataFirst: purry } = a;\nexport const r = purry() + a.curryDataFirst();\n`,
    );
    expect(after['c.ts']).toBe(
      `// curryDataFirst in a comment\nexport function other(purry: number): number {\n  return purry;\n}\n`,
    );
  });

  it('reuses a project across shards and sees files changed on disk in between', async () => {
    const root = await tempDir();
    await write(root, {
      'a.ts': `export function purry(): number {\n  return 1;\n}\n`,
      'b.ts': `import { purry } from './a.js';\nexport const one = purry();\n`,
    });
    const project = createRenameProject(root);
    const first = renameInFiles({ root, files: ['b.ts'], from: 'purry', to: 'curry', project });
    expect(first.changed[0]?.after).toBe(`import { curry } from './a.js';\nexport const one = curry();\n`);
    await write(root, {
      'b.ts': `import { purry } from './a.js';\nexport const one = purry();\nexport const two = purry() + 1;\n`,
    });
    const second = renameInFiles({
      root,
      files: ['b.ts', 'a.ts'],
      from: 'purry',
      to: 'curry',
      declaredIn: 'a.ts',
      project,
    });
    expect(Object.fromEntries(second.changed.map((c) => [c.path, c.after]))).toEqual({
      'a.ts': `export function curry(): number {\n  return 1;\n}\n`,
      'b.ts': `import { curry } from './a.js';\nexport const one = curry();\nexport const two = curry() + 1;\n`,
    });
  });

  it('renames an unexported top-level declaration when declaredIn names its file, and nothing elsewhere', async () => {
    const root = await tempDir();
    await write(root, {
      'a.ts': `const purry = 1;\nexport const x = purry;\n`,
      'b.ts': `const purry = 2;\nexport const y = purry;\n`,
    });
    const { changed } = renameInFiles({
      root,
      files: ['a.ts', 'b.ts'],
      from: 'purry',
      to: 'curry',
      declaredIn: 'a.ts',
    });
    expect(changed.map((c) => [c.path, c.after])).toEqual([['a.ts', `const curry = 1;\nexport const x = curry;\n`]]);
    expect(renameInFiles({ root, files: ['a.ts', 'b.ts'], from: 'purry', to: 'curry' }).changed).toEqual([]);
  });

  it('rejects a declaredIn file that does not declare the name', async () => {
    const root = await tempDir();
    await write(root, { 'a.ts': `export const x = 1;\n` });
    expect(() => renameInFiles({ root, files: ['a.ts'], from: 'purry', to: 'y', declaredIn: 'a.ts' })).toThrow(
      RenameTargetNotFoundError,
    );
    expect(await readFile(path.join(root, 'a.ts'), 'utf8')).toBe(`export const x = 1;\n`);
  });
});

describe('renameInFiles over a commit snapshot (no checkout)', () => {
  it('computes what the folder gives, from the commit, whatever the working tree holds', async () => {
    const repo = await generateSampleRepo(await tempDir(), { files: 120, packages: 3 });
    const sized = await Promise.all(
      repo.files.map(async (p) => ({ path: p, size: (await stat(path.join(repo.dir, p))).size })),
    );
    const shards = shardFiles(sized, { maxFiles: 40, maxBytes: 1 << 20 });
    const fromFolder = shards.map((files) => renameInFiles({ root: repo.dir, files, from, to, declaredIn }).changed);

    const commit = (await runGit(repo.dir, ['rev-parse', 'HEAD'])).stdout.trim();
    const files = await readCommitFiles(repo.dir, commit);
    expect(files.get('packages/pkg-00/package.json')).toContain('"name"');
    // An uncommitted edit of the declaring file must not be seen: the snapshot is the commit.
    await writeFile(path.join(repo.dir, declaredIn), 'export const nothing = 1;\n');
    const project = createRenameProject({ kind: 'snapshot', commit, files });
    expect(project.root).not.toBe(repo.dir);
    const fromCommit = shards.map((shard) => renameInFiles({ project, files: shard, from, to, declaredIn }).changed);
    expect(fromCommit).toEqual(fromFolder);
    expect(fromCommit.flat().length).toBeGreaterThan(100);
  });

  it('names the commit that cannot be read', async () => {
    const repo = await generateSampleRepo(await tempDir(), { files: 20, packages: 2 });
    await expect(readCommitFiles(repo.dir, 'f'.repeat(40))).rejects.toBeInstanceOf(GitReadError);
    const project = createRenameProject({
      kind: 'snapshot',
      commit: 'HEAD',
      files: await readCommitFiles(repo.dir, 'HEAD'),
    });
    expect(() => renameInFiles({ project, files: ['packages/pkg-00/src/missing.ts'], from, to })).toThrow(
      FileNotInRepoError,
    );
  });
});
