import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, createMemoryBroker, type Bus, type WorkQueue } from '@baton/bus';
import { startCoordinator, type Coordinator } from '@baton/coordinator';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { startPlanner, type Planner } from '@baton/planner';
import { RunSpec, emptyUsage, queuesFor, type Result, type WorkItem } from '@baton/protocol';
import { createSignal, within } from './within.js';
import { batonMerges, createGitRepo, git, showFile } from './git-repo-fixture.js';

const ACK_WAIT_MS = 2_000;
const WAIT_MS = 60_000;
const tuning = { ackWaitMs: ACK_WAIT_MS };
const packages = ['alpha', 'beta', 'gamma'] as const;
const fileOf = (pkg: string) => `packages/${pkg}/src/${pkg}.ts`;
const repoFiles: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }),
};
for (const p of packages) {
  repoFiles[`packages/${p}/package.json`] = JSON.stringify({ name: p, version: '1.0.0' });
  repoFiles[fileOf(p)] = `export const oldName = '${p}';\n`;
}

interface Stack {
  coordinator: Coordinator;
  planner: Planner;
  /** The test's own connection: it plays the worker. */
  bus: Bus;
  stop(): Promise<void>;
}

async function natsStack(): Promise<Stack> {
  const nats: NatsServer = await startNatsServer();
  const [cBus, pBus, wBus] = await Promise.all([0, 1, 2].map(() => connectNats({ servers: nats.url })));
  const planner = startPlanner({ bus: pBus! });
  const coordinator = await startCoordinator({ bus: cBus!, queues: tuning });
  return {
    coordinator,
    planner,
    bus: wBus!,
    stop: async () => {
      await coordinator.stop();
      await planner.stop();
      await Promise.all([cBus, pBus, wBus].map((b) => b!.close()));
      await nats.stop();
    },
  };
}

async function memoryStack(): Promise<Stack> {
  const broker = createMemoryBroker();
  const planner = startPlanner({ bus: broker.connect() });
  const coordinator = await startCoordinator({ bus: broker.connect(), queues: tuning });
  return {
    coordinator,
    planner,
    bus: broker.connect(),
    stop: async () => {
      await coordinator.stop();
      await planner.stop();
      await broker.close();
    },
  };
}

