import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type Bus, type Subscription } from '@baton/bus';
import { startCoordinator, type Coordinator } from '@baton/coordinator';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
import { createModelClient } from '@baton/model';
import { startPlanner, type Planner } from '@baton/planner';
import {
  PendingPermission,
  PermissionDecision,
  Result,
  RunRecord,
  RunQuery,
  RunSpec,
  SubmitReply,
  type RunSpecInput,
} from '@baton/protocol';
import { startScriptedApi, type ScriptedApi } from '@baton/scripted-api';
import { startWorker, type Worker } from '@baton/worker';
import { runFixture } from './spawn-fixture.js';
import { watchRun } from './run-watch.js';
import { createSignal } from './within.js';
import { createGitRepo, git } from './git-repo-fixture.js';

const ACK_WAIT_MS = 2_000;
const WAIT_MS = 60_000;
const tuning = { ackWaitMs: ACK_WAIT_MS };
const BATON = 'services/cli/src/bin-source.ts';
const COMMAND = 'touch approved.txt';
// What the scripted model plans for every run: one shell subtask whose command the policy does not allow (verdict `ask`).
const plan = {
  summary: 'create approved.txt',
  subtasks: [
    {
      id: 'touch',
      kind: 'shell',
      title: 'create approved.txt',
      instructions: 'Create the file.',
      scope: { paths: ['approved.txt'] },
      deps: [],
      commands: [COMMAND],
    },
  ],
};

/** Every file named `name` under `dir`, at any depth. */
async function findFiles(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  });
  return entries.filter((e) => e.name === name).map((e) => join(e.parentPath, e.name));
}

