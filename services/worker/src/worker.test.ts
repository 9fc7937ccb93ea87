import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBroker, type Bus, type MemoryBroker } from '@baton/bus';
import { AgentEvent, queuesFor, type Result } from '@baton/protocol';
import { makeTempRepo, type TempRepo } from '../test/temp-repo.js';
import { workItem } from '../test/work-item.js';
import { startWorker, type Worker } from './worker.js';

const queues = queuesFor('baton', { ackWaitMs: 2_000 });
let repo: TempRepo;
let scratch: string;
let broker: MemoryBroker;
let coordinator: Bus;

beforeAll(async () => {
  repo = await makeTempRepo({ 'README.md': '# demo\n' });
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
  startWorker({ bus: broker.connect(), workerId, kinds: ['tester', 'shell'], slots: 2, queues: { ackWaitMs: 2_000 }, graceMs, baseDir: scratch });

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
    expect(results.filter((r) => !(r.ok && r.stop === 'completed' && r.testReport?.passed === 1)).slice(0, 2)).toEqual([]);
    expect(new Set(results.map((r) => r.workerId))).toEqual(new Set(['mem-a', 'mem-b']));
    await Promise.all([a.stop(), b.stop()]);
    expect(await work.size()).toBe(0);
  });

  it('a draining worker returns an item it cannot finish in its grace period, and another finishes it', async () => {
    const a = await start('mem-drain', 50);
    let seen: () => void = () => undefined;
    const startedOnA = new Promise<void>((resolve) => (seen = resolve));
    const sub = coordinator.subscribe(coordinator.subjects.eventsOfRun('run-drain'), AgentEvent, (e) => {
      if (e.workerId === 'mem-drain') seen();
    });
    const work = await coordinator.workQueue(queues.work('shell'));
    await work.publish(workItem(repo, 'run-drain', 'slow', ['sleep 1 && touch done'], 'shell', ['Bash(sleep:*)', 'Bash(touch:*)']));
    await startedOnA;
    await sub.unsubscribe();
    await a.stop();
    const b = await start('mem-finisher');
    const [result] = await collect((r) => r.length === 1);
    expect(result, JSON.stringify(result?.error)).toMatchObject({ subtaskId: 'slow', workerId: 'mem-finisher', ok: true });
    expect(result!.diff).toContain('b/done');
    await b.stop();
  });
});
