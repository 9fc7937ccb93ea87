import { PlanMissingError, createMemoryBroker, type MemoryBroker } from '@baton/bus';
import { Plan, RunRecord, emptyUsage, resourceNamesFor, type Run } from '@baton/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunStore, cloneRun } from './run-store.js';

const run = (): Run => ({
  v: 1,
  id: 'r1',
  spec: { v: 1, task: 't', repo: { path: '/repo' }, limits: {} } as unknown as Run['spec'],
  status: 'running',
  trustedCommands: ['npm test'],
  subtasks: {
    a: { status: 'dispatched', attempt: 1, conflicts: 0, filesChanged: 0, usage: emptyUsage(), updatedAt: 1 },
    b: { status: 'pending', attempt: 0, conflicts: 0, filesChanged: 0, usage: emptyUsage(), updatedAt: 1 },
  },
  usage: emptyUsage(),
  createdAt: 1,
  updatedAt: 1,
});

const plan = (paths: number): Plan =>
  Plan.parse({
    v: 1,
    subtasks: [
      {
        id: 'a',
        kind: 'editor',
        title: 'edit',
        scope: { paths: Array.from({ length: paths }, (_, i) => `src/file-${i}.ts`) },
      },
      { id: 'b', kind: 'tester', title: 'test', deps: ['a'], commands: ['npm test'] },
    ],
  });

describe('cloneRun', () => {
  it('gives a copy whose run and subtask fields a change may assign without touching the original', () => {
    const original = run();
    const before = structuredClone(original);
    const copy = cloneRun(original);
    copy.status = 'succeeded';
    copy.headCommit = 'a'.repeat(40);
    Object.assign(copy.subtasks.a!, { status: 'merged', attempt: 2, filesChanged: 3 });
    copy.subtasks.b!.status = 'failed';
    copy.subtasks.c = { ...copy.subtasks.b!, status: 'pending' };
    copy.subtasks.a!.usage = { ...copy.subtasks.a!.usage, inputTokens: 10 };
    expect(original).toEqual(before);
    expect(copy.subtasks.a).toMatchObject({ status: 'merged', attempt: 2, filesChanged: 3 });
    // Nested values are shared, not copied: changes replace them.
    expect(copy.spec).toBe(original.spec);
  });
});

describe('RunStore', () => {
  let broker: MemoryBroker;
  beforeEach(() => {
    broker = createMemoryBroker();
  });
  afterEach(async () => {
    await broker.close();
  });

  it('keeps the plan out of the record: stored once, referenced, and put back on every read', async () => {
    const bus = broker.connect();
    const store = await RunStore.open(bus);
    const records = await bus.kv(resourceNamesFor('baton').runsBucket, RunRecord);
    const plans = await bus.objectStore(resourceNamesFor('baton').plansBucket);
    await store.create({ ...run(), status: 'planning' });
    expect((await records.get('r1'))?.value.planRef).toBeUndefined();

    const big = plan(2_000);
    await store.update('r1', (r) => ({ ...r, plan: big, status: 'running' }));
    const record = (await records.get('r1'))!.value;
    expect(record.planRef).toMatchObject({ subtasks: 2 });
    expect(JSON.stringify(record).length).toBeLessThan(2_000);
    expect(JSON.parse(Buffer.from((await plans.getBytes(record.planRef!.object))!).toString('utf8'))).toEqual(big);

    // A state change writes the states only: the reference, and the stored plan, stay as they were.
    await store.update('r1', (r) => {
      r.subtasks.a!.status = 'merged';
      return r;
    });
    const after = (await records.get('r1'))!.value;
    expect(after.planRef).toEqual(record.planRef);
    expect(after.subtasks.a!.status).toBe('merged');

    // Another process (a restarted coordinator) reads the whole run back.
    const fresh = await RunStore.open(broker.connect());
    expect(await fresh.get('r1')).toMatchObject({
      status: 'running',
      plan: big,
      subtasks: { a: { status: 'merged' } },
    });
    expect((await fresh.list()).map((r) => r.plan)).toEqual([big]);

    // A changed plan (a repair) is a new object; the record points at it.
    const repaired = Plan.parse({
      ...big,
      subtasks: [...big.subtasks, { id: 'c', kind: 'editor', title: 'repair', deps: ['a'] }],
    });
    await fresh.update('r1', (r) => ({ ...r, plan: repaired }));
    const third = (await records.get('r1'))!.value;
    expect(third.planRef).toMatchObject({ subtasks: 3 });
    expect(third.planRef!.object).not.toBe(record.planRef!.object);
    expect(await (await RunStore.open(broker.connect())).get('r1')).toMatchObject({ plan: repaired });
  });

  it('names a missing plan object when a record references one, and lists the runs that can be read', async () => {
    const bus = broker.connect();
    const store = await RunStore.open(bus);
    await store.create({ ...run(), plan: plan(3) });
    await store.create({ ...run(), id: 'r2', createdAt: 2, plan: plan(4) });
    const { planRef } = (await (await bus.kv(resourceNamesFor('baton').runsBucket, RunRecord)).get('r1'))!.value;
    await (await bus.objectStore(resourceNamesFor('baton').plansBucket)).delete(planRef!.object);
    const fresh = await RunStore.open(broker.connect());
    const error = await fresh.get('r1').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(PlanMissingError);
    expect((error as Error).message).toContain(planRef!.object);
    expect((await fresh.list()).map((r) => r.id)).toEqual(['r2']);
  });

  it('reads a record written with its plan inline (an earlier version), and moves the plan out on the next write', async () => {
    const bus = broker.connect();
    const records = await bus.kv(resourceNamesFor('baton').runsBucket, RunRecord);
    const inline = { ...run(), plan: plan(5) };
    await records.put('r1', inline);
    const store = await RunStore.open(bus);
    expect(await store.get('r1')).toMatchObject({ id: 'r1', plan: inline.plan, subtasks: inline.subtasks });
    await store.update('r1', (r) => {
      r.subtasks.b!.status = 'dispatched';
      return r;
    });
    const record = (await records.get('r1'))!.value;
    expect(record.plan).toBeUndefined();
    expect(record.planRef).toMatchObject({ subtasks: 2 });
    expect(await (await RunStore.open(broker.connect())).get('r1')).toMatchObject({
      plan: inline.plan,
      subtasks: { b: { status: 'dispatched' } },
    });
  });
});
