import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBroker, type Bus, type MemoryBroker } from '@baton/bus';
import { createModelClient } from '@baton/model';
import {
  AgentEvent,
  PermissionDecision,
  PermissionRequest,
  RunRecord,
  WorkItem,
  emptyUsage,
  queuesFor,
  resourceNamesFor,
  type Result,
} from '@baton/protocol';
import { startScriptedApi } from '@baton/scripted-api';
import { makeTempRepo, type TempRepo } from '../test/temp-repo.js';
import { workItem } from '../test/work-item.js';
import { startWorker, type Worker } from './worker.js';

const queues = queuesFor('baton', { ackWaitMs: 2_000 });
let repo: TempRepo;
let scratch: string;
let broker: MemoryBroker;
let coordinator: Bus;

beforeAll(async () => {
  repo = await makeTempRepo({ 'README.md': '# demo\n', 'src/a.ts': 'export const greeting = "hello";\n' });
  scratch = await mkdtemp(join(tmpdir(), 'baton-worker-mem-'));
  broker = createMemoryBroker();
  coordinator = broker.connect();
});

afterAll(async () => {
  await broker.close();
  await rm(scratch, { recursive: true, force: true });
  await repo.remove();
});

const start = (workerId: string, graceMs = 30_000): Promise<Worker> =>
  startWorker({
    bus: broker.connect(),
    workerId,
    kinds: ['tester', 'shell'],
    slots: 2,
    queues: { ackWaitMs: 2_000 },
    graceMs,
    baseDir: scratch,
  });

/** Collects results from the results queue (acking each) until `done` says so. */
async function collect(done: (results: Result[]) => boolean): Promise<Result[]> {
  const results: Result[] = [];
  const stop = new AbortController();
  const queue = await coordinator.workQueue(queues.results());
  for await (const d of queue.consume({ maxInFlight: 16, signal: stop.signal })) {
    results.push(d.data);
    await d.ack();
    if (done(results)) stop.abort();
  }
  return results;
}

describe('worker on the in-process bus', () => {
  it('shares one queue between two workers and publishes every result', async () => {
    const [a, b] = await Promise.all([start('mem-a'), start('mem-b')]);
    const work = await coordinator.workQueue(queues.work('tester'));
    const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);
    await Promise.all(ids.map((id) => work.publish(workItem(repo, 'run-mem', id, ['true'], 'tester'))));
    const results = await collect((r) => new Set(r.map((x) => x.subtaskId)).size === ids.length);
    expect(new Set(results.map((r) => r.subtaskId))).toEqual(new Set(ids));
    expect(results.filter((r) => !(r.ok && r.stop === 'completed' && r.testReport?.passed === 1)).slice(0, 2)).toEqual(
      [],
    );
    expect(new Set(results.map((r) => r.workerId))).toEqual(new Set(['mem-a', 'mem-b']));
    await Promise.all([a.stop(), b.stop()]);
    expect(await work.size()).toBe(0);
  });

  it('drops the items of a run that has stopped without running them, and runs the items of a live run', async () => {
    const runs = await coordinator.kv(resourceNamesFor('baton').runsBucket, RunRecord);
    const record = (id: string, status: RunRecord['status']): RunRecord =>
      RunRecord.parse({
        v: 1,
        id,
        status,
        spec: { v: 1, repo: { path: repo.dir }, task: 'x' },
        usage: emptyUsage(),
        createdAt: Date.now(),
        updatedAt: Date.now(),
      });
    await runs.put('run-gone', record('run-gone', 'cancelled'));
    await runs.put('run-live', record('run-live', 'running'));
    const work = await coordinator.workQueue(queues.work('shell'));
    // The stopped run's item would leave a file behind in the user's repository if it ran.
    await work.publish(
      workItem(repo, 'run-gone', 'never', [`touch ${join(scratch, 'ran-gone')}`], 'shell', ['Bash(touch:*)']),
    );
    await work.publish(workItem(repo, 'run-live', 'after', ['true']));
    const worker = await start('mem-gone');
    const results = await collect((r) => r.some((x) => x.subtaskId === 'after'));
    await worker.stop();
    expect(results.map((r) => `${r.runId}/${r.subtaskId}`)).toEqual(['run-live/after']);
    expect(await work.size()).toBe(0);
    await expect(access(join(scratch, 'ran-gone'))).rejects.toThrow();
  });

  it('a draining worker returns an item it cannot finish in its grace period, and another finishes it', async () => {
    const a = await start('mem-drain', 50);
    let seen: () => void = () => undefined;
    const startedOnA = new Promise<void>((resolve) => (seen = resolve));
    const sub = coordinator.subscribe(coordinator.subjects.eventsOfRun('run-drain'), AgentEvent, (e) => {
      if (e.workerId === 'mem-drain') seen();
    });
    const work = await coordinator.workQueue(queues.work('shell'));
    await work.publish(
      workItem(repo, 'run-drain', 'slow', ['sleep 1 && touch done'], 'shell', ['Bash(sleep:*)', 'Bash(touch:*)']),
    );
    await startedOnA;
    await sub.unsubscribe();
    await a.stop();
    const b = await start('mem-finisher');
    const [result] = await collect((r) => r.length === 1);
    expect(result, JSON.stringify(result?.error)).toMatchObject({
      subtaskId: 'slow',
      workerId: 'mem-finisher',
      ok: true,
    });
    expect(result!.diff).toContain('b/done');
    await b.stop();
  });
});

