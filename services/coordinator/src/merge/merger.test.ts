import { createMemoryBroker, type MemoryBroker } from '@baton/bus';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitFixture, replaceLine } from './git-fixture.js';
import { IntegrationBranch } from './integration-branch.js';
import { MergeLedger } from './merge-ledger.js';
import { Merger } from './merger.js';

const fx = new GitFixture();
let broker: MemoryBroker;
beforeEach(() => {
  broker = createMemoryBroker();
});
afterEach(async () => {
  await broker.close();
  await fx.cleanup();
});

/** A coordinator process: its own bus client, ledger handle and Merger. */
async function coordinator(): Promise<{ merger: Merger; ledger: MergeLedger }> {
  const ledger = await MergeLedger.open(broker.connect(), 'test-ledger');
  return { merger: new Merger({ ledger, now: () => 1 }), ledger };
}

const commitsOn = async (repo: string, base: string, runId: string) =>
  (await fx.git(repo, ['rev-list', `${base}..refs/heads/baton/${runId}`])).trim().split('\n').filter(Boolean);

describe('Merger (exactly-once)', () => {
  it('applies a result once: the same result again is a duplicate with the first commit', async () => {
    const { repo, base } = await fx.makeRepo();
    const diff = await fx.workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    const { merger, ledger } = await coordinator();
    await merger.open({ repoPath: repo, runId: 'r1', baseCommit: base });
    const input = { runId: 'r1', subtaskId: 's1', attempt: 1, currentAttempt: 1, diff, message: 'edit' };
    const first = await merger.mergeResult(input);
    if (first.kind !== 'merged') throw new Error(first.kind);
    expect(await merger.mergeResult(input)).toEqual({ kind: 'duplicate', commit: first.commit, attempt: 1 });
    expect(await commitsOn(repo, base, 'r1')).toEqual([first.commit]);
    expect(await ledger.get('r1', 's1')).toMatchObject({ commit: first.commit, attempt: 1, source: 'merge' });
  });

  it('rejects a stale attempt without applying anything', async () => {
    const { repo, base } = await fx.makeRepo();
    const diff = await fx.workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    const { merger, ledger } = await coordinator();
    await merger.open({ repoPath: repo, runId: 'r2', baseCommit: base });
    const stale = await merger.mergeResult({
      runId: 'r2',
      subtaskId: 's1',
      attempt: 1,
      currentAttempt: 2,
      diff,
      message: 'late',
    });
    expect(stale).toEqual({ kind: 'stale', attempt: 1, currentAttempt: 2 });
    expect(await commitsOn(repo, base, 'r2')).toEqual([]);
    expect(await ledger.get('r2', 's1')).toBeNull();
  });

  it('records an empty result as merged without a commit, once', async () => {
    const { repo, base } = await fx.makeRepo();
    const { merger, ledger } = await coordinator();
    await merger.open({ repoPath: repo, runId: 'r3', baseCommit: base });
    const input = { runId: 'r3', subtaskId: 'tests', attempt: 1, currentAttempt: 1, diff: '', message: 'tester' };
    expect(await merger.mergeResult(input)).toEqual({ kind: 'merged', commit: null, head: base, files: [] });
    expect(await merger.mergeResult(input)).toEqual({ kind: 'duplicate', commit: null, attempt: 1 });
    expect(await ledger.get('r3', 'tests')).toMatchObject({ commit: null });
  });

  it('leaves no ledger entry on a conflict, so the next attempt on the new base can merge', async () => {
    const { repo, base } = await fx.makeRepo();
    const d1 = await fx.workerDiff(repo, base, replaceLine('a.txt', 5, 'mine'));
    const d2 = await fx.workerDiff(repo, base, replaceLine('a.txt', 5, 'theirs'));
    const { merger, ledger } = await coordinator();
    const branch = await merger.open({ repoPath: repo, runId: 'r4', baseCommit: base });
    await merger.mergeResult({ runId: 'r4', subtaskId: 's1', attempt: 1, currentAttempt: 1, diff: d1, message: 'x' });
    const head = await branch.head();
    const conflict = await merger.mergeResult({
      runId: 'r4',
      subtaskId: 's2',
      attempt: 1,
      currentAttempt: 1,
      diff: d2,
      message: 'y',
    });
    expect(conflict).toMatchObject({ kind: 'conflict', files: ['a.txt'] });
    expect(await branch.head()).toBe(head);
    expect(await ledger.get('r4', 's2')).toBeNull();
    const rebased = await fx.workerDiff(repo, head!, replaceLine('a.txt', 5, 'both'));
    const retry = await merger.mergeResult({
      runId: 'r4',
      subtaskId: 's2',
      attempt: 2,
      currentAttempt: 2,
      diff: rebased,
      message: 'y',
    });
    expect(retry.kind).toBe('merged');
  });

  it('after a crash between moving the ref and writing the ledger, finds the merge by its trailers', async () => {
    const { repo, base } = await fx.makeRepo();
    const diff = await fx.workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    // The crashed process: the commit and the ref move happened, the ledger write never did.
    const crashed = await IntegrationBranch.create({ repoPath: repo, runId: 'r5', baseCommit: base });
    const landed = await crashed.merge({ subtaskId: 's1', attempt: 1, diff, message: 'edit' });
    if (landed.kind !== 'merged') throw new Error(landed.kind);

    const { merger, ledger } = await coordinator();
    await merger.open({ repoPath: repo, runId: 'r5', baseCommit: base });
    const again = await merger.mergeResult({
      runId: 'r5',
      subtaskId: 's1',
      attempt: 1,
      currentAttempt: 1,
      diff,
      message: 'edit',
    });
    expect(again).toEqual({ kind: 'duplicate', commit: landed.commit, attempt: 1 });
    expect(await ledger.get('r5', 's1')).toMatchObject({ commit: landed.commit, source: 'trailers' });
    expect(await commitsOn(repo, base, 'r5')).toEqual([landed.commit]);
  });

  it('recoverLedger rebuilds missing entries from the branch trailers on restart', async () => {
    const { repo, base } = await fx.makeRepo();
    const d1 = await fx.workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    const d2 = await fx.workerDiff(repo, base, replaceLine('b.txt', 2, 'dos'));
    const first = await coordinator();
    await first.merger.open({ repoPath: repo, runId: 'r6', baseCommit: base });
    const m1 = await first.merger.mergeResult({
      runId: 'r6',
      subtaskId: 's1',
      attempt: 1,
      currentAttempt: 1,
      diff: d1,
      message: 'a',
    });
    const crashed = await IntegrationBranch.create({ repoPath: repo, runId: 'r6', baseCommit: base });
    const m2 = await crashed.merge({ subtaskId: 's2', attempt: 3, diff: d2, message: 'b' });
    if (m1.kind !== 'merged' || m2.kind !== 'merged') throw new Error('setup');

    const restarted = await coordinator();
    await restarted.merger.open({ repoPath: repo, runId: 'r6', baseCommit: base });
    const entries = await restarted.merger.recoverLedger('r6');
    expect(entries.map((e) => [e.subtaskId, e.attempt, e.commit, e.source])).toEqual([
      ['s1', 1, m1.commit, 'merge'],
      ['s2', 3, m2.commit, 'trailers'],
    ]);
    // A redelivered result of the recovered subtask, even under a later attempt number, applies nothing.
    const dup = await restarted.merger.mergeResult({
      runId: 'r6',
      subtaskId: 's2',
      attempt: 4,
      currentAttempt: 4,
      diff: d2,
      message: 'b',
    });
    expect(dup).toEqual({ kind: 'duplicate', commit: m2.commit, attempt: 3 });
  });

  it('two coordinators offered the same result at once land it once', async () => {
    const { repo, base } = await fx.makeRepo();
    const diff = await fx.workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    const other = await fx.workerDiff(repo, base, replaceLine('b.txt', 9, 'nine'));
    const a = await coordinator();
    const b = await coordinator();
    await a.merger.open({ repoPath: repo, runId: 'r7', baseCommit: base });
    await b.merger.open({ repoPath: repo, runId: 'r7', baseCommit: base });
    const input = { runId: 'r7', subtaskId: 's1', attempt: 1, currentAttempt: 1, diff, message: 'x' };
    const outcomes = await Promise.all([
      a.merger.mergeResult(input),
      b.merger.mergeResult(input),
      a.merger.mergeResult({ ...input, subtaskId: 's2', diff: other }),
    ]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['duplicate', 'merged', 'merged']);
    const [first, second] = outcomes;
    const landed = first.kind === 'merged' ? first : second;
    const dup = first.kind === 'duplicate' ? first : second;
    if (landed.kind !== 'merged' || dup.kind !== 'duplicate') throw new Error('unreachable');
    expect(dup.commit).toBe(landed.commit);
    expect(await a.ledger.get('r7', 's1')).toMatchObject({ commit: landed.commit });
    expect(await commitsOn(repo, base, 'r7')).toHaveLength(2);
  });

  it('leaves the user checked-out branch, HEAD, index and working tree byte-identical', async () => {
    const { repo, base } = await fx.makeRepo();
    const diff = await fx.workerDiff(repo, base, replaceLine('a.txt', 2, 'two'));
    await writeFile(join(repo, 'a.txt'), 'uncommitted user change\n');
    const before = await fx.userState(repo);
    const { merger } = await coordinator();
    await merger.open({ repoPath: repo, runId: 'r8', baseCommit: base });
    const outcome = await merger.mergeResult({
      runId: 'r8',
      subtaskId: 's1',
      attempt: 1,
      currentAttempt: 1,
      diff,
      message: 'x',
    });
    expect(outcome.kind).toBe('merged');
    await merger.recoverLedger('r8');
    expect(await fx.userState(repo)).toEqual(before);
  });
});
