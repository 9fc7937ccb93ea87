import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createActor, toPromise } from 'xstate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@baton/log';
import { createModelClient, type ModelClient } from '@baton/model';
import { Subtask } from '@baton/protocol';
import { startScriptedApi, type Script, type ScriptedApi, type RecordedContentBlock } from '@baton/scripted-api';
import { createFileTracker, createToolset, type AuthorizeAction } from '@baton/tools';
import { makeTempRepo, type TempRepo } from '../../test/temp-repo.js';
import { Workspaces, type Worktree } from '../workspace/workspaces.js';
import {
  DEFAULT_EDITOR_LIMITS,
  editorMachine,
  type EditorInput,
  type EditorLimits,
  type EditorOutput,
} from './editor.machine.js';

const EDIT = 'str_replace_based_edit_tool';
const files = {
  'CLAUDE.md': '# Conventions\n\nNames are verbs. MEMORY-MARKER-42\n',
  'src/a.ts': 'export function greet(name: string): string {\n  return `hello ${name}`;\n}\n',
  'src/b.ts': "import { greet } from './a.js';\n\nexport const hi = greet('b');\n",
};

let repo: TempRepo;
let scratch: string;
let workspaces: Workspaces;
let n = 0;
const apis: ScriptedApi[] = [];

beforeAll(async () => {
  repo = await makeTempRepo(files);
  scratch = await mkdtemp(join(tmpdir(), 'baton-editor-test-'));
  workspaces = await Workspaces.open({ workerId: 'editor-test', baseDir: scratch, log: silentLogger() });
});

afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
  await workspaces.close();
  await rm(scratch, { recursive: true, force: true });
  await repo.remove();
});

const subtask = (extra: Partial<Subtask> = {}): Subtask =>
  Subtask.parse({
    id: 'rename-greet',
    kind: 'editor',
    title: 'Rename greet to salute',
    instructions: 'Rename the function greet to salute in src/a.ts and every caller.',
    scope: { paths: ['src/**'] },
    ...extra,
  });

async function api(script: Script): Promise<{ api: ScriptedApi; model: ModelClient }> {
  const a = await startScriptedApi(script);
  apis.push(a);
  const model = createModelClient({
    baseURL: a.url,
    model: 'claude-test',
    maxTokens: 1024,
    maxRetries: 2,
    timeoutMs: 10_000,
    retryBaseMs: 10,
  });
  return { api: a, model };
}

interface Run {
  tree: Worktree;
  authorized: AuthorizeAction[];
  input: EditorInput;
}

async function setUp(
  model: ModelClient | undefined,
  limits: Partial<EditorLimits> = {},
  task: Subtask = subtask(),
): Promise<Run> {
  const tree = await workspaces.worktree({ kind: 'local', path: repo.dir }, repo.commit, `t${n++}`);
  const authorized: AuthorizeAction[] = [];
  const input: EditorInput = {
    subtask: task,
    tools: createToolset(),
    toolContext: {
      root: tree.dir,
      files: createFileTracker(),
      authorize: async (action) => {
        authorized.push(action);
        // A permission round trip takes time; it makes overlapping writes observable.
        if (action.tool !== 'Bash') await delay(20);
        return { allowed: true, reason: 'test' };
      },
    },
    model,
    limits: { ...DEFAULT_EDITOR_LIMITS, ...limits },
    diff: () => tree.diff(),
  };
  return { tree, authorized, input };
}

async function run(input: EditorInput): Promise<{ output: EditorOutput; state: unknown }> {
  const actor = createActor(editorMachine, { input });
  actor.start();
  const output = await toPromise(actor);
  return { output, state: actor.getSnapshot().value };
}

const toolUse = (id: string, name: string, input: Record<string, unknown>) => ({
  type: 'tool_use' as const,
  id,
  name,
  input,
});
const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
const toolResults = (content: unknown): RecordedContentBlock[] =>
  Array.isArray(content) ? (content as RecordedContentBlock[]) : [];

