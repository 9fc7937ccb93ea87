import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScriptedApiClosedError } from './errors.js';
import { parseMessagesBody } from './request-body.js';
import { isScriptedError, type Script, type ScriptTurn, type ScriptedError, type ScriptedRequest } from './script.js';
import { contentEvents, formatSse, openingEvents } from './sse-events.js';
import { wireError, wireMessage } from './wire-message.js';

/** Options of startScriptedApi. */
export interface ScriptedApiOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: a free port chosen by the OS. */
  port?: number;
}

/** A running scripted Messages API server. */
export interface ScriptedApi {
  /** Base URL to hand to the SDK as `baseURL`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every `POST /v1/messages` received so far, in arrival order (live array). */
  readonly requests: readonly ScriptedRequest[];
  /** Resolves with the recorded requests once at least `n` have arrived; rejects if the server closes first. */
  waitForRequests(n: number): Promise<readonly ScriptedRequest[]>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Waiter {
  n: number;
  resolve: (requests: readonly ScriptedRequest[]) => void;
  reject: (err: Error) => void;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Resolves after `ms`, or early (false) when `signal` aborts: a disconnected client stops its scripted wait. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0 || signal.aborted) return Promise.resolve(!signal.aborted);
  return new Promise((resolve) => {
    const done = (completed: boolean): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: ScriptedError, requestId: string): void {
  const headers: Record<string, string> = { 'request-id': requestId };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  sendJson(res, error.status, wireError(error), headers);
}

/**
 * Starts a real HTTP server on loopback that answers `POST /v1/messages` from `script`,
 * in the Messages API wire format (JSON, or SSE when the request sets `stream: true`).
 * @example
 * await using api = await startScriptedApi([{ content: [{ type: 'text', text: 'hi' }] }]);
 * const client = new Anthropic({ apiKey: 'test', baseURL: api.url, maxRetries: 0 });
 */
export async function startScriptedApi(script: Script, options: ScriptedApiOptions = {}): Promise<ScriptedApi> {
  const requests: ScriptedRequest[] = [];
  let waiters: Waiter[] = [];
  const closing = new AbortController();
  let closed: Promise<void> | undefined;

  const nextTurn = async (request: ScriptedRequest): Promise<ScriptTurn | ScriptedError> => {
    const exhausted = (turns: number): ScriptedError => ({
      status: 500,
      errorType: 'api_error',
      message: `scripted-api: script exhausted after ${turns} turns`,
    });
    if (typeof script !== 'function') return script[request.index] ?? exhausted(script.length);
    try {
      return (await script(request, request.index)) ?? exhausted(request.index);
    } catch (err) {
      return {
        status: 500,
        errorType: 'api_error',
        message: `scripted-api: script function threw on request ${request.index}: ${String(err)}`,
      };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method !== 'POST' || path !== '/v1/messages') {
      sendJson(res, 404, {
        type: 'error',
        error: { type: 'not_found_error', message: `scripted-api: no route ${req.method} ${path}` },
      });
      return;
    }
    const parsed = parseMessagesBody(await readBody(req));
    if (!parsed.ok) {
      sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: parsed.message } });
      return;
    }
    const request: ScriptedRequest = {
      index: requests.length,
      method: req.method,
      path,
      headers: headerRecord(req),
      body: parsed.body,
    };
    requests.push(request);
    waiters = waiters.filter((w) => (requests.length >= w.n ? (w.resolve(requests), false) : true));

    // Abort scripted waits when the client goes away or the server closes.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    const signal = AbortSignal.any([gone.signal, closing.signal]);

    const turn = await nextTurn(request);
    const requestId = `req_scripted${String(request.index).padStart(4, '0')}`;
    const streaming = parsed.body.stream === true;
    const base = {
      turnIndex: request.index,
      model: parsed.body.model,
      requestChars: JSON.stringify(parsed.body).length,
    };
    if (isScriptedError(turn) && !(turn.inStream === true && streaming)) {
      if (await pause(turn.delayMs ?? 0, signal)) sendError(res, turn, requestId);
      return;
    }
    const message = wireMessage({ ...base, turn: isScriptedError(turn) ? { content: [] } : turn });
    if (!streaming) {
      if (await pause(turn.delayMs ?? 0, signal)) sendJson(res, 200, message, { 'request-id': requestId });
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'request-id': requestId,
    });
    for (const e of openingEvents(message)) res.write(formatSse(e));
    if (!(await pause(turn.delayMs ?? 0, signal))) return;
    const rest = isScriptedError(turn) ? [{ event: 'error', data: wireError(turn) }] : contentEvents(message);
    for (const e of rest) res.write(formatSse(e));
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Report the server's own failure to the client instead of hanging the request.
      if (!res.headersSent)
        sendJson(res, 500, { type: 'error', error: { type: 'api_error', message: `scripted-api: ${String(err)}` } });
      else res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve, reject) => {
      closing.abort();
      for (const w of waiters) w.reject(new ScriptedApiClosedError(w.n, requests.length));
      waiters = [];
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    url: `http://${host}:${port}`,
    requests,
    waitForRequests(n: number): Promise<readonly ScriptedRequest[]> {
      if (requests.length >= n) return Promise.resolve(requests);
      if (closed) return Promise.reject(new ScriptedApiClosedError(n, requests.length));
      return new Promise((resolve, reject) => waiters.push({ n, resolve, reject }));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
