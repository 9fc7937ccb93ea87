import { link, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempWorktree } from '../test/temp-worktree.js';
import { PathRefusedError } from './errors.js';
import { PathRefusal, resolveWorktreePath } from './resolve-path.js';

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PathRefusedError);
  return (error as PathRefusedError).reason;
}

describe('resolveWorktreePath', () => {
  it('accepts relative paths, absolute paths inside the root, missing files and the root itself', async () => {
    await using wt = await createTempWorktree({ 'src/a.ts': '' });
    expect(await resolveWorktreePath(wt.root, 'src/a.ts')).toEqual({
      absolute: path.join(wt.root, 'src/a.ts'),
      relative: 'src/a.ts',
      exists: true,
    });
    expect(await resolveWorktreePath(wt.root, path.join(wt.root, 'src/./x/../a.ts'))).toMatchObject({
      relative: 'src/a.ts',
      exists: true,
    });
    expect(await resolveWorktreePath(wt.root, 'src/new/b.ts', 'write')).toEqual({
      absolute: path.join(wt.root, 'src/new/b.ts'),
      relative: 'src/new/b.ts',
      exists: false,
    });
    expect(await resolveWorktreePath(wt.root, '.')).toMatchObject({ relative: '', exists: true });
    expect(await refusal(resolveWorktreePath(wt.root, '.', 'write'))).toBe(PathRefusal.WorktreeRoot);
  });

  it('works when the root is given through a symlink, with absolute paths in either spelling', async () => {
    await using wt = await createTempWorktree({ 'a.txt': '' });
    const alias = path.join(wt.base, 'alias');
    await symlink(wt.root, alias);
    expect(await resolveWorktreePath(alias, path.join(alias, 'a.txt'))).toMatchObject({
      relative: 'a.txt',
      absolute: path.join(wt.root, 'a.txt'),
    });
    expect(await resolveWorktreePath(alias, path.join(wt.root, 'a.txt'))).toMatchObject({ relative: 'a.txt' });
  });

  it('follows symlinks that stay inside and refuses those that lead out, also for a missing file under them', async () => {
    await using wt = await createTempWorktree({ 'src/a.ts': '' });
    await symlink('src', path.join(wt.root, 'inner'));
    await symlink(wt.outside, path.join(wt.root, 'out'));
    await symlink(path.join(wt.outside, 'target.txt'), path.join(wt.root, 'out-file'));
    await symlink('.git/config', path.join(wt.root, 'cfg'));
    await symlink('nowhere/at/all', path.join(wt.root, 'dangling'));
    expect(await resolveWorktreePath(wt.root, 'inner/a.ts')).toMatchObject({ relative: 'src/a.ts' });
    expect(await refusal(resolveWorktreePath(wt.root, 'out/target.txt'))).toBe(PathRefusal.SymlinkOutside);
    expect(await refusal(resolveWorktreePath(wt.root, 'out/new/deeper.txt', 'write'))).toBe(PathRefusal.SymlinkOutside);
    expect(await refusal(resolveWorktreePath(wt.root, 'out-file'))).toBe(PathRefusal.SymlinkOutside);
    expect(await refusal(resolveWorktreePath(wt.root, 'cfg'))).toBe(PathRefusal.GitInternals);
    expect(await refusal(resolveWorktreePath(wt.root, 'dangling', 'write'))).toBe(PathRefusal.DanglingSymlink);
  });

  it('refuses escapes, prefix siblings, .git segments and hard links for writes', async () => {
    await using wt = await createTempWorktree({ 'a.txt': '' });
    await mkdir(path.join(wt.root, 'sub'));
    await link(path.join(wt.root, 'a.txt'), path.join(wt.root, 'sub', 'twin.txt'));
    const cases: [string, PathRefusal][] = [
      ['../outside/target.txt', PathRefusal.Outside],
      ['sub/../../wt-evil/secret.txt', PathRefusal.Outside],
      [path.join(wt.sibling, 'secret.txt'), PathRefusal.Outside],
      [wt.sibling, PathRefusal.Outside],
      ['/etc/passwd', PathRefusal.Outside],
      ['.git', PathRefusal.GitInternals],
      ['.git/config', PathRefusal.GitInternals],
      ['./.git/hooks/pre-commit', PathRefusal.GitInternals],
      ['vendor/lib/.git/config', PathRefusal.GitInternals],
      ['bad\0name', PathRefusal.Invalid],
      ['', PathRefusal.Invalid],
    ];
    for (const [input, reason] of cases)
      expect([input, await refusal(resolveWorktreePath(wt.root, input, 'write'))]).toEqual([input, reason]);
    expect(await refusal(resolveWorktreePath(wt.root, 'sub/twin.txt', 'write'))).toBe(PathRefusal.HardLink);
    // Reading a hard-linked file is allowed: only writing through it could change a file elsewhere.
    expect(await resolveWorktreePath(wt.root, 'sub/twin.txt', 'read')).toMatchObject({ relative: 'sub/twin.txt' });
  });
});
