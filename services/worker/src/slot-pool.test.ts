import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBroker, type Bus, type Delivery, type MemoryBroker, type WorkQueue } from '@baton/bus';
import { silentLogger } from '@baton/log';
import { WorkItem, queuesFor } from '@baton/protocol';
import { startSlotPool, type Slot } from './slot-pool.js';

const queues = queuesFor('baton', { ackWaitMs: 2_000 });
let broker: MemoryBroker;
let bus: Bus;

beforeAll(() => {
  broker = createMemoryBroker();
  bus = broker.connect();
});

afterAll(async () => {
  await broker.close();
});

const item = (runId: string, id: string): WorkItem =>
  WorkItem.parse({
    v: 1,
    runId,
    attempt: 1,
    subtask: { id, kind: 'shell', title: id, commands: ['true'] },
    baseCommit: 'a'.repeat(40),
    repo: { kind: 'local', path: '/nowhere' },
    policy: {},
    issuedAt: Date.now(),
  });

/** The queue as it is, recording the id of each item the pool takes from it (in hand, running or waiting). */
function observed(queue: WorkQueue<WorkItem>, taken: string[], notify: () => void): WorkQueue<WorkItem> {
  return {
    name: queue.name,
    publish: (data, options) => queue.publish(data, options),
    size: () => queue.size(),
    consume: (options) => ({
      async *[Symbol.asyncIterator]() {
        for await (const delivery of queue.consume(options)) {
          yield delivery;
          // Resumed when the pool asks for the next one: it has taken this one.
          taken.push(delivery.data.subtask.id);
          notify();
        }
      },
    }),
  };
}

/** Resolves once `condition` holds, re-checked on each `notify`. */
function signal() {
  const listeners = new Set<() => void>();
  return {
    notify: () => listeners.forEach((l) => l()),
    until: (condition: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!condition()) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Items run until the test finishes them (ack, then settle). */
function heldRuns() {
  const started: { id: string; slot: Slot; done: () => void }[] = [];
  const changes = signal();
  const run = (delivery: Delivery<WorkItem>, slot: Slot) =>
    new Promise<void>((resolve) => {
      started.push({ id: delivery.data.subtask.id, slot, done: () => void delivery.ack().then(resolve) });
      changes.notify();
    });
  return { started, run, changes };
}

describe('slot pool', () => {
  it('runs at most its slots at once, and a freed slot starts the next item in hand in the same call', async () => {
    const work = await bus.workQueue(queues.work('shell'));
    const taken: string[] = [];
    const { started, run, changes } = heldRuns();
    const pool = startSlotPool<WorkItem>({
      slots: 2,
      queues: [observed(work, taken, changes.notify)],
      ackWaitMs: 2_000,
      log: silentLogger(),
      run,
    });
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => work.publish(item('run-pool', id))));
    // One item more than the slots is in hand: the third waits for a slot.
    await changes.until(() => started.length === 2 && taken.length === 3);
    expect(started.map((s) => s.id)).toEqual(['a', 'b']);
    started[0]!.slot.release();
    // No await between the release and this check: the next item started inside release().
    expect(started.map((s) => s.id)).toEqual(['a', 'b', 'c']);
    started[0]!.slot.release(); // a second release of the same slot gives nothing away
    expect(started).toHaveLength(3);
    // An item that settles without releasing its slot frees it then.
    started[1]!.done();
    await changes.until(() => started.length === 4);
    expect(started.map((s) => s.id)).toEqual(['a', 'b', 'c', 'd']);
    started.forEach((s) => s.done());
    await pool.close();
    await pool.settled();
    expect(await work.size()).toBe(0);
  });

  it('closing gives the items waiting for a slot back to their queue', async () => {
    const work = await bus.workQueue(queues.work('tester'));
    const taken: string[] = [];
    const { started, run, changes } = heldRuns();
    const pool = startSlotPool<WorkItem>({
      slots: 1,
      queues: [observed(work, taken, changes.notify)],
      ackWaitMs: 2_000,
      log: silentLogger(),
      run,
    });
    await Promise.all(['x', 'y'].map((id) => work.publish(item('run-close', id))));
    // y is in hand, waiting for the one slot.
    await changes.until(() => started.length === 1 && taken.length === 2);
    await pool.close();
    started[0]!.done();
    await pool.settled();
    expect(started.map((s) => s.id)).toEqual(['x']);
    // y is back on the queue for another worker.
    const again = new AbortController();
    for await (const d of work.consume({ maxInFlight: 1, signal: again.signal })) {
      expect(d.data.subtask.id).toBe('y');
      await d.ack();
      again.abort();
    }
  });
});
