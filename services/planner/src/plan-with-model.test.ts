import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModelClient } from '@baton/model';
import { RunSpec } from '@baton/protocol';
import { startScriptedApi, type ScriptTurn } from '@baton/scripted-api';
import { PlanRejectedError } from './errors.js';
import { planWithModel } from './plan-with-model.js';
import { createGitFixture, type GitFixture } from '../test/git-fixture.js';

let repo: GitFixture;
beforeAll(async () => {
  repo = await createGitFixture({
    'CLAUDE.md': 'Never touch generated files.\n',
    'package.json': JSON.stringify({ name: 'demo', scripts: { test: 'vitest run', typecheck: 'tsc --noEmit' } }),
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 2;\n',
  });
});
afterAll(async () => {
  await repo[Symbol.asyncDispose]();
});

const editor = (id: string, file: string, deps: string[] = []) => ({
  id,
  kind: 'editor',
  title: `edit ${file}`,
  instructions: 'rename a',
  scope: { paths: [file] },
  deps,
});
const submit = (subtasks: unknown[]): ScriptTurn => ({
  content: [{ type: 'tool_use', name: 'submit_plan', input: { summary: 'plan', subtasks } }],
  usage: { input_tokens: 100, output_tokens: 20 },
});
const cyclic = submit([editor('edit-a', 'src/a.ts', ['edit-b']), editor('edit-b', 'src/b.ts', ['edit-a'])]);
const valid = submit([
  editor('edit-a', 'src/a.ts'),
  editor('edit-b', 'src/b.ts'),
  { id: 'test', kind: 'tester', title: 'test', deps: ['edit-a', 'edit-b'], commands: ['npm test'] },
]);

function setup(turns: ScriptTurn[]) {
  return startScriptedApi(turns).then((api) => ({
    api,
    model: createModelClient({
      baseURL: api.url,
      model: 'claude-test',
      maxTokens: 1024,
      maxRetries: 0,
      timeoutMs: 10_000,
    }),
    spec: RunSpec.parse({ v: 1, repo: { path: repo.dir }, task: 'Rename a to alpha everywhere.' }),
  }));
}

describe('planWithModel', () => {
  it('sends the validation errors back as an is_error tool result and returns the corrected plan', async () => {
    const { api, model, spec } = await setup([cyclic, valid]);
    await using _api = api;
    const { plan, usage, tries } = await planWithModel({ spec, repoPath: repo.dir, baseCommit: repo.commit, model });

    expect(tries).toBe(2);
    expect(plan.subtasks.map((s) => [s.id, s.deps])).toEqual([
      ['edit-a', []],
      ['edit-b', []],
      ['test', ['edit-a', 'edit-b']],
    ]);
    expect(usage).toMatchObject({ inputTokens: 200, outputTokens: 40, modelCalls: 2 });

    const [first, second] = await api.waitForRequests(2);
    const system = JSON.stringify(first!.body.system);
    expect(system).toContain('Never touch generated files.');
    expect(system).toContain('src/a.ts');
    expect(system).toContain('`npm run typecheck`');
    expect(first!.body.tool_choice).toEqual({ type: 'tool', name: 'submit_plan' });
    expect(first!.body.tools?.[0]).toMatchObject({ name: 'submit_plan', input_schema: { type: 'object' } });

    const reply = second!.body.messages.at(-1)!;
    expect(reply.role).toBe('user');
    const result = (reply.content as { type?: string; is_error?: boolean; content?: unknown }[]).find(
      (b) => b.type === 'tool_result',
    );
    expect(result?.is_error).toBe(true);
    expect(JSON.stringify(result?.content)).toContain('dependency cycle: edit-a -> edit-b -> edit-a');
  });

  it('asks again when the model answers without calling submit_plan', async () => {
    const { api, model, spec } = await setup([
      { content: [{ type: 'text', text: 'Here is my plan…' }], stopReason: 'end_turn' },
      valid,
    ]);
    await using _api = api;
    const { plan, tries } = await planWithModel({ spec, repoPath: repo.dir, baseCommit: repo.commit, model });
    expect(tries).toBe(2);
    expect(plan.subtasks).toHaveLength(3);
    const [, second] = await api.waitForRequests(2);
    expect(second!.body.messages.at(-1)).toEqual({ role: 'user', content: 'Call the submit_plan tool with the plan.' });
  });

  it('gives up with PlanRejectedError carrying the last errors', async () => {
    const { api, model, spec } = await setup([cyclic, cyclic]);
    await using _api = api;
    const run = planWithModel({ spec, repoPath: repo.dir, baseCommit: repo.commit, model, maxTries: 2 });
    await expect(run).rejects.toBeInstanceOf(PlanRejectedError);
    await expect(run).rejects.toMatchObject({
      tries: 2,
      errors: ['dependency cycle: edit-a -> edit-b -> edit-a (each depends on the next; remove one of these deps)'],
    });
    expect(api.requests).toHaveLength(2);
  });
});