describe('editorMachine', () => {
  it('views, greps, edits two files in one turn and ends with end_turn -> done', async () => {
    const { api: server, model } = await api([
      {
        content: [
          toolUse('toolu_grep', 'grep', { pattern: 'greet' }),
          toolUse('toolu_va', EDIT, { command: 'view', path: 'src/a.ts' }),
          toolUse('toolu_vb', EDIT, { command: 'view', path: 'src/b.ts' }),
        ],
      },
      {
        content: [
          toolUse('toolu_ea', EDIT, {
            command: 'str_replace',
            path: 'src/a.ts',
            old_str: 'export function greet(',
            new_str: 'export function salute(',
          }),
          toolUse('toolu_eb', EDIT, {
            command: 'str_replace',
            path: 'src/b.ts',
            old_str: "import { greet } from './a.js';\n\nexport const hi = greet('b');",
            new_str: "import { salute } from './a.js';\n\nexport const hi = salute('b');",
          }),
        ],
      },
      text('Renamed greet to salute in src/a.ts and src/b.ts.'),
    ]);
    const { input } = await setUp(model);
    const { output, state } = await run(input);

    expect(state).toBe('done');
    expect(output).toMatchObject({
      ok: true,
      stop: 'end_turn',
      turns: 3,
      summary: 'Renamed greet to salute in src/a.ts and src/b.ts.',
    });
    expect(output.files.sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(output.diff).toContain('+export function salute(name: string): string {');
    expect(output.diff).toContain("+export const hi = salute('b');");
    expect(output.usage.modelCalls).toBe(3);

    const requests = server.requests;
    expect(requests).toHaveLength(3);
    const first = requests[0]!.body;
    expect(first.tools?.map((t) => t.name)).toEqual([EDIT, 'glob', 'grep', 'bash']);
    expect(first.tools?.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(first.tools?.[0]?.cache_control).toBeUndefined();
    const system = first.system as RecordedContentBlock[];
    expect(system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(system[0]!.text).toContain('Rename the function greet to salute');
    expect(system[0]!.text).toContain('MEMORY-MARKER-42');

    // The second request answers the three reads, in call order, none an error.
    const results = toolResults(requests[1]!.body.messages.at(-1)!.content);
    expect(results.map((r) => [r.type, r.tool_use_id, r.is_error ?? false])).toEqual([
      ['tool_result', 'toolu_grep', false],
      ['tool_result', 'toolu_va', false],
      ['tool_result', 'toolu_vb', false],
    ]);
    expect(JSON.stringify(results[0]!.content)).toContain('src/b.ts');
    expect(JSON.stringify(results[1]!.content)).toContain('export function greet');
    const edits = toolResults(requests[2]!.body.messages.at(-1)!.content);
    expect(edits.map((r) => [r.tool_use_id, r.is_error ?? false])).toEqual([
      ['toolu_ea', false],
      ['toolu_eb', false],
    ]);

    // Reads of one turn overlap (the view starts before the grep's git process is done); writes run one after the other.
    const byId = new Map(output.toolCalls.map((c) => [c.id, c]));
    const grep = byId.get('toolu_grep')!;
    expect(byId.get('toolu_va')!.startedAt).toBeLessThan(grep.finishedAt);
    expect(byId.get('toolu_vb')!.startedAt).toBeLessThan(grep.finishedAt);
    expect(byId.get('toolu_ea')!.finishedAt).toBeLessThanOrEqual(byId.get('toolu_eb')!.startedAt);
  });

  it('stops at maxTurns', async () => {
    const { api: server, model } = await api((_req, i) => ({
      content: [toolUse(`t${i}`, EDIT, { command: 'view', path: i % 2 ? 'src/a.ts' : 'src/b.ts' })],
    }));
    const { output, state } = await run((await setUp(model, { maxTurns: 3 })).input);
    expect(state).toBe('maxTurns');
    expect(output).toMatchObject({ ok: false, stop: 'max_turns', turns: 3, diff: '' });
    expect(server.requests).toHaveLength(3);
  });

  it('stops at the token budget', async () => {
    const { model } = await api([
      {
        content: [toolUse('t0', EDIT, { command: 'view', path: 'src/a.ts' })],
        usage: { input_tokens: 900_000, output_tokens: 10 },
      },
    ]);
    const { output, state } = await run((await setUp(model, { maxTokens: 100_000 })).input);
    expect(state).toBe('tokenBudget');
    expect(output).toMatchObject({ ok: false, stop: 'token_budget', turns: 1 });
    expect(output.usage.inputTokens).toBe(900_000);
  });

  it('stops after N consecutive turns of failing tool calls', async () => {
    const { api: server, model } = await api((_req, i) => ({
      content: [toolUse(`t${i}`, EDIT, { command: 'view', path: `missing-${i}.ts` })],
    }));
    const { output, state } = await run((await setUp(model, { maxToolErrors: 3 })).input);
    expect(state).toBe('toolErrors');
    expect(output.stop).toBe('tool_errors');
    expect(output.toolCalls.map((c) => c.ok)).toEqual([false, false, false]);
    expect(server.requests).toHaveLength(3);
    expect(toolResults(server.requests[1]!.body.messages.at(-1)!.content)[0]!.is_error).toBe(true);
  });

  it('stops when the same call is repeated', async () => {
    const { api: server, model } = await api((_req, i) => ({
      content: [toolUse(`t${i}`, 'grep', { pattern: 'greet' })],
    }));
    const { output, state } = await run((await setUp(model, { maxRepeatedCalls: 3 })).input);
    expect(state).toBe('repeatedCall');
    expect(output.stop).toBe('repeated_call');
    expect(server.requests).toHaveLength(3);
  });

  it('does not count the same view between edits as a repeated call', async () => {
    const view = (i: number) => toolUse(`v${i}`, EDIT, { command: 'view', path: 'src/a.ts' });
    const { model } = await api([
      { content: [view(0)] },
      { content: [toolUse('e0', EDIT, { command: 'str_replace', path: 'src/a.ts', old_str: 'hello', new_str: 'hi' })] },
      { content: [view(1)] },
      { content: [toolUse('e1', EDIT, { command: 'str_replace', path: 'src/a.ts', old_str: 'hi ', new_str: 'hey ' })] },
      { content: [view(2)] },
      text('done'),
    ]);
    const { output } = await run((await setUp(model, { maxRepeatedCalls: 2 })).input);
    expect(output).toMatchObject({ ok: true, stop: 'end_turn' });
    expect(output.diff).toContain('+  return `hey ${name}`;');
  });

  it('is cancelled by CANCEL during a model call', async () => {
    const { api: server, model } = await api([{ content: [{ type: 'text', text: 'never' }], delayMs: 60_000 }]);
    const actor = createActor(editorMachine, { input: (await setUp(model)).input });
    actor.start();
    await server.waitForRequests(1);
    actor.send({ type: 'CANCEL' });
    const output = await toPromise(actor);
    expect(actor.getSnapshot().value).toBe('cancelled');
    expect(output).toMatchObject({ ok: false, stop: 'cancelled' });
  });

  it('stops at the deadline', async () => {
    const { model } = await api([{ content: [{ type: 'text', text: 'too late' }], delayMs: 60_000 }]);
    const { output, state } = await run((await setUp(model, { deadlineMs: 300 })).input);
    expect(state).toBe('deadline');
    expect(output).toMatchObject({ ok: false, stop: 'deadline' });
  });

  it('survives a 429 with retry-after and finishes', async () => {
    const { api: server, model } = await api([{ status: 429, retryAfterSeconds: 0 }, text('nothing to change')]);
    const { output, state } = await run((await setUp(model)).input);
    expect(state).toBe('done');
    expect(output).toMatchObject({ ok: true, stop: 'end_turn', diff: '' });
    expect(server.requests).toHaveLength(2);
  });

  it('ends in failed with model_error when a model call fails', async () => {
    const { model } = await api([{ status: 400, message: 'bad request' }]);
    const { output, state } = await run((await setUp(model)).input);
    expect(state).toBe('failed');
    expect(output).toMatchObject({ ok: false, stop: 'model_error', diff: '', turns: 0 });
    expect(output.error?.message).toContain('bad request');
  });

  it('fails with a helpful error when no model is configured', async () => {
    const { output, state } = await run((await setUp(undefined)).input);
    expect(state).toBe('failed');
    expect(output).toMatchObject({ ok: false, stop: 'model_error', error: { name: 'ModelNotConfiguredError' } });
    expect(output.error?.message).toContain('ANTHROPIC_API_KEY');
  });
});
