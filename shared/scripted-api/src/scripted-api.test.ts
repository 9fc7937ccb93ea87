import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ScriptedApiClosedError } from './errors.js';
import { startScriptedApi } from './scripted-api.js';
import type { ScriptTurn } from './script.js';

const params = {
  model: 'claude-sonnet-5-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'rename purry' }],
};

function sdk(url: string): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: url, maxRetries: 0 });
}

async function rawStream(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, stream: true }),
  });
  return res.text();
}

const toolTurn: ScriptTurn = {
  content: [
    { type: 'text', text: 'Let me look at the file first.' },
    { type: 'tool_use', name: 'read_file', input: { path: 'src/purry.ts', range: [1, 40] } },
  ],
  usage: { input_tokens: 120, output_tokens: 30, cache_creation_input_tokens: 100, cache_read_input_tokens: 7 },
};

describe('startScriptedApi', () => {
  it('answers messages.create with a JSON message and records the request', async () => {
    await using api = await startScriptedApi([toolTurn]);
    const message = await sdk(api.url).messages.create({ ...params, system: 'be brief' });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Let me look at the file first.' });
    expect(message.content[1]).toMatchObject({
      type: 'tool_use',
      name: 'read_file',
      input: { path: 'src/purry.ts', range: [1, 40] },
    });
    expect((message.content[1] as { id: string }).id).toMatch(/^toolu_/);
    expect(message.usage).toMatchObject({
      input_tokens: 120,
      output_tokens: 30,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 7,
    });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.body.system).toBe('be brief');
    expect(api.requests[0]!.headers.authorization ?? api.requests[0]!.headers['x-api-key']).toContain('test-key');
  });

  it('streams text and tool input that messages.stream reassembles', async () => {
    await using api = await startScriptedApi([toolTurn]);
    const stream = sdk(api.url).messages.stream(params);
    const texts: string[] = [];
    const partials: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    stream.on('inputJson', (partial) => partials.push(partial));
    const message = await stream.finalMessage();
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe('Let me look at the file first.');
    expect(partials.length).toBeGreaterThan(1);
    expect(message.content[1]).toMatchObject({ type: 'tool_use', input: { path: 'src/purry.ts', range: [1, 40] } });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({
      input_tokens: 120,
      output_tokens: 30,
      cache_creation_input_tokens: 100,
      cache_read_input_tokens: 7,
    });
    expect(api.requests[0]!.body.stream).toBe(true);
  });

  it('speaks the SSE event sequence of the Messages API', async () => {
    await using api = await startScriptedApi([{ content: [{ type: 'text', text: 'done' }], stopReason: 'max_tokens' }]);
    const body = await rawStream(api.url);
    const events = [...body.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events).toContain('ping');
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(body).toContain('"stop_reason":"max_tokens"');
    expect(body).toContain('"type":"text_delta"');
  });

  it('answers a scripted error with the error shape and retry-after', async () => {
    await using api = await startScriptedApi([{ status: 429, retryAfterSeconds: 3, message: 'slow down' }]);
    const err = await sdk(api.url)
      .messages.create(params)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const apiErr = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(apiErr.status).toBe(429);
    expect(apiErr.type).toBe('rate_limit_error');
    expect(apiErr.apiMessage).toBe('slow down');
    expect(apiErr.headers.get('retry-after')).toBe('3');
  });

  it('can fail a stream midway with an overloaded error event', async () => {
    await using api = await startScriptedApi([{ status: 529, inStream: true }]);
    const err = await sdk(api.url)
      .messages.stream(params)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
  });

  it('answers 500 with a clear message when the script runs out', async () => {
    await using api = await startScriptedApi([{ content: [{ type: 'text', text: 'one' }] }]);
    const client = sdk(api.url);
    await client.messages.create(params);
    const err = await client.messages.create(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect((err as Error).message).toContain('scripted-api: script exhausted after 1 turns');
  });

  it('asks a script function for each turn with the recorded request', async () => {
    await using api = await startScriptedApi((request, index) =>
      index < 2
        ? { content: [{ type: 'text', text: `turn ${index}: ${request.body.messages.length} messages` }] }
        : undefined,
    );
    const client = sdk(api.url);
    const first = await client.messages.create(params);
    expect(first.content[0]).toMatchObject({ text: 'turn 0: 1 messages' });
    await client.messages.create({
      ...params,
      messages: [...params.messages, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'go' }],
    });
    expect((await api.waitForRequests(2)).length).toBe(2);
    const third = await client.messages.create(params).catch((e: unknown) => e);
    expect((third as Error).message).toContain('script exhausted after 2 turns');
  });

  it('rejects pending waiters when it closes', async () => {
    const api = await startScriptedApi([]);
    const waiting = api.waitForRequests(1);
    await api.close();
    await expect(waiting).rejects.toBeInstanceOf(ScriptedApiClosedError);
  });

  it('rejects a malformed request with invalid_request_error', async () => {
    await using api = await startScriptedApi([]);
    const res = await fetch(`${api.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ model: 'm' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(api.requests).toHaveLength(0);
  });
});
