import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type Bus } from '@baton/bus';
import { RunPlans, startCoordinator, type Coordinator } from '@baton/coordinator';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { startPlanner } from '@baton/planner';
import { startWorker } from '@baton/worker';
import { createGitRepo, git, showFile } from './git-repo-fixture.js';
import { runFixture } from './spawn-fixture.js';
import {
  CancelRequest,
  Plan,
  RunList,
  RunQuery,
  RunRecord,
  RunSpec,
  emptyUsage,
  resourceNamesFor,
  type Run,
} from '@baton/protocol';

// A rename over ~30,000 files: its plan is larger than a NATS message (max_payload, 1 MiB by default).
const paths = Array.from(
  { length: 30_000 },
  (_, i) =>
    `packages/pkg-${String(i % 40).padStart(2, '0')}/src/module/deep/folder/file-${String(i).padStart(5, '0')}.ts`,
);
const plan = Plan.parse({
  v: 1,
  subtasks: [
    { id: 'edit', kind: 'editor', title: 'rename', scope: { paths } },
    { id: 'test', kind: 'tester', title: 'test', deps: ['edit'], commands: ['npm test'] },
  ],
});

describe('a run whose plan is larger than a NATS message', () => {
  let nats: NatsServer;
  let coordinatorBus: Bus;
  let client: Bus;
  let coordinator: Coordinator;

  beforeAll(async () => {
    nats = await startNatsServer();
    [coordinatorBus, client] = await Promise.all([
      connectNats({ servers: nats.url }),
      connectNats({ servers: nats.url }),
    ]);
    coordinator = await startCoordinator({ bus: coordinatorBus });
  });
  afterAll(async () => {
    await coordinator?.stop();
    await Promise.all([coordinatorBus?.close(), client?.close()]);
    await nats?.stop();
  });

  it('is recorded and read back whole; runs.get and runs.list answer for it', async () => {
    expect(JSON.stringify(plan).length).toBeGreaterThan(1024 * 1024);
    const now = Date.now();
    const run: Run = {
      v: 1,
      id: 'bigplan',
      spec: RunSpec.parse({ v: 1, task: 'rename', repo: { path: '/nowhere' } }),
      status: 'succeeded',
      stopReason: 'success',
      trustedCommands: ['npm test'],
      subtasks: {},
      usage: emptyUsage(),
      createdAt: now,
      updatedAt: now,
      plan,
    };
    await coordinator.store.create(run);

    // runs.<id>.get answers with the record, its plan by reference: small whatever the plan's size.
    const record = await client.request(client.subjects.runGet('bigplan'), RunQuery, RunRecord, {
      v: 1,
      runId: 'bigplan',
    });
    expect(JSON.stringify(record).length).toBeLessThan(10_000);
    expect((await (await RunPlans.open(client)).assemble(record)).plan).toEqual(plan);
    // The stored record is the same small one (every state change rewrites it).
    const stored = await (await client.kv(resourceNamesFor('baton').runsBucket, RunRecord)).get('bigplan');
    expect(stored?.value).toEqual(record);

    const { runs } = await client.request(client.subjects.runsList(), RunQuery, RunList, { v: 1 });
    expect(runs.map((r) => [r.id, r.status, r.subtaskCounts])).toEqual([['bigplan', 'succeeded', {}]]);
    // Cancel answers with the record too (a finished run stays as it ended).
    const cancelled = await client.request(client.subjects.runCancel('bigplan'), CancelRequest, RunRecord, {
      v: 1,
      runId: 'bigplan',
      reason: 'test',
    });
    expect(cancelled).toEqual(record);
  });

  it('lists the newest runs as summaries, however large their records; `baton status` prints them', async () => {
    // 40 runs of 300 merged subtasks: ~2.5 MB of records, more than one message could list whole.
    const subtasks = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [
        `cmd-p-${String(i).padStart(4, '0')}`,
        {
          status: 'merged' as const,
          attempt: 1,
          conflicts: 0,
          filesChanged: 1,
          mergedCommit: 'a'.repeat(40),
          usage: emptyUsage(),
          updatedAt: 1,
        },
      ]),
    );
    const t0 = Date.now();
    for (let n = 0; n < 40; n++) {
      await coordinator.store.create({
        v: 1,
        id: `many-${String(n).padStart(2, '0')}`,
        spec: RunSpec.parse({ v: 1, task: 'many', repo: { path: '/nowhere' } }),
        status: 'succeeded',
        stopReason: 'success',
        branch: `baton/many-${n}`,
        trustedCommands: [],
        subtasks,
        usage: emptyUsage(),
        createdAt: t0 + n,
        updatedAt: t0 + n,
      });
    }
    const all = await client.request(client.subjects.runsList(), RunQuery, RunList, { v: 1 });
    expect([all.total, all.runs.length]).toEqual([41, 41]);
    expect(all.runs[0]).toMatchObject({ id: 'many-39', subtaskCounts: { merged: 300 }, mergedFiles: 300 });
    expect(all.runs.at(-1)!.id).toBe('bigplan');
    expect(JSON.stringify(all).length).toBeLessThan(100_000);
    const newest = await client.request(client.subjects.runsList(), RunQuery, RunList, { v: 1, limit: 2 });
    expect([newest.total, newest.runs.map((r) => r.id)]).toEqual([41, ['many-39', 'many-38']]);

    const cli = await runFixture('services/cli/src/bin-source.ts', ['status', '--limit', '2', '--nats', nats.url]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(
      cli.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t').slice(0, 4)),
    ).toEqual([
      ['many-39', 'succeeded', '300/300 subtasks', 'baton/many-39'],
      ['many-38', 'succeeded', '300/300 subtasks', 'baton/many-38'],
    ]);
    expect(cli.stderr).toContain('the newest 2 of 41 runs (--limit N for more)');
  }, 60_000);
});

