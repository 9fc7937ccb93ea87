import { startScriptedApi, type Script } from '@baton/scripted-api';
import { describe, expect, it } from 'vitest';
import { ModelAbortedError, ModelNotConfiguredError, ModelOverloadedError, ModelRequestError } from './errors.js';
import { createModelClient, type RetryInfo } from './model-client.js';
import type { ModelConfig } from './model-config.js';
import type { ModelRequest, ToolSpec } from './model-request.js';
import { toolResult } from './tool-result.js';

const tools: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a file',
    input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
  {
    name: 'write_file',
    description: 'Write a file',
    input_schema: { type: 'object', properties: { path: { type: 'string' }, text: { type: 'string' } } },
  },
];

const request: ModelRequest = {
  system: 'You are the editor agent.',
  tools,
  messages: [{ role: 'user', content: 'Rename purry to curryDataFirst in src/purry.ts' }],
};

const done: Script = [{ content: [{ type: 'text', text: 'All done.' }] }];

async function scripted(script: Script, overrides: Partial<ModelConfig> = {}) {
  const api = await startScriptedApi(script);
  const config: ModelConfig = {
    baseURL: api.url,
    model: 'claude-sonnet-5-5',
    maxTokens: 1024,
    maxRetries: 3,
    timeoutMs: 10_000,
    retryBaseMs: 1,
    ...overrides,
  };
  return { api, model: createModelClient(config), [Symbol.asyncDispose]: () => api.close() };
}

