import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '@baton/git';
import { describe, expect, it } from 'vitest';
import { createTempWorktree } from '../test/temp-worktree.js';
import { createFileTracker } from './file-tracker.js';
import { runToolCall } from './run-tool-call.js';
import { createToolset } from './toolset.js';

const tools = createToolset({ readOnlyOnly: true });
const files = {
  '.gitignore': 'dist/\n',
  'src/a.ts': 'export const alpha = 1;\nconst beta = 2;\n',
  'src/lib/b.ts': 'import { alpha } from "../a.js";\n// TODO: beta\n',
  'src/lib/c.js': 'const alpha = 3;\n',
  'dist/a.js': 'const alpha = 1;\n',
  'README.md': '# Alpha project\n',
};

async function committedWorktree() {
  const wt = await createTempWorktree(files);
  await runGit(wt.root, ['add', 'src/a.ts', '.gitignore']);
  await runGit(wt.root, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'init']);
  return wt;
}

describe('glob', () => {
  it('lists tracked and untracked files matching, skipping ignored and deleted ones', async () => {
    await using wt = await committedWorktree();
    await wt.write('src/new.ts', '');
    const all = await runToolCall(tools, 'glob', { pattern: '**/*.ts' }, wt.ctx());
    expect(all).toEqual({ ok: true, content: 'src/a.ts\nsrc/lib/b.ts\nsrc/new.ts' });
    await rm(path.join(wt.root, 'src/a.ts'));
    const inLib = await runToolCall(tools, 'glob', { pattern: '*.{ts,js}', path: 'src/lib' }, wt.ctx());
    expect(inLib).toEqual({ ok: true, content: 'src/lib/b.ts\nsrc/lib/c.js' });
    expect(await runToolCall(tools, 'glob', { pattern: '**/*.ts', path: 'src' }, wt.ctx())).toEqual({
      ok: true,
      content: 'src/lib/b.ts\nsrc/new.ts',
    });
    expect(await runToolCall(tools, 'glob', { pattern: '*.py' }, wt.ctx())).toEqual({
      ok: true,
      content: 'No files match *.py.',
    });
  });

  it('refuses a search root outside the worktree', async () => {
    await using wt = await committedWorktree();
    const result = await runToolCall(tools, 'glob', { pattern: '*', path: wt.sibling }, wt.ctx());
    expect(result.ok).toBe(false);
    expect(result.content).toMatch(/refused \(outside-worktree\)/);
  });
});

describe('grep', () => {
  it('finds matches with path and line in tracked and untracked files, not in ignored ones', async () => {
    await using wt = await committedWorktree();
    const result = await runToolCall(tools, 'grep', { pattern: 'alpha =' }, wt.ctx());
    expect(result).toEqual({
      ok: true,
      content: 'src/a.ts:1:export const alpha = 1;\nsrc/lib/c.js:1:const alpha = 3;',
    });
  });

  it('narrows by path and by a file-name glob, and ignores case on request', async () => {
    await using wt = await committedWorktree();
    expect(await runToolCall(tools, 'grep', { pattern: 'alpha', path: 'src/lib', glob: '*.ts' }, wt.ctx())).toEqual({
      ok: true,
      content: 'src/lib/b.ts:1:import { alpha } from "../a.js";',
    });
    expect(await runToolCall(tools, 'grep', { pattern: '^# alpha', ignore_case: true }, wt.ctx())).toEqual({
      ok: true,
      content: 'README.md:1:# Alpha project',
    });
    expect(await runToolCall(tools, 'grep', { pattern: 'gamma' }, wt.ctx())).toEqual({
      ok: true,
      content: 'No matches for gamma.',
    });
  });

  it('reports an invalid regular expression as a failure the model can fix', async () => {
    await using wt = await committedWorktree();
    const result = await runToolCall(tools, 'grep', { pattern: 'alpha(' }, wt.ctx());
    expect(result.ok).toBe(false);
    expect(result.content).toMatch(/^grep failed: .*Unmatched/);
  });

  it('caps the number of matches', async () => {
    await using wt = await committedWorktree();
    await wt.write('many.txt', Array.from({ length: 400 }, (_, index) => `hit ${index}`).join('\n'));
    const result = await runToolCall(tools, 'grep', { pattern: '^hit' }, wt.ctx());
    expect(result.content.split('\n').filter((line) => line.startsWith('many.txt:'))).toHaveLength(300);
    expect(result.content).toMatch(/\[… 100 matches not shown; narrow the pattern, path or glob …\]$/);
  });

  it('searches a directory that is not a git repository with --no-index, without following symlinks out', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'baton-tools-plain-'));
    try {
      const dir = path.join(base, 'plain');
      await mkdir(path.join(dir, 'sub'), { recursive: true });
      await mkdir(path.join(base, 'outside'));
      await writeFile(path.join(dir, 'sub', 'x.txt'), 'needle here\n');
      await writeFile(path.join(base, 'outside', 'y.txt'), 'needle outside\n');
      await symlink(path.join(base, 'outside'), path.join(dir, 'out-link'));
      const ctx = {
        root: dir,
        files: createFileTracker(),
        authorize: () => Promise.resolve({ allowed: false, reason: 'read-only' }),
      };
      expect(await runToolCall(tools, 'grep', { pattern: 'needle' }, ctx)).toEqual({
        ok: true,
        content: 'sub/x.txt:1:needle here',
      });
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