/** Planner, coordinator and a 2-slot worker, each on its own NATS connection (as separate processes would be). */
async function startNatsStack(url: string, dir: string) {
  const [plannerBus, coordinatorBus, workerBus] = (await Promise.all(
    [0, 1, 2].map(() => connectNats({ servers: url })),
  )) as [Bus, Bus, Bus];
  const planner = startPlanner({ bus: plannerBus });
  const coordinator = await startCoordinator({ bus: coordinatorBus, planTimeoutMs: 60_000 });
  const worker = await startWorker({ bus: workerBus, slots: 2, baseDir: join(dir, 'scratch') });
  return {
    coordinator,
    coordinatorBus,
    [Symbol.asyncDispose]: async () => {
      await worker.stop();
      await coordinator.stop();
      await planner.stop();
      await Promise.all([plannerBus, coordinatorBus, workerBus].map((b) => b.close()));
    },
  };
}

describe('a rename whose plan is larger than a NATS message, planned and run over NATS', () => {
  let nats: NatsServer;
  let dir: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    dir = await mkdtemp(join(tmpdir(), 'baton-large-plan-'));
  });
  afterAll(async () => {
    await nats?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gets the plan from the planner by reference and runs it to success', async () => {
    // 4,500 files under 230-character paths: the plan lists them all (~1.1 MB), over max_payload (1 MiB).
    const deep = `src/${'a-rather-long-folder-name-'.repeat(4)}x/${'and-another-long-folder-name-'.repeat(4)}y`;
    const files: Record<string, string> = { 'package.json': '{ "name": "deep", "private": true }\n' };
    for (let i = 0; i < 4_500; i++)
      files[`${deep}/module-with-a-long-name-${String(i).padStart(5, '0')}.ts`] = `export const n${i} = ${i};\n`;
    const renamed = [0, 2_250, 4_499].map((i) => `${deep}/module-with-a-long-name-${String(i).padStart(5, '0')}.ts`);
    for (const f of renamed) files[f] = 'export const oldName = 1;\nexport const twice = oldName + oldName;\n';
    const repo = join(dir, 'repo');
    await createGitRepo(repo, files);

    await using stack = await startNatsStack(nats.url, dir);
    const { coordinator, coordinatorBus } = stack;
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'rename', from: 'oldName', to: 'newName', glob: '**/*.ts' },
      testCommands: [],
    });
    const { runId, branch } = await coordinator.submit(spec);
    const run = await coordinator.waitForRun(runId);
    expect(run.status, run.detail).toBe('succeeded');
    expect(Buffer.byteLength(JSON.stringify(run.plan))).toBeGreaterThan(1024 * 1024);
    // Recorded under the name the planner stored it by (the coordinator did not store it a second time).
    const record = await coordinatorBus.request(coordinatorBus.subjects.runGet(runId), RunQuery, RunRecord, {
      v: 1,
      runId,
    });
    expect(record.planRef?.object).toMatch(new RegExp(`^${runId}\\.plan\\.[0-9a-f]{32}$`));
    for (const f of renamed)
      expect(await showFile(repo, branch, f)).toBe(
        'export const newName = 1;\nexport const twice = newName + newName;',
      );
    expect(await git(repo, 'diff', '--name-only', `${run.baseCommit!}..${branch}`)).toBe(renamed.join('\n'));
  }, 120_000);
});

