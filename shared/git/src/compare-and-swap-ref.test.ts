import { afterEach, describe, expect, it } from 'vitest';
import { TempDirs } from '../test/temp-repo.js';
import { compareAndSwapRef } from './compare-and-swap-ref.js';
import { commitTree } from './commit-tree.js';
import { RefMovedError } from './errors.js';
import { readRef } from './read-ref.js';
import { runGit } from './run-git.js';

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

describe('compareAndSwapRef', () => {
  it('creates only an absent ref and moves one only from the expected commit; RefMovedError says where it is', async () => {
    const { dir, commit: c1 } = await dirs.repo();
    const tree = (await runGit(dir, ['rev-parse', `${c1}^{tree}`])).stdout.trim();
    const c2 = await commitTree(dir, { tree, parents: [c1], message: 'two\n' });
    const ref = 'refs/heads/baton/r1';

    await compareAndSwapRef(dir, ref, c1, null, { message: 'start' });
    expect(await readRef(dir, ref)).toBe(c1);
    const exists = await compareAndSwapRef(dir, ref, c2, null).catch((e: unknown) => e);
    expect(exists).toBeInstanceOf(RefMovedError);
    expect(exists).toMatchObject({ ref, expected: null, actual: c1 });
    expect(await readRef(dir, ref)).toBe(c1);

    await compareAndSwapRef(dir, ref, c2, c1);
    expect(await readRef(dir, ref)).toBe(c2);
    const moved = await compareAndSwapRef(dir, ref, c1, c1).catch((e: unknown) => e);
    expect(moved).toMatchObject({ name: 'RefMovedError', expected: c1, actual: c2 });
    expect(await readRef(dir, ref)).toBe(c2);

    await runGit(dir, ['update-ref', '-d', ref]);
    await expect(compareAndSwapRef(dir, ref, c1, c2)).rejects.toMatchObject({ expected: c2, actual: null });
    expect(await readRef(dir, ref)).toBeNull();
  });

  it('commits carry Baton identity by default and the given one otherwise', async () => {
    const { dir, commit } = await dirs.repo();
    const tree = (await runGit(dir, ['rev-parse', `${commit}^{tree}`])).stdout.trim();
    const mine = await commitTree(dir, { tree, parents: [commit], message: 'm\n' });
    const theirs = await commitTree(dir, { tree, parents: [], message: 'm\n', identity: { name: 'X', email: 'x@x' } });
    expect((await runGit(dir, ['log', '-1', '--format=%an <%ae> %cn', mine])).stdout).toBe(
      'Baton <baton@localhost> Baton\n',
    );
    expect((await runGit(dir, ['log', '-1', '--format=%an %P', theirs])).stdout).toBe('X \n');
  });
});
