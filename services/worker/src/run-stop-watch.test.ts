import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBroker, type Bus, type Kv, type MemoryBroker } from '@baton/bus';
import { silentLogger } from '@baton/log';
import { RunRecord, WorkCancel, emptyUsage, resourceNamesFor } from '@baton/protocol';
import { watchRunStops, type RunStop, type RunStopWatchOptions } from './run-stop-watch.js';

let broker: MemoryBroker;
let coordinator: Bus;
let runs: Kv<RunRecord>;

beforeAll(async () => {
  broker = createMemoryBroker();
  coordinator = broker.connect();
  runs = await coordinator.kv(resourceNamesFor('baton').runsBucket, RunRecord);
});

afterAll(async () => {
  await broker.close();
});

const record = (id: string, status: RunRecord['status']): RunRecord =>
  RunRecord.parse({
    v: 1,
    id,
    status,
    spec: { v: 1, repo: { path: '/nowhere' }, task: 'x' },
    usage: emptyUsage(),
    createdAt: Date.now(),
    updatedAt: Date.now(),
  });

/** A watch on its own connection, recording every stop it reports. */
async function watch(extra: Partial<RunStopWatchOptions> = {}) {
  const stops: [string, string][] = [];
  const w = await watchRunStops({
    bus: broker.connect(),
    log: silentLogger(),
    onStop: (runId, reason) => stops.push([runId, reason]),
    ...extra,
  });
  return { w, stops };
}

const answer = (a: RunStop | Promise<RunStop>) => Promise.resolve(a);

describe('run-stop watch', () => {
  it("waits for a run's first read, then answers at once from it", async () => {
    await runs.put('run-live', record('run-live', 'running'));
    await runs.put('run-over', record('run-over', 'failed'));
    const { w, stops } = await watch();
    const first = w.check('run-live');
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ stopped: false });
    expect(w.check('run-live')).toEqual({ stopped: false });
    expect(await answer(w.check('run-over'))).toEqual({ stopped: true, reason: 'the run is failed' });
    expect(w.check('run-over')).toMatchObject({ stopped: true });
    // A run without a record (not written yet) is not stopped.
    expect(await answer(w.check('run-unknown'))).toEqual({ stopped: false });
    expect(stops).toEqual([['run-over', 'the run is failed']]);
    await w.close();
  });

  it('learns of a cancel broadcast at once', async () => {
    await runs.put('run-cancel', record('run-cancel', 'running'));
    const { w, stops } = await watch();
    expect(await answer(w.check('run-cancel'))).toEqual({ stopped: false });
    await coordinator.publish(coordinator.subjects.workCancel('run-cancel'), WorkCancel, {
      v: 1,
      runId: 'run-cancel',
      reason: 'cancelled by the user',
    });
    await expect.poll(() => stops).toEqual([['run-cancel', 'cancelled by the user']]);
    expect(w.check('run-cancel')).toMatchObject({ stopped: true });
    await w.close();
  });

  it('refreshes an old answer in the background and reports the stop it finds', async () => {
    await runs.put('run-later', record('run-later', 'running'));
    const { w, stops } = await watch({ refreshMs: 0 });
    expect(await answer(w.check('run-later'))).toEqual({ stopped: false });
    await runs.put('run-later', record('run-later', 'cancelled'));
    // Answered from the last read (the run was running); the refresh it starts finds the run stopped.
    expect(w.check('run-later')).toEqual({ stopped: false });
    await expect.poll(() => stops).toEqual([['run-later', 'the run is cancelled']]);
    expect(w.check('run-later')).toMatchObject({ stopped: true });
    await w.close();
  });
});