describe('a plan with more subtasks than a run record on this bus can hold', () => {
  let nats: NatsServer;
  let dir: string;

  beforeAll(async () => {
    // 64 KiB messages: the limit the default 1 MiB sets at ~2,700 subtasks comes at ~170.
    nats = await startNatsServer({ maxPayload: 64 * 1024 });
    dir = await mkdtemp(join(tmpdir(), 'baton-small-payload-'));
  });
  afterAll(async () => {
    await nats?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails the run at once with the reason, and a run that fits still succeeds on the same server', async () => {
    const packages = (n: number) => {
      const files: Record<string, string> = { 'package.json': '{ "name": "root", "private": true }\n' };
      for (let i = 0; i < n; i++)
        files[`pkgs/p-${String(i).padStart(4, '0')}/package.json`] = `{ "name": "p-${i}", "private": true }\n`;
      return files;
    };
    const [big, small] = [join(dir, 'big'), join(dir, 'small')];
    await createGitRepo(big, packages(400));
    await createGitRepo(small, packages(3));
    await createGitRepo(join(dir, 'noisy'), packages(120));

    await using stack = await startNatsStack(nats.url, dir);
    const { coordinator, coordinatorBus } = stack;
    expect(coordinatorBus.maxPayload).toBe(64 * 1024);
    const spec = (repo: string, command: string) =>
      RunSpec.parse({
        v: 1,
        repo: { path: repo },
        recipe: { kind: 'command', command, packages: 'pkgs/*' },
        testCommands: [],
      });
    // Its plan (~90 KB, over a quarter of the limit) comes from the planner by reference; the coordinator refuses it.
    const tooMany = await coordinator.submit(spec(big, 'true'));
    const failed = await coordinator.waitForRun(tooMany.runId);
    expect([failed.status, failed.stopReason]).toEqual(['failed', 'budget_subtasks']);
    expect(failed.detail).toMatch(
      /^the plan has 401 subtasks: the run's record \(one state per subtask\) would grow to about \d+ KiB, over the 60 KiB it may take of one message on this bus \(the NATS server's max_payload is 64 KiB\)\. Raise max_payload/,
    );
    expect(Object.keys(failed.subtasks)).toEqual([]);
    expect(await git(big, 'log', '--oneline', `${failed.baseCommit!}..${tooMany.branch}`)).toBe('');

    // Failing commands whose errors (the end of their stderr, ~2 KB each) outgrow the record mid-run: the run stops
    // with the reason instead of staying unfinished with every write failing.
    const noisy = await coordinator.submit(
      spec(join(dir, 'noisy'), `node -e "process.stderr.write('e'.repeat(3000)); process.exit(1)"`),
    );
    const stopped = await coordinator.waitForRun(noisy.runId);
    expect([stopped.status, stopped.stopReason]).toEqual(['failed', 'internal_error']);
    expect(stopped.detail).toMatch(
      new RegExp(`^internal error: baton-runs/${noisy.runId}: \\d+ bytes, over the 64512 bytes one message may hold`),
    );
    expect(Object.values(stopped.subtasks).some((s) => s.error?.message.includes('eeee'))).toBe(true);

    // Small diffs travel inline, under a quarter of the limit.
    const fits = await coordinator.submit(spec(small, 'echo done > done.txt'));
    const run = await coordinator.waitForRun(fits.runId);
    expect(run.status, run.detail).toBe('succeeded');
    for (const p of ['p-0000', 'p-0001', 'p-0002'])
      expect(await showFile(small, fits.branch, `pkgs/${p}/done.txt`)).toBe('done');
  }, 120_000);
});