describe('createModelClient against the scripted Messages API', () => {
  it('round-trips a tool_use turn and sends the tool_result back', async () => {
    const input = { path: 'src/purry.ts', note: 'a "quoted" value with {braces}', lines: [1, 2, 3] };
    await using s = await scripted([{ content: [{ type: 'tool_use', name: 'read_file', input }] }, ...done]);
    const first = await s.model.call(request);
    expect(first.stopReason).toBe('tool_use');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(call).toMatchObject({ type: 'tool_use', name: 'read_file', input });
    expect(call!.id).toMatch(/^toolu_/);

    const second = await s.model.call({
      ...request,
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [toolResult(call!.id, 'no such file', true)] },
      ],
    });
    expect(second.stopReason).toBe('end_turn');
    const sent = s.api.requests[1]!.body.messages.at(-1)!.content;
    expect(sent).toEqual([{ type: 'tool_result', tool_use_id: call!.id, content: 'no such file', is_error: true }]);
  });

  it('streams text through onText', async () => {
    await using s = await scripted([{ content: [{ type: 'text', text: 'I will rename it in three files now.' }] }]);
    const deltas: string[] = [];
    const res = await s.model.call(request, { onText: (d) => deltas.push(d) });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('I will rename it in three files now.');
    expect(res.content).toMatchObject([{ type: 'text', text: 'I will rename it in three files now.' }]);
  });

  it('reports usage and its cost', async () => {
    const usage = {
      input_tokens: 1000,
      output_tokens: 500,
      cache_creation_input_tokens: 2000,
      cache_read_input_tokens: 3000,
    };
    await using s = await scripted([{ content: [{ type: 'text', text: 'ok' }], usage }]);
    const res = await s.model.call(request);
    expect(res.usage).toMatchObject({
      inputTokens: 1000,
      outputTokens: 500,
      cacheWriteTokens: 2000,
      cacheReadTokens: 3000,
      modelCalls: 1,
    });
    // sonnet: $3 in, $15 out, cache write 1.25x in, cache read 0.1x in (per MTok)
    expect(res.usage.costUsd).toBeCloseTo((1000 * 3 + 2000 * 3.75 + 3000 * 0.3 + 500 * 15) / 1e6, 10);
  });

  it('marks the system prompt and the last tool for prompt caching', async () => {
    await using s = await scripted(done);
    await s.model.call({ ...request, maxTokens: 77, toolChoice: { type: 'auto' } });
    const body = s.api.requests[0]!.body;
    expect(body.system).toEqual([
      { type: 'text', text: 'You are the editor agent.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.tools!.map((t) => t.cache_control)).toEqual([undefined, { type: 'ephemeral' }]);
    expect(body.max_tokens).toBe(77);
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(body.stream).toBe(true);
  });

  it('waits out a 429 retry-after and succeeds', async () => {
    await using s = await scripted([{ status: 429, retryAfterSeconds: 1 }, ...done]);
    const retries: RetryInfo[] = [];
    const res = await s.model.call(request, { onRetry: (r) => retries.push(r) });
    expect(res.content).toMatchObject([{ type: 'text', text: 'All done.' }]);
    expect(s.api.requests).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 2, delayMs: 1000, status: 429 }]);
  });

  it('retries 529 overloaded, before and during the stream', async () => {
    await using s = await scripted([{ status: 529 }, { status: 529, inStream: true }, ...done]);
    const statuses: number[] = [];
    const res = await s.model.call(request, { onRetry: (r) => statuses.push(r.status) });
    expect(res.stopReason).toBe('end_turn');
    expect(statuses).toEqual([529, 529]);
    expect(s.api.requests).toHaveLength(3);
  });

  it('gives up with ModelOverloadedError when retries run out', async () => {
    await using s = await scripted([{ status: 529 }, { status: 529 }, { status: 529, retryAfterSeconds: 0 }], {
      maxRetries: 2,
    });
    const err = await s.model.call(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelOverloadedError);
    expect(err).toMatchObject({ name: 'ModelOverloadedError', status: 529, attempts: 3, retryAfterMs: 0 });
    expect(s.api.requests).toHaveLength(3);
  });

  it('hands a retry-after beyond its cap to the caller at once', async () => {
    await using s = await scripted([{ status: 429, retryAfterSeconds: 120 }], { retryMaxDelayMs: 5000 });
    const err = await s.model.call(request).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ModelOverloadedError', status: 429, retryAfterMs: 120_000, attempts: 1 });
  });

  it('does not retry a 400', async () => {
    await using s = await scripted([{ status: 400, message: 'tools.0: bad schema' }, ...done]);
    const err = await s.model.call(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelRequestError);
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error', retryable: false });
    expect((err as Error).message).toContain('tools.0: bad schema');
    expect(s.api.requests).toHaveLength(1);
  });

  it('rejects with ModelAbortedError when aborted mid-stream, without retrying', async () => {
    await using s = await scripted([{ content: [{ type: 'text', text: 'slow' }], delayMs: 30_000 }, ...done]);
    const controller = new AbortController();
    const pending = s.model.call(request, { signal: controller.signal });
    await s.api.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(ModelAbortedError);
    expect(s.api.requests).toHaveLength(1);
  });

  it('rejects with ModelAbortedError when aborted during a backoff', async () => {
    await using s = await scripted([{ status: 529, retryAfterSeconds: 30 }, ...done], { retryMaxDelayMs: 60_000 });
    const controller = new AbortController();
    const pending = s.model.call(request, { signal: controller.signal, onRetry: () => controller.abort() });
    await expect(pending).rejects.toBeInstanceOf(ModelAbortedError);
    expect(s.api.requests).toHaveLength(1);
  });

  it('retries a stream that goes silent past the timeout', async () => {
    await using s = await scripted([{ content: [{ type: 'text', text: 'stuck' }], delayMs: 30_000 }, ...done], {
      timeoutMs: 1000,
    });
    const retries: RetryInfo[] = [];
    const res = await s.model.call(request, { onRetry: (r) => retries.push(r) });
    expect(res.content).toMatchObject([{ type: 'text', text: 'All done.' }]);
    expect(retries.map((r) => r.status)).toEqual([0]);
    expect(s.api.requests).toHaveLength(2);
  });

  it('fails at call time, not construction, when nothing is configured', async () => {
    const model = createModelClient({ model: 'claude-sonnet-5-5', maxTokens: 1024, maxRetries: 2, timeoutMs: 1000 });
    const err = await model.call(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelNotConfiguredError);
    expect((err as Error).message).toMatch(/ANTHROPIC_API_KEY.*ANTHROPIC_BASE_URL/);
  });
});