describe('an editor item through the worker', () => {
  it('asks the coordinator for an edit the policy marks ask, streams its states, and publishes the diff', async () => {
    const EDIT = 'str_replace_based_edit_tool';
    await using api = await startScriptedApi([
      { content: [{ type: 'tool_use', id: 'v', name: EDIT, input: { command: 'view', path: 'src/a.ts' } }] },
      {
        content: [
          {
            type: 'tool_use',
            id: 'e',
            name: EDIT,
            input: { command: 'str_replace', path: 'src/a.ts', old_str: '"hello"', new_str: '"hi"' },
          },
        ],
      },
      { content: [{ type: 'text', text: 'Changed the greeting.' }] },
    ]);
    const model = createModelClient({
      baseURL: api.url,
      model: 'claude-test',
      maxTokens: 1024,
      maxRetries: 0,
      timeoutMs: 10_000,
    });
    const asked: PermissionRequest[] = [];
    const perms = coordinator.serve(
      coordinator.subjects.permRequest(),
      PermissionRequest,
      PermissionDecision,
      (req) => {
        asked.push(req);
        return {
          v: 1,
          requestId: req.id,
          runId: req.runId,
          decision: 'allow',
          reason: 'approved in the test',
          decidedBy: 'human',
          decidedAt: Date.now(),
        };
      },
    );
    const states: unknown[] = [];
    // Agent events are sent as they happen and may trail the Result: the test waits for the final state's event.
    let sawDone!: () => void;
    const doneEvent = new Promise<void>((resolve) => (sawDone = resolve));
    const events = coordinator.subscribe(coordinator.subjects.eventsOfRun('run-edit'), AgentEvent, (e) => {
      if (e.kind !== '@xstate.snapshot') return;
      states.push(e.stateValue);
      if (e.stateValue === 'done') sawDone();
    });
    const w = await startWorker({
      bus: broker.connect(),
      workerId: 'mem-editor',
      kinds: ['editor'],
      model,
      baseDir: scratch,
    });
    const work = await coordinator.workQueue(queues.work('editor'));
    await work.publish(
      WorkItem.parse({
        v: 1,
        runId: 'run-edit',
        attempt: 1,
        baseCommit: repo.commit,
        repo: { kind: 'local', path: repo.dir },
        policy: { ask: ['Edit(src/**)'] },
        issuedAt: Date.now(),
        subtask: {
          id: 'greet',
          kind: 'editor',
          title: 'Shorter greeting',
          instructions: 'Say hi instead of hello.',
          scope: { paths: ['src/**'] },
        },
      }),
    );
    const [result] = await collect((r) => r.length === 1);
    expect(result, JSON.stringify(result?.error)).toMatchObject({
      ok: true,
      stop: 'end_turn',
      workerId: 'mem-editor',
      filesChanged: ['src/a.ts'],
      summary: 'Changed the greeting.',
    });
    expect(result!.diff).toContain('+export const greeting = "hi";');
    expect(result!.usage.modelCalls).toBe(3);
    expect(asked.map((r) => [r.tool, r.path, r.subtaskId])).toEqual([['Edit', 'src/a.ts', 'greet']]);
    await doneEvent;
    expect(states).toEqual(expect.arrayContaining(['preparing', 'thinking', 'acting', 'finalizing', 'done']));
    await Promise.all([w.stop(), perms.unsubscribe(), events.unsubscribe()]);
  });
});
