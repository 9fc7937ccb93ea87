import { link, mkdir, readdir, readFile, rename, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempWorktree } from '../test/temp-worktree.js';
import { PathRefusedError } from './errors.js';
import { openInWorktree } from './open-in-worktree.js';
import { PathRefusal, resolveWorktreePath } from './resolve-path.js';

describe('openInWorktree', () => {
  it('creates files and missing folders below the root, and rewrites existing files in place', async () => {
    await using wt = await createTempWorktree({ 'src/a.ts': 'old' });
    const created = await openInWorktree(wt.root, 'src/new/deep/b.ts', 'create');
    await created.writeFile('b');
    await created.close();
    expect(await wt.read('src/new/deep/b.ts')).toBe('b');
    const rewrite = await openInWorktree(wt.root, 'src/a.ts', 'rewrite');
    expect((await rewrite.readFile()).toString()).toBe('old');
    await rewrite.close();
  });

  it('refuses a folder swapped for a symlink after the path was checked, writing nothing outside', async () => {
    await using wt = await createTempWorktree({ 'dir/a.txt': 'inside' });
    const checked = await resolveWorktreePath(wt.root, 'dir/new.txt', 'write');
    // The swap a racing process would make between the check and the open.
    await rename(path.join(wt.root, 'dir'), path.join(wt.root, 'dir.moved'));
    await symlink(wt.outside, path.join(wt.root, 'dir'));
    const error = await openInWorktree(wt.root, checked.relative, 'create').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PathRefusedError);
    expect((error as PathRefusedError).reason).toBe(PathRefusal.SymlinkOutside);
    expect(await readdir(wt.outside)).toEqual(['target.txt']);
    const read = await openInWorktree(wt.root, 'dir/a.txt', 'read').catch((e: unknown) => e);
    expect(read).toBeInstanceOf(PathRefusedError);
  });

  it('refuses a final symlink, a hard link for writes and a folder where a file was expected', async () => {
    await using wt = await createTempWorktree({ 'a.txt': 'x' });
    await symlink(path.join(wt.outside, 'target.txt'), path.join(wt.root, 'link.txt'));
    await mkdir(path.join(wt.root, 'folder'));
    await link(path.join(wt.outside, 'target.txt'), path.join(wt.root, 'twin.txt'));
    for (const [relative, intent, reason] of [
      ['link.txt', 'rewrite', PathRefusal.SymlinkOutside],
      ['link.txt', 'read', PathRefusal.SymlinkOutside],
      ['twin.txt', 'rewrite', PathRefusal.HardLink],
    ] as const) {
      const error = await openInWorktree(wt.root, relative, intent).catch((e: unknown) => e);
      expect([relative, intent, (error as PathRefusedError).reason]).toEqual([relative, intent, reason]);
    }
    const folder = await openInWorktree(wt.root, 'folder', 'rewrite').catch((e: unknown) => e);
    expect((folder as NodeJS.ErrnoException).code).toBe('EISDIR');
    expect(await readFile(path.join(wt.outside, 'target.txt'), 'utf8')).toBe('outside target\n');
  });
});
