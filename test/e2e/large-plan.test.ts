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
import { CancelRequest, Plan, RunList, RunQuery, RunRecord, RunSpec, emptyUsage, resourceNamesFor, type Run } from '@baton/protocol';

// A rename over ~30,000 files: its plan is larger than a NATS message (max_payload, 1 MiB by default).
const paths = Array.from({ length: 30_000 }, (_, i) => `packages/pkg-${String(i % 40).padStart(2, '0')}/src/module/deep/folder/file-${String(i).padStart(5, '0')}.ts`);
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
    [coordinatorBus, client] = await Promise.all([connectNats({ servers: nats.url }), connectNats({ servers: nats.url })]);
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
      v: 1, id: 'bigplan', spec: RunSpec.parse({ v: 1, task: 'rename', repo: { path: '/nowhere' } }), status: 'succeeded', stopReason: 'success',
      trustedCommands: ['npm test'], subtasks: {}, usage: emptyUsage(), createdAt: now, updatedAt: now, plan,
    };
    await coordinator.store.create(run);

    // runs.<id>.get answers with the record, its plan by reference: small whatever the plan's size.
    const record = await client.request(client.subjects.runGet('bigplan'), RunQuery, RunRecord, { v: 1, runId: 'bigplan' });
    expect(JSON.stringify(record).length).toBeLessThan(10_000);
    expect((await (await RunPlans.open(client)).assemble(record)).plan).toEqual(plan);
    // The stored record is the same small one (every state change rewrites it).
    const stored = await (await client.kv(resourceNamesFor('baton').runsBucket, RunRecord)).get('bigplan');
    expect(stored?.value).toEqual(record);

    const { runs } = await client.request(client.subjects.runsList(), RunQuery, RunList, { v: 1 });
    expect(runs.map((r) => [r.id, r.status, r.plan])).toEqual([['bigplan', 'succeeded', undefined]]);
    // Cancel answers with the record too (a finished run stays as it ended).
    const cancelled = await client.request(client.subjects.runCancel('bigplan'), CancelRequest, RunRecord, { v: 1, runId: 'bigplan', reason: 'test' });
    expect(cancelled).toEqual(record);
  });
});

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
    for (let i = 0; i < 4_500; i++) files[`${deep}/module-with-a-long-name-${String(i).padStart(5, '0')}.ts`] = `export const n${i} = ${i};\n`;
    const renamed = [0, 2_250, 4_499].map((i) => `${deep}/module-with-a-long-name-${String(i).padStart(5, '0')}.ts`);
    for (const f of renamed) files[f] = 'export const oldName = 1;\nexport const twice = oldName + oldName;\n';
    const repo = join(dir, 'repo');
    await createGitRepo(repo, files);

    const [plannerBus, coordinatorBus, workerBus] = await Promise.all([0, 1, 2].map(() => connectNats({ servers: nats.url }))) as [Bus, Bus, Bus];
    const planner = startPlanner({ bus: plannerBus });
    const coordinator = await startCoordinator({ bus: coordinatorBus, planTimeoutMs: 60_000 });
    const worker = await startWorker({ bus: workerBus, slots: 2, baseDir: join(dir, 'scratch') });
    try {
      const spec = RunSpec.parse({ v: 1, repo: { path: repo }, recipe: { kind: 'rename', from: 'oldName', to: 'newName', glob: '**/*.ts' }, testCommands: [] });
      const { runId, branch } = await coordinator.submit(spec);
      const run = await coordinator.waitForRun(runId);
      expect(run.status, run.detail).toBe('succeeded');
      expect(Buffer.byteLength(JSON.stringify(run.plan))).toBeGreaterThan(1024 * 1024);
      // Recorded under the name the planner stored it by (the coordinator did not store it a second time).
      const record = await coordinatorBus.request(coordinatorBus.subjects.runGet(runId), RunQuery, RunRecord, { v: 1, runId });
      expect(record.planRef?.object).toMatch(new RegExp(`^${runId}\\.plan\\.[0-9a-f]{32}$`));
      for (const f of renamed) expect(await showFile(repo, branch, f)).toBe('export const newName = 1;\nexport const twice = newName + newName;');
      expect(await git(repo, 'diff', '--name-only', `${run.baseCommit!}..${branch}`)).toBe(renamed.join('\n'));
    } finally {
      await worker.stop();
      await coordinator.stop();
      await planner.stop();
      await Promise.all([plannerBus, coordinatorBus, workerBus].map((b) => b.close()));
    }
  }, 120_000);
});
