import { BusClosedError, createMemoryBroker, type MemoryBroker } from '@baton/bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOW, resultOf, rules, runOf, subtask } from './run-fixture.js';
import { RunStore } from './run-store.js';
import { StepRunner } from './step-runner.js';

const a = subtask('a');
const b = subtask('b');
const start = () => runOf([a, b], { a: { status: 'dispatched', attempt: 1 }, b: { status: 'dispatched', attempt: 1 } });
const tested = (id: string) => ({
  type: 'resultReceived' as const,
  result: resultOf(id, 1, { diff: '' }),
  countStale: true,
  now: NOW,
});

describe('StepRunner', () => {
  let broker: MemoryBroker;
  beforeEach(() => void (broker = createMemoryBroker()));
  afterEach(() => broker.close());

  const open = async () => {
    const store = await RunStore.open(broker.connect());
    await store.create(start());
    const failures: unknown[] = [];
    const runner = new StepRunner((await store.get('run1'))!, store, rules, (err) => {
      failures.push(err);
      return Promise.resolve();
    });
    return { store, runner, failures };
  };

  it("writes a step's whole change once, at its end", async () => {
    const { store, runner } = await open();
    const before = (await store.bucket.get('run1'))!.revision;
    await runner.enqueue(async () => {
      runner.apply(tested('a'));
      runner.apply(tested('b'));
      expect((await store.bucket.get('run1'))!.revision).toBe(before);
    });
    expect((await store.bucket.get('run1'))!.revision).toBe(before + 1);
    expect((await store.get('run1'))!.subtasks).toMatchObject({
      a: { status: 'succeeded' },
      b: { status: 'succeeded' },
    });
    expect(runner.run.subtasks.a!.status).toBe('succeeded');
  });

  it('leaves the run as KV holds it when a step fails, and reports the error', async () => {
    const { store, runner, failures } = await open();
    const boom = new Error('boom');
    await runner.enqueue(async () => {
      runner.apply(tested('a'));
      await runner.commit();
      runner.apply(tested('b'));
      throw boom;
    });
    expect(failures).toEqual([boom]);
    expect(runner.run.subtasks).toMatchObject({ a: { status: 'succeeded' }, b: { status: 'dispatched' } });
    expect((await store.get('run1'))!.subtasks).toMatchObject({
      a: { status: 'succeeded' },
      b: { status: 'dispatched' },
    });
  });

  it('rethrows a transient bus error to the caller (which retries) and runs later steps', async () => {
    const { runner, failures } = await open();
    const closed = new BusClosedError();
    await expect(runner.enqueue(() => Promise.reject(closed))).rejects.toBe(closed);
    expect(failures).toEqual([]);
    await runner.enqueue(() => Promise.resolve(void runner.apply(tested('a'))));
    expect(runner.run.subtasks.a!.status).toBe('succeeded');
  });

  it('replays the step on the stored run when someone else wrote meanwhile, keeping their change', async () => {
    const { store, runner } = await open();
    const other = await RunStore.open(broker.connect());
    await other.update('run1', (r) => {
      r.subtasks.b!.status = 'merged';
      return r;
    });
    await runner.enqueue(() => Promise.resolve(void runner.apply(tested('a'))));
    expect((await store.get('run1'))!.subtasks).toMatchObject({ a: { status: 'succeeded' }, b: { status: 'merged' } });
    expect(runner.run.subtasks.b!.status).toBe('merged');
  });

  it('skips steps once the run is final', async () => {
    const { runner } = await open();
    const finished = {
      type: 'finished',
      status: 'cancelled',
      reason: 'cancelled',
      detail: 'x',
      head: undefined,
      now: NOW,
    } as const;
    await runner.enqueue(() => Promise.resolve(void runner.apply(finished)));
    let ran = false;
    await runner.enqueue(() => Promise.resolve(void (ran = true)));
    expect(ran).toBe(false);
  });
});