describe('permissions over NATS, decided with the baton CLI', () => {
  let dir: string;
  let repo: string;
  let scratch: string;
  let nats: NatsServer;
  let api: ScriptedApi;
  let buses: Bus[] = [];
  let coordinator: Coordinator;
  let planner: Planner;
  let worker: Worker;
  let subscriptions: Subscription[] = [];
  const pending: PendingPermission[] = [];
  const decided: PermissionDecision[] = [];
  const results: Result[] = [];
  const signal = createSignal();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-e2e-perm-'));
    repo = join(dir, 'repo');
    scratch = join(dir, 'scratch');
    await createGitRepo(repo, { 'README.md': '# permissions\n' });
    api = await startScriptedApi(() => ({ content: [{ type: 'tool_use', name: 'submit_plan', input: plan }] }));
    nats = await startNatsServer();
    buses = await Promise.all([0, 1, 2, 3].map(() => connectNats({ servers: nats.url })));
    const [bus, cBus, pBus, wBus] = buses as [Bus, Bus, Bus, Bus];
    const model = createModelClient({
      baseURL: api.url,
      model: 'claude-test',
      maxTokens: 1024,
      maxRetries: 0,
      timeoutMs: 10_000,
    });
    planner = startPlanner({ bus: pBus, model, maxTries: 1 });
    coordinator = await startCoordinator({ bus: cBus, queues: tuning });
    worker = await startWorker({ bus: wBus, kinds: ['shell'], slots: 2, baseDir: scratch, queues: tuning });
    const s = bus.subjects;
    subscriptions = [
      bus.subscribe(s.permPendingAll(), PendingPermission, (p) => void (pending.push(p), signal.notify())),
      // Results go to a JetStream stream; a plain subscription on the subject sees them too, without taking them from the coordinator.
      bus.subscribe(s.resultsAll(), Result, (r) => void (results.push(r), signal.notify())),
    ];
    await bus.flush();
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((sub) => sub.unsubscribe()));
    await worker?.stop();
    await coordinator?.stop();
    await planner?.stop();
    await Promise.all(buses.map((b) => b.close()));
    await nats?.stop();
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Submits a run through `runs.submit` and follows its decisions. */
  const submit = async (extra: Partial<RunSpecInput> = {}) => {
    const bus = buses[0]!;
    const spec = RunSpec.parse({ v: 1, repo: { path: repo }, task: 'Create approved.txt.', ...extra });
    const reply = await bus.request(bus.subjects.runsSubmit(), RunSpec, SubmitReply, spec, { timeoutMs: 30_000 });
    subscriptions.push(
      bus.subscribe(
        bus.subjects.permDecided(reply.runId),
        PermissionDecision,
        (d) => void (decided.push(d), signal.notify()),
      ),
    );
    await bus.flush();
    return { ...reply, watch: await watchRun(bus, reply.runId) };
  };
  const pendingOf = async (runId: string) => {
    await signal.until(
      () => pending.some((p) => p.request.runId === runId),
      WAIT_MS,
      `a parked permission request of run ${runId}`,
    );
    return pending.find((p) => p.request.runId === runId)!;
  };
  const decisionOf = async (requestId: string) => {
    await signal.until(() => decided.some((d) => d.requestId === requestId), WAIT_MS, `the decision of ${requestId}`);
    return decided.find((d) => d.requestId === requestId)!;
  };
  const resultOf = async (runId: string) => {
    await signal.until(() => results.some((r) => r.runId === runId), WAIT_MS, `the result of run ${runId}`);
    return results.find((r) => r.runId === runId)!;
  };
  const baton = (...args: string[]) => runFixture(BATON, [...args, '--nats', nats.url]);

  it('parks the ask without running the command; `baton approve` lets it run and the file is merged', async () => {
    const { runId, branch, watch } = await submit();
    try {
      const parked = await pendingOf(runId);
      expect(parked.request).toMatchObject({ tool: 'Bash', command: COMMAND, subtaskId: 'touch' });
      expect(parked.verdict).toBe('ask');
      // Parked: the worker holds the subtask, the command has not run in its worktree, no result yet.
      expect(await findFiles(scratch, 'approved.txt')).toEqual([]);
      expect(results.filter((r) => r.runId === runId)).toEqual([]);
      const bus = buses[0]!;
      const now = await bus.request(bus.subjects.runGet(runId), RunQuery, RunRecord, { v: 1, runId });
      expect(now.subtasks.touch?.status).toBe('dispatched');

      const cli = await baton('approve', parked.request.id, '--run', runId);
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain(`${parked.request.id}: allow`);
      expect(await decisionOf(parked.request.id)).toMatchObject({ decision: 'allow', decidedBy: 'human' });

      const run = await watch.final(WAIT_MS);
      expect(run.status, run.detail).toBe('succeeded');
      expect(run.subtasks.touch?.status).toBe('merged');
      expect(await git(repo, 'diff', '--name-status', `${run.baseCommit}..${branch}`)).toBe('A\tapproved.txt');
    } finally {
      watch.stop();
    }
  });

  it('`baton deny --reason` fails the shell subtask with the reason; the command never runs', async () => {
    const { runId, branch, watch } = await submit({ limits: { maxRetriesPerSubtask: 0 } });
    try {
      const parked = await pendingOf(runId);
      const cli = await baton('deny', parked.request.id, '--run', runId, '--reason', 'no');
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toContain(`${parked.request.id}: deny (no)`);
      expect(await decisionOf(parked.request.id)).toMatchObject({ decision: 'deny', decidedBy: 'human', reason: 'no' });

      const result = await resultOf(runId);
      expect(result).toMatchObject({ ok: false, stop: 'command_failed', diff: '' });
      expect(result.commands).toEqual([
        expect.objectContaining({ command: COMMAND, exitCode: null, stderr: 'permission denied: no' }),
      ]);
      const run = await watch.final(WAIT_MS);
      expect(run.status).toBe('failed');
      expect(run.subtasks.touch?.status).toBe('failed');
      expect(run.subtasks.touch?.error?.message).toContain('permission denied: no');
      expect(await git(repo, 'rev-parse', branch)).toBe(run.baseCommit);
    } finally {
      watch.stop();
    }
  });

  it('an unanswered ask is denied by the timeout (decidedBy timeout)', async () => {
    const { runId, watch } = await submit({
      limits: { maxRetriesPerSubtask: 0 },
      policy: { mode: 'default', ask: ['Bash(touch:*)'], askTimeoutMs: 1_500 },
    });
    try {
      const parked = await pendingOf(runId);
      expect(parked.rule).toBe('Bash(touch:*)');
      const decision = await decisionOf(parked.request.id);
      expect(decision).toMatchObject({ decision: 'deny', decidedBy: 'timeout', rule: 'Bash(touch:*)' });

      const result = await resultOf(runId);
      expect(result.commands).toEqual([
        expect.objectContaining({ command: COMMAND, exitCode: null, stderr: `permission denied: ${decision.reason}` }),
      ]);
      const run = await watch.final(WAIT_MS);
      expect(run.status).toBe('failed');
      expect(run.subtasks.touch?.error?.message).toContain(decision.reason);
    } finally {
      watch.stop();
    }
  });
});
