import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type Bus } from '@baton/bus';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { startPlanner, type Planner } from '@baton/planner';
import { RunSpec, SubmitReply, type Run } from '@baton/protocol';
import { generateSampleRepo, sampleRenameTarget, type SampleRepo } from '@baton/sample-repo';
import { startWorker, type Worker } from '@baton/worker';
import { watchRun } from './run-watch.js';
import { spawnFixture, type FixtureProcess } from './spawn-fixture.js';
import { within } from './within.js';
import { batonMerges, git } from './git-repo-fixture.js';

const ACK_WAIT_MS = 2_000;
const tuning = { ackWaitMs: ACK_WAIT_MS };
const COORDINATOR = 'test/fixtures/coordinator-process.ts';

const editorsOf = (run: Run) => (run.plan?.subtasks ?? []).filter((s) => s.kind === 'editor').map((s) => s.id);
const withStatus = (run: Run, ...statuses: string[]) =>
  Object.entries(run.subtasks)
    .filter(([, s]) => statuses.includes(s.status))
    .map(([id]) => id);

describe('coordinator process killed with -9 mid-run (NATS)', () => {
  let dir: string;
  let repo: SampleRepo;
  let nats: NatsServer;
  let buses: Bus[] = [];
  let planner: Planner;
  let worker: Worker;
  const coordinators: FixtureProcess[] = [];

  const startCoordinatorProcess = async () => {
    const proc = await spawnFixture(COORDINATOR, [nats.url, String(ACK_WAIT_MS)], { readyLine: 'ready' });
    coordinators.push(proc);
    return proc;
  };
  const coordinatorLogs = () =>
    coordinators.map((c, i) => `--- coordinator ${i} (pid ${c.child.pid}) ---\n${c.stderr().slice(-6_000)}`).join('\n');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-crash-'));
    repo = await generateSampleRepo(join(dir, 'repo'), { files: 60, packages: 3 });
    nats = await startNatsServer();
    buses = await Promise.all([0, 1, 2].map(() => connectNats({ servers: nats.url })));
    planner = startPlanner({ bus: buses[1]! });
    worker = await startWorker({
      bus: buses[2]!,
      slots: 1,
      baseDir: join(dir, 'scratch'),
      queues: tuning,
      heartbeatMs: 1_000,
    });
  });

  afterAll(async () => {
    for (const c of coordinators) {
      if (c.child.exitCode !== null || c.child.signalCode !== null) continue;
      c.child.kill('SIGTERM');
      await within(c.exited, 30_000, 'the coordinator to stop');
    }
    await worker?.stop();
    await planner?.stop();
    await Promise.all(buses.map((b) => b.close()));
    await nats?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a restarted coordinator finishes the run and every subtask is merged exactly once', async () => {
    const bus = buses[0]!;
    const first = await startCoordinatorProcess();
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo.dir },
      recipe: { kind: 'rename', ...sampleRenameTarget, glob: 'packages/**/*.ts' },
      testCommands: [repo.commands.typecheck],
      // One subtask at a time, so the kill lands between merges.
      limits: { maxConcurrency: 1 },
    });
    const { runId, branch } = await bus.request(bus.subjects.runsSubmit(), RunSpec, SubmitReply, spec, {
      timeoutMs: 30_000,
    });
    const base = await git(repo.dir, 'rev-parse', 'HEAD');
    const watch = await watchRun(bus, runId);
    try {
      // Kill while a later subtask is being merged (or right after): at least one merged, at least one editor not yet.
      const atKill = await within(
        watch.until(
          (r) => withStatus(r, 'merged').length >= 1 && withStatus(r, 'merging').length >= 1,
          180_000,
          'a second merge to start',
        ),
        180_000,
        'the kill point',
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${coordinatorLogs()}`);
      });
      first.child.kill('SIGKILL');
      expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
      const mergedAtKill = withStatus(atKill, 'merged');
      expect(mergedAtKill.length).toBeLessThan(editorsOf(atKill).length);

      await startCoordinatorProcess();
      const run = await watch.final(240_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${JSON.stringify(watch.latest()?.subtasks)}\n${coordinatorLogs()}`);
      });
      expect(run.status, `${run.detail}\n${coordinatorLogs()}`).toBe('succeeded');

      const merged = withStatus(run, 'merged').sort();
      expect(merged.length).toBeGreaterThan(mergedAtKill.length);
      for (const id of editorsOf(run)) expect(['merged', 'succeeded']).toContain(run.subtasks[id]?.status);
      const trailers = (await batonMerges(repo.dir, base, branch)).map((m) => m.subtaskId);
      // Each merged subtask appears exactly once among the branch's Baton-Subtask trailers.
      expect(trailers.sort()).toEqual(merged);
      expect(await git(repo.dir, 'diff', `${base}..${branch}`)).toContain(sampleRenameTarget.to);
    } finally {
      watch.stop();
    }
  }, 480_000);
});