describe.each([
  ['nats', natsStack],
  ['memory', memoryStack],
] as const)('exactly-once merging with the test as the worker (%s bus)', (_transport, makeStack) => {
  let dir: string;
  let repo: string;
  let stack: Stack;
  let resultsQueue: WorkQueue<Result>;
  const items: WorkItem[] = [];
  const signal = createSignal();
  const consuming = new AbortController();
  let loops: Promise<void>[] = [];
  let publishes = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-once-'));
    repo = join(dir, 'repo');
    await createGitRepo(repo, repoFiles);
    stack = await makeStack();
    const queues = queuesFor(stack.bus.subjects.prefix, tuning);
    resultsQueue = await stack.bus.workQueue(queues.results());
    // The test is the only worker: every work item is taken, recorded and acked; the test answers it.
    loops = (['editor', 'tester', 'shell'] as const).map(async (kind) => {
      const queue = await stack.bus.workQueue(queues.work(kind));
      for await (const d of queue.consume({ maxInFlight: 16, signal: consuming.signal })) {
        items.push(d.data);
        await d.ack();
        signal.notify();
      }
    });
  });

  afterAll(async () => {
    consuming.abort();
    await Promise.all(loops);
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const itemOf = (subtaskId: string, attempt: number) =>
    items.find((i) => i.subtask.id === subtaskId && i.attempt === attempt);
  const waitItem = async (subtaskId: string, attempt: number): Promise<WorkItem> => {
    await signal.until(
      () => itemOf(subtaskId, attempt) !== undefined,
      WAIT_MS,
      `work item ${subtaskId} attempt ${attempt}`,
    );
    return itemOf(subtaskId, attempt)!;
  };

  /** Publishes a Result `copies` times, each with its own message id so the bus never drops one as a duplicate. */
  const publish = async (result: Result, copies: number) => {
    for (let i = 0; i < copies; i++) {
      await resultsQueue.publish(result, {
        subject: stack.bus.subjects.results(result.runId),
        msgId: `test-${++publishes}`,
      });
    }
  };

  const resultOf = (item: WorkItem, fields: Partial<Result>): Result => ({
    v: 1,
    runId: item.runId,
    subtaskId: item.subtask.id,
    attempt: item.attempt,
    workerId: 'test-worker',
    ok: true,
    stop: 'completed',
    baseCommit: item.baseCommit,
    diff: '',
    filesChanged: [],
    commands: [],
    usage: emptyUsage(),
    summary: '',
    startedAt: Date.now(),
    finishedAt: Date.now(),
    ...fields,
  });

  /** Makes the item's edit for real in a temp clone at its base commit: `edit` rewrites each file of its program. */
  const editResult = async (
    item: WorkItem,
    edit: (source: string) => string,
    fields: Partial<Result> = {},
  ): Promise<Result> => {
    const clone = await mkdtemp(join(dir, 'clone-'));
    try {
      await git(dir, 'clone', '-q', repo, clone);
      await git(clone, 'checkout', '-q', '--detach', item.baseCommit);
      const files = item.subtask.program?.files ?? [];
      for (const f of files) await writeFile(join(clone, f), edit(await readFile(join(clone, f), 'utf8')));
      const diff = await git(clone, 'diff', '--binary', item.baseCommit);
      return resultOf(item, {
        diff: `${diff}\n`,
        filesChanged: files,
        summary: `edited ${files.length} files`,
        ...fields,
      });
    } finally {
      await rm(clone, { recursive: true, force: true });
    }
  };
  const rename = (source: string) => source.replaceAll('oldName', 'newName');

  it('merges each subtask once despite duplicate results, a failed attempt and a stale attempt-1 result', async () => {
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'rename', from: 'oldName', to: 'newName', glob: 'packages/**/*.ts' },
      testCommands: ['true'],
    });
    const { runId, branch } = await stack.coordinator.submit(spec);
    const base = await git(repo, 'rev-parse', 'HEAD');

    await signal.until(
      () => items.filter((i) => i.subtask.kind === 'editor').length >= packages.length,
      WAIT_MS,
      'one editor item per package',
    );
    const editors = items
      .filter((i) => i.subtask.kind === 'editor')
      .map((i) => i.subtask.id)
      .sort();
    expect(editors).toHaveLength(packages.length);
    const [first, flaky, last] = editors as [string, string, string];

    // Two subtasks: the real result, twice.
    for (const id of [first, last]) await publish(await editResult(await waitItem(id, 1), rename), 2);

    // The flaky one: attempt 1 fails, so attempt 2 is dispatched.
    const flaky1 = await waitItem(flaky, 1);
    await publish(
      resultOf(flaky1, {
        ok: false,
        stop: 'error',
        error: { name: 'ScriptedFailure', message: 'attempt 1 fails on purpose' },
      }),
      1,
    );
    const flaky2 = await waitItem(flaky, 2);
    // A late ok Result of attempt 1 (different content) arrives before attempt 2's: it is stale and must never land.
    await publish(await editResult(flaky1, (s) => s.replaceAll('oldName', 'newName').replace(/'\w+';/, "'STALE';")), 2);
    await publish(await editResult(flaky2, rename), 2);

    // The root tester runs after every writer merged: answer it (twice too).
    await signal.until(() => items.some((i) => i.subtask.kind === 'tester'), WAIT_MS, 'the tester item');
    const tester = items.find((i) => i.subtask.kind === 'tester')!;
    await publish(
      resultOf(tester, {
        summary: '1 passed, 0 failed',
        testReport: { passed: 1, failed: 0, skipped: 0, flaky: 0, failures: [], format: 'exit-code' },
      }),
      2,
    );

    const run = await within(stack.coordinator.waitForRun(runId), WAIT_MS, 'the run to finish');
    expect(run.status, run.detail).toBe('succeeded');
    expect(run.subtasks[flaky]).toMatchObject({ status: 'merged', attempt: 2 });
    for (const id of [first, last]) expect(run.subtasks[id]).toMatchObject({ status: 'merged', attempt: 1 });

    const merges = await batonMerges(repo, base, branch);
    expect(merges.map((m) => m.subtaskId).sort()).toEqual(editors);
    expect(merges.find((m) => m.subtaskId === flaky)?.attempt).toBe(2);
    for (const p of packages) expect(await showFile(repo, branch, fileOf(p))).toBe(`export const newName = '${p}';`);
    expect(await git(repo, 'log', '-p', `${base}..${branch}`)).not.toContain('STALE');
    // Nothing was dispatched twice except the flaky subtask's retry.
    expect(
      items
        .filter((i) => i.subtask.kind === 'editor')
        .map((i) => `${i.subtask.id}#${i.attempt}`)
        .sort(),
    ).toEqual([`${first}#1`, `${flaky}#1`, `${flaky}#2`, `${last}#1`].sort());
  }, 120_000);
});
