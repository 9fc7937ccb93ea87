import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempDirs } from '../test/temp-repo.js';
import { applyToIndex } from './apply-to-index.js';
import { cloneWorktree } from './clone-worktree.js';
import { commitTree } from './commit-tree.js';
import { compareAndSwapRef } from './compare-and-swap-ref.js';
import { createBundle } from './create-bundle.js';
import { diffWithNames } from './diff-with-names.js';
import { extractCommit } from './extract-commit.js';
import { fetchBundle } from './fetch-bundle.js';
import { hasCommit } from './has-commit.js';
import { readTree, writeTree } from './index-tree.js';
import { listTree } from './list-tree.js';
import { readTrailers } from './read-trailers.js';
import { runGit } from './run-git.js';

const dirs = new TempDirs();
afterEach(() => dirs.cleanup());

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');

describe('a worker diff merged through a private index', () => {
  it('clones a scratch worktree, diffs it with names, applies 3-way, commits with trailers and swaps the ref', async () => {
    const { dir: repo, commit: base } = await dirs.repo({ 'a.txt': lines(20), 'b.txt': lines(20) });
    const scratch = await dirs.make();
    const tree = join(scratch, 'tree');
    await cloneWorktree(repo, tree, base);
    expect(await readFile(join(tree, 'a.txt'), 'utf8')).toBe(lines(20));
    await writeFile(join(tree, 'a.txt'), lines(20).replace('line 2\n', 'two\n'));
    await writeFile(join(tree, 'new name ü.txt'), 'new\n');
    await writeFile(join(tree, 'bin'), Buffer.from([0, 1, 2]));
    const { diff, files } = await diffWithNames(tree, base);
    expect(files).toEqual(['a.txt', 'bin', 'new name ü.txt']);
    expect(diff).toContain('GIT binary patch');
    expect(diff.startsWith('diff --git')).toBe(true);

    const index = join(await dirs.make(), 'index');
    const baseTree = (await runGit(repo, ['rev-parse', `${base}^{tree}`])).stdout.trim();
    await readTree(repo, index, baseTree);
    expect(await applyToIndex(repo, index, diff)).toEqual({ kind: 'applied', files });
    const merged = await writeTree(repo, index);
    const message = 'edit\n\nBaton-Run: r1\nBaton-Subtask: s1\nBaton-Attempt: 2\n';
    const commit = await commitTree(repo, { tree: merged, parents: [base], message });
    await compareAndSwapRef(repo, 'refs/heads/baton/r1', commit, null);

    const keys = ['Baton-Run', 'Baton-Subtask', 'Baton-Attempt'];
    const trailers = await readTrailers(repo, { range: `${base}..refs/heads/baton/r1`, keys, firstParent: true });
    expect(trailers).toEqual([
      { commit, trailers: { 'Baton-Run': ['r1'], 'Baton-Subtask': ['s1'], 'Baton-Attempt': ['2'] } },
    ]);
    // The user's side is untouched: HEAD, index and working tree.
    expect((await runGit(repo, ['status', '--porcelain'])).stdout).toBe('');
    expect((await runGit(repo, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(base);
  });

  it('reports a conflict with its paths, and a patch git cannot read as invalid', async () => {
    const { dir: repo, commit: base } = await dirs.repo({ 'a.txt': lines(5) });
    const scratch = await dirs.make();
    await cloneWorktree(repo, join(scratch, 'one'), base);
    await writeFile(join(scratch, 'one', 'a.txt'), lines(5).replace('line 3\n', 'three\n'));
    const ours = await diffWithNames(join(scratch, 'one'), base);
    await cloneWorktree(repo, join(scratch, 'two'), base);
    await writeFile(join(scratch, 'two', 'a.txt'), lines(5).replace('line 3\n', 'drei\n'));
    const theirs = await diffWithNames(join(scratch, 'two'), base);
    const index = join(scratch, 'index');
    await readTree(repo, index, base);
    expect((await applyToIndex(repo, index, ours.diff)).kind).toBe('applied');
    expect(await applyToIndex(repo, index, theirs.diff)).toMatchObject({ kind: 'conflict', files: ['a.txt'] });
    await readTree(repo, index, base);
    expect((await applyToIndex(repo, index, 'diff --git a/x b/x\ngarbage\n')).kind).toBe('invalid');
  });
});

describe("reading a commit's files", () => {
  it('lists the tree with sizes and modes, names as stored', async () => {
    const { dir, commit } = await dirs.repo({ 'a.txt': 'abc', 'dir/tab\tname.ts': 'x\n' });
    const entries = await listTree(dir, commit, { sizes: true });
    expect(entries.map((e) => [e.path, e.type, e.mode, e.size])).toEqual([
      ['a.txt', 'blob', '100644', 3],
      ['dir/tab\tname.ts', 'blob', '100644', 2],
    ]);
    expect((await listTree(dir, commit))[0]?.size).toBeUndefined();
  });

  it('extracts a commit into a folder without .git', async () => {
    const { dir, commit } = await dirs.repo({ 'a.txt': 'a\n', 'd/b.txt': 'b\n' });
    const out = await dirs.make();
    await extractCommit(dir, commit, out);
    expect(await readFile(join(out, 'd/b.txt'), 'utf8')).toBe('b\n');
    expect(existsSync(join(out, '.git'))).toBe(false);
  });
});

describe('snapshots', () => {
  it('bundles a commit without leaving its temporary ref, and fetches it into a mirror', async () => {
    const { dir, commit } = await dirs.repo({ 'a.txt': 'a\n' });
    const out = await mkdtemp(join(await dirs.make(), 'b-'));
    const file = join(out, 'snap.bundle');
    await createBundle(dir, commit, file);
    expect((await runGit(dir, ['for-each-ref', 'refs/baton-snapshots'])).stdout).toBe('');
    const mirror = join(out, 'mirror.git');
    await runGit(out, ['init', '-q', '--bare', mirror], { userConfig: false });
    expect(await hasCommit(mirror, commit)).toBe(false);
    await fetchBundle(mirror, file, `+refs/*:refs/baton-cache/${commit}/*`);
    expect(await hasCommit(mirror, commit)).toBe(true);
    await rm(file);
    await expect(createBundle(dir, 'f'.repeat(40), file)).rejects.toMatchObject({ step: 'git bundle create' });
    expect((await runGit(dir, ['for-each-ref', 'refs/baton-snapshots'])).stdout).toBe('');
  });
});
