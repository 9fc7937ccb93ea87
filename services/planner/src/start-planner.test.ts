import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBroker, RemoteError, RunPlans, type Bus } from '@baton/bus';
import type { z } from 'zod';
import { PlanReply, PlanRequest, type Plan } from '@baton/protocol';
import { createModelClient } from '@baton/model';
import { startScriptedApi } from '@baton/scripted-api';
import { startPlanner, type Planner } from './start-planner.js';
import { createGitFixture, type GitFixture } from '../test/git-fixture.js';

let repo: GitFixture;
let client: Bus;
let plannerBus: Bus;
let planner: Planner;
beforeAll(async () => {
  repo = await createGitFixture({
    'package.json': '{"scripts":{"test":"vitest"}}',
    'src/a.ts': 'export const purry = 1;\n',
  });
  const broker = createMemoryBroker();
  plannerBus = broker.connect();
  planner = startPlanner({ bus: plannerBus });
  client = broker.connect();
});
afterAll(async () => {
  await planner.stop();
  await Promise.all([client.close(), plannerBus.close()]);
  await repo[Symbol.asyncDispose]();
});

const request = (spec: Record<string, unknown>, extra: Partial<z.input<typeof PlanRequest>> = {}) =>
  client.request(
    client.subjects.planRequest(),
    PlanRequest,
    PlanReply,
    PlanRequest.parse({
      v: 1,
      runId: 'run-1',
      spec: { v: 1, repo: { path: repo.dir }, ...spec },
      baseCommit: repo.commit,
      repoPath: repo.dir,
      ...extra,
    }),
    { timeoutMs: 20_000 },
  );

/** The plan a reply carries inline (these plans are small). */
function inline(reply: PlanReply): Plan {
  if (!('plan' in reply)) throw new Error(`expected the plan inline, got a reference to ${reply.planRef.object}`);
  return reply.plan;
}

describe('startPlanner', () => {
  it('answers a recipe request with the recipe plan', async () => {
    const reply = await request({ recipe: { kind: 'rename', from: 'purry', to: 'curryDataFirst' } });
    expect(inline(reply).subtasks.map((s) => [s.id, s.deps, s.commands])).toEqual([
      ['rename-root-1', [], undefined],
      ['test-root', ['rename-root-1'], ['npm test']],
    ]);
  });

  it('replies with a reference to the plans bucket when the plan is larger than its inline limit', async () => {
    const spec = { recipe: { kind: 'rename', from: 'purry', to: 'curryDataFirst' } };
    const small = inline(await request(spec));
    const broker = createMemoryBroker();
    const [plannerSide, bus] = [broker.connect(), broker.connect()];
    const tight = startPlanner({ bus: plannerSide, planInlineLimit: 100 });
    try {
      const message = PlanRequest.parse({
        v: 1,
        runId: 'run-big',
        spec: { v: 1, repo: { path: repo.dir }, ...spec },
        baseCommit: repo.commit,
        repoPath: repo.dir,
      });
      const reply = await bus.request(bus.subjects.planRequest(), PlanRequest, PlanReply, message, {
        timeoutMs: 20_000,
      });
      if (!('planRef' in reply)) throw new Error('expected a reference');
      expect(reply.planRef).toMatchObject({
        object: expect.stringMatching(/^run-big\.plan\.[0-9a-f]{32}$/) as unknown,
        subtasks: 2,
      });
      // Read by another connection, as the coordinator reads it; the same plan as the inline answer.
      expect(await (await RunPlans.open(bus)).get(reply.planRef)).toEqual(small);
      // The coordinator records that very object: storing the plan again names it the same.
      expect(await (await RunPlans.open(bus)).put('run-big', small)).toEqual(reply.planRef);
    } finally {
      await tight.stop();
      await Promise.all([bus.close(), plannerSide.close()]);
      await broker.close();
    }
  });

  it('answers with an error reply when a task needs a model and none is configured', async () => {
    const err: unknown = await request({ task: 'add a feature' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ remoteName: 'ModelNotConfiguredError' });
  });

  it('answers a repair request without a model with the failures it cannot repair', async () => {
    const failed = { id: 'test-root', kind: 'tester' as const, title: 'test', commands: ['npm test'] };
    const repair = { failed, failures: [{ file: 'src/a.ts', line: 1, message: 'boom' }], headCommit: repo.commit };
    const err: unknown = await request({ recipe: { kind: 'rename', from: 'purry', to: 'x' } }, { repair }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      remoteName: 'RepairNeedsModelError',
      data: { subtaskId: 'test-root', failures: [{ file: 'src/a.ts', line: 1, message: 'boom' }] },
    });
  });
});

describe('startPlanner with a model', () => {
  it('plans a task with the model', async () => {
    await using api = await startScriptedApi([
      {
        content: [
          {
            type: 'tool_use',
            name: 'submit_plan',
            input: { subtasks: [{ id: 'edit', kind: 'editor', title: 'edit', scope: { paths: ['src/a.ts'] } }] },
          },
        ],
      },
    ]);
    const broker = createMemoryBroker();
    const model = createModelClient({
      baseURL: api.url,
      model: 'claude-test',
      maxTokens: 1024,
      maxRetries: 0,
      timeoutMs: 10_000,
    });
    const plannerSide = broker.connect();
    const withModel = startPlanner({ bus: plannerSide, model });
    const bus = broker.connect();
    try {
      const message = PlanRequest.parse({
        v: 1,
        runId: 'run-2',
        spec: { v: 1, repo: { path: repo.dir }, task: 'edit a' },
        baseCommit: repo.commit,
        repoPath: repo.dir,
      });
      const reply = await bus.request(bus.subjects.planRequest(), PlanRequest, PlanReply, message, {
        timeoutMs: 20_000,
      });
      expect(inline(reply).subtasks.map((s) => s.id)).toEqual(['edit']);
    } finally {
      await withModel.stop();
      await Promise.all([bus.close(), plannerSide.close()]);
    }
  });
});
