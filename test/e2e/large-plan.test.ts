import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectNats, type Bus } from '@baton/bus';
import { RunPlans, startCoordinator, type Coordinator } from '@baton/coordinator';
import { startNatsServer, type NatsServer } from '@baton/nats-launcher';
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
