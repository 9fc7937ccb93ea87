import { existsSync } from 'node:fs';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGitBytes } from '@baton/git';
import { afterEach, describe, expect, it } from 'vitest';
import { BranchDivergedError } from './errors.js';
import { GitFixture, numberedLines, replaceLine } from './git-fixture.js';
import { IntegrationBranch } from './integration-branch.js';

const fx = new GitFixture();
afterEach(() => fx.cleanup());
const git = fx.git.bind(fx);
const makeRepo = fx.makeRepo.bind(fx);
const workerDiff = fx.workerDiff.bind(fx);
const show = fx.show.bind(fx);
const userState = fx.userState.bind(fx);
const lines = numberedLines;

async function trailersOf(repo: string, commit: string): Promise<string> {
  return git(repo, ['log', '-1', '--format=%(trailers:only)', commit]);
}

describe('IntegrationBranch', () => {
  it('creates baton/<runId> at the base, resumes it, and refuses a branch that does not descend from the base', async () => {
    const { repo, base } = await makeRepo();
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r1', baseCommit: base });
    expect(branch.ref).toBe('refs/heads/baton/r1');
    expect(await branch.head()).toBe(base);
    expect(await branch.currentHead()).toBe(base);
    const diff = await workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    const merged = await branch.merge({ subtaskId: 's1', attempt: 1, diff, message: 'edit a' });
    expect(merged.kind).toBe('merged');
    expect(await branch.currentHead()).toBe(merged.kind === 'merged' ? merged.commit : '');

    const resumed = await IntegrationBranch.create({ repoPath: repo, runId: 'r1', baseCommit: base });
    expect(await resumed.head()).toBe(merged.kind === 'merged' ? merged.commit : '');
    expect(await resumed.currentHead()).toBe(merged.kind === 'merged' ? merged.commit : '');

    await git(repo, ['commit', '-q', '--allow-empty', '-m', 'other']);
    const other = (await git(repo, ['rev-parse', 'HEAD'])).trim();
    await expect(IntegrationBranch.create({ repoPath: repo, runId: 'r1', baseCommit: other })).rejects.toBeInstanceOf(
      BranchDivergedError,
    );
  });

  it('merges two non-overlapping diffs from the same base as two commits with trailers, leaving the user side byte-identical', async () => {
    const { repo, base } = await makeRepo();
    const d1 = await workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    const d2 = await workerDiff(repo, base, replaceLine('a.txt', 18, 'eighteen'));
    // An uncommitted change and a staged one on the user's side must survive untouched.
    await writeFile(join(repo, 'b.txt'), 'user edit\n');
    await writeFile(join(repo, 'staged.txt'), 'staged\n');
    await git(repo, ['add', 'staged.txt']);
    const before = await userState(repo);

    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r2', baseCommit: base });
    const m1 = await branch.merge({ subtaskId: 's1', attempt: 1, diff: d1, message: 'first' });
    const m2 = await branch.merge({ subtaskId: 's2', attempt: 3, diff: d2, message: 'second\n\nbody' });
    if (m1.kind !== 'merged' || m2.kind !== 'merged') throw new Error(`unexpected ${m1.kind} ${m2.kind}`);
    expect(m1.files).toEqual(['a.txt']);
    const head = await branch.head();
    expect(head).toBe(m2.commit);
    const a = await show(repo, head!, 'a.txt');
    expect(a).toContain('two\n');
    expect(a).toContain('eighteen\n');
    expect(await trailersOf(repo, m1.commit!)).toBe('Baton-Run: r2\nBaton-Subtask: s1\nBaton-Attempt: 1\n\n');
    expect(await trailersOf(repo, m2.commit!)).toBe('Baton-Run: r2\nBaton-Subtask: s2\nBaton-Attempt: 3\n\n');
    expect((await git(repo, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', m1.commit!])).trim()).toBe(
      'Baton <baton@localhost>|Baton <baton@localhost>',
    );
    expect((await git(repo, ['rev-list', `${base}..${head}`])).trim().split('\n')).toHaveLength(2);
    expect((await branch.mergedCommits()).map((c) => c.subtaskId)).toEqual(['s2', 's1']);
    expect(await userState(repo)).toEqual(before);
  });

  it('reports a conflicting diff with its files and leaves the branch where it was', async () => {
    const { repo, base } = await makeRepo();
    const d1 = await workerDiff(repo, base, replaceLine('a.txt', 5, 'mine'));
    const d2 = await workerDiff(repo, base, replaceLine('a.txt', 5, 'theirs'));
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r3', baseCommit: base });
    await branch.merge({ subtaskId: 's1', attempt: 1, diff: d1, message: 'x' });
    const head = await branch.head();
    const conflict = await branch.merge({ subtaskId: 's2', attempt: 1, diff: d2, message: 'y' });
    expect(conflict).toMatchObject({ kind: 'conflict', files: ['a.txt'] });
    expect(await branch.head()).toBe(head);
    // The failed apply left conflict stages in the branch's private index: the next merge must not see them.
    const d3 = await workerDiff(repo, base, replaceLine('a.txt', 9, 'later'));
    const next = await branch.merge({ subtaskId: 's3', attempt: 1, diff: d3, message: 'z' });
    expect(next).toMatchObject({ kind: 'merged', files: ['a.txt'] });
    const merged = await show(repo, next.kind === 'merged' ? next.commit! : '', 'a.txt');
    expect(merged).toContain('mine');
    expect(merged).toContain('later');
    expect(merged).not.toContain('theirs');
  });

  it('reports a malformed diff as invalid and an empty diff as merged without a commit', async () => {
    const { repo, base } = await makeRepo();
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r4', baseCommit: base });
    const bad = await branch.merge({
      subtaskId: 's1',
      attempt: 1,
      diff: 'diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n line 1\n-x\n',
      message: 'x',
    });
    expect(bad.kind).toBe('invalid');
    const notAPatch = await branch.merge({ subtaskId: 's1', attempt: 1, diff: 'hello\n', message: 'x' });
    expect(notAPatch.kind).toBe('invalid');
    expect(await branch.merge({ subtaskId: 's2', attempt: 1, diff: '', message: 'tests' })).toEqual({
      kind: 'merged',
      commit: null,
      head: base,
      files: [],
    });
    expect(await branch.head()).toBe(base);
  });

  it('applies a binary file diff, new files (one empty), a deletion, a mode change and a rename', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255, 254, 0, 0, 7]);
    const { repo, base } = await makeRepo({
      'a.txt': lines(5),
      'img.bin': png,
      'gone.txt': 'bye\n',
      'old.txt': lines(30),
    });
    const bigger = Buffer.concat([png, Buffer.from([0, 9, 9, 9, 0])]);
    const diff = await workerDiff(repo, base, async (dir) => {
      await writeFile(join(dir, 'img.bin'), bigger);
      await writeFile(join(dir, 'new.bin'), Buffer.from([0, 0, 1, 200]));
      await rm(join(dir, 'gone.txt'));
      await chmod(join(dir, 'a.txt'), 0o755);
      await writeFile(join(dir, 'empty.txt'), '');
      await rename(join(dir, 'old.txt'), join(dir, 'renamed.txt'));
    });
    expect(diff).toContain('rename from old.txt');
    expect(diff).toContain('GIT binary patch');
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r5', baseCommit: base });
    const merged = await branch.merge({ subtaskId: 's1', attempt: 1, diff, message: 'binary' });
    if (merged.kind !== 'merged') throw new Error(merged.kind);
    const blob = await runGitBytes(repo, ['cat-file', 'blob', `${merged.commit}:img.bin`]);
    expect(blob.stdout.equals(bigger)).toBe(true);
    expect(await git(repo, ['ls-tree', '--name-only', merged.commit!])).toBe(
      'a.txt\nempty.txt\nimg.bin\nnew.bin\nrenamed.txt\n',
    );
    expect(await show(repo, merged.commit!, 'renamed.txt')).toBe(lines(30));
    expect((await git(repo, ['ls-tree', merged.commit!, 'a.txt'])).startsWith('100755')).toBe(true);
    // Renames are listed under their new name only (what `git apply --numstat` reports).
    expect(merged.files).toEqual(['a.txt', 'empty.txt', 'gone.txt', 'img.bin', 'new.bin', 'renamed.txt']);
  });

  it('3-way merges a diff made against an older base than the head', async () => {
    const { repo, base } = await makeRepo();
    const d1 = await workerDiff(repo, base, replaceLine('a.txt', 10, 'ten'));
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r6', baseCommit: base });
    const m1 = await branch.merge({ subtaskId: 's1', attempt: 1, diff: d1, message: 'x' });
    if (m1.kind !== 'merged') throw new Error(m1.kind);
    // Made against base, touching lines next to s1's change (shared context) but not the same line.
    const d2 = await workerDiff(repo, base, replaceLine('a.txt', 12, 'twelve'));
    const m2 = await branch.merge({ subtaskId: 's2', attempt: 1, diff: d2, message: 'y' });
    if (m2.kind !== 'merged') throw new Error(`${m2.kind} ${JSON.stringify(m2)}`);
    const a = await show(repo, m2.commit!, 'a.txt');
    expect(a).toContain('ten\nline 11\ntwelve\n');
  });

  it('serializes concurrent merges on one run so both land', async () => {
    const { repo, base } = await makeRepo();
    const d1 = await workerDiff(repo, base, replaceLine('a.txt', 1, 'one'));
    const d2 = await workerDiff(repo, base, replaceLine('b.txt', 1, 'uno'));
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r7', baseCommit: base });
    const twin = await IntegrationBranch.create({ repoPath: repo, runId: 'r7', baseCommit: base });
    const [m1, m2] = await Promise.all([
      branch.merge({ subtaskId: 's1', attempt: 1, diff: d1, message: 'x' }),
      twin.merge({ subtaskId: 's2', attempt: 1, diff: d2, message: 'y' }),
    ]);
    expect([m1.kind, m2.kind]).toEqual(['merged', 'merged']);
    const head = (await branch.head())!;
    expect(await show(repo, head, 'a.txt')).toMatch(/^one\n/);
    expect(await show(repo, head, 'b.txt')).toMatch(/^uno\n/);
    expect((await branch.mergedCommits()).map((c) => c.subtaskId).sort()).toEqual(['s1', 's2']);
  });

  it('detects a ref moved by another writer between read and update, and redoes the merge on the new head', async () => {
    const { repo, base } = await makeRepo();
    const mine = await workerDiff(repo, base, replaceLine('a.txt', 3, 'three'));
    const theirs = await workerDiff(repo, base, replaceLine('b.txt', 3, 'tres'));
    const race = fx.raceBeforeRefUpdate(repo, 'r8', 's9', theirs);
    const branch = await IntegrationBranch.create({
      repoPath: repo,
      runId: 'r8',
      baseCommit: base,
      beforeRefUpdate: race.beforeRefUpdate,
    });
    const other = await IntegrationBranch.create({ repoPath: repo, runId: 'r8', baseCommit: base });
    const merged = await branch.merge({ subtaskId: 's1', attempt: 1, diff: mine, message: 'mine' });
    if (merged.kind !== 'merged') throw new Error(merged.kind);
    expect(await race.fired()).toBe(true);
    const subtasks = (await other.mergedCommits()).map((c) => c.subtaskId);
    expect(subtasks).toEqual(['s1', 's9']);
    // What it remembers follows its own merge on top of the other writer's.
    expect(await branch.currentHead()).toBe(merged.commit);
    expect(await branch.head()).toBe(merged.commit);
    expect(await show(repo, merged.commit!, 'a.txt')).toContain('three\n');
    expect(await show(repo, merged.commit!, 'b.txt')).toContain('tres\n');
  });

  it('finds its subtask in commits another writer added while it was merging, instead of applying twice', async () => {
    const { repo, base } = await makeRepo();
    const diff = await workerDiff(repo, base, replaceLine('a.txt', 3, 'three'));
    const race = fx.raceBeforeRefUpdate(repo, 'r9', 's1', diff);
    const branch = await IntegrationBranch.create({
      repoPath: repo,
      runId: 'r9',
      baseCommit: base,
      beforeRefUpdate: race.beforeRefUpdate,
    });
    const outcome = await branch.merge({ subtaskId: 's1', attempt: 1, diff, message: 'same' });
    expect(outcome).toMatchObject({ kind: 'already-merged', attempt: 1 });
    expect(await race.fired()).toBe(true);
    expect((await git(repo, ['rev-list', `${base}..refs/heads/baton/r9`])).trim().split('\n')).toHaveLength(1);
  });

  it("runs none of the repository's hooks while merging into its private index", async () => {
    const { repo, base } = await makeRepo();
    const marker = join(repo, '.git', 'hook-ran');
    await writeFile(join(repo, '.git', 'hooks', 'post-index-change'), `#!/bin/sh\ntouch '${marker}'\n`, {
      mode: 0o755,
    });
    const diff = await workerDiff(repo, base, replaceLine('a.txt', 4, 'four'));
    const branch = await IntegrationBranch.create({ repoPath: repo, runId: 'r10', baseCommit: base });
    expect((await branch.merge({ subtaskId: 's1', attempt: 1, diff, message: 'x' })).kind).toBe('merged');
    expect(existsSync(marker)).toBe(false);
  });
});
