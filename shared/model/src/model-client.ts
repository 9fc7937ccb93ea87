import { setTimeout as sleep } from 'node:timers/promises';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import { silentLogger, type Logger } from '@baton/log';
import {
  ModelAbortedError,
  ModelNotConfiguredError,
  ModelOverloadedError,
  ModelRequestError,
  ModelStreamStalledError,
} from './errors.js';
import { parseModelConfig, type ModelConfig } from './model-config.js';
import { messageParams, type ModelRequest, type ModelResponse } from './model-request.js';
import { usageOf } from './pricing.js';
import { backoffDelayMs, classifyFailure } from './retry-policy.js';

/** What a retry is about to do: the coming attempt (2 = first retry), how long we wait first, and why. */
export interface RetryInfo {
  attempt: number;
  delayMs: number;
  /** Status of the failed attempt; 0 for connection errors and timeouts. */
  status: number;
}

/** Per-call hooks and cancellation. */
export interface ModelCallOptions {
  /** Aborting rejects the call with ModelAbortedError, mid-stream or mid-backoff; it is never retried. */
  signal?: AbortSignal;
  /** Streamed text as it arrives; a retried call streams again from the start (onRetry marks the restart). */
  onText?: (delta: string) => void;
  onRetry?: (info: RetryInfo) => void;
}

/** Calls the model: one streamed Messages API call with Baton's retries, caching and usage accounting. */
export interface ModelClient {
  readonly config: ModelConfig;
  /** Streams one call and resolves with its final message; see ModelCallOptions for cancellation. */
  call(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse>;
}

/** Dependencies of createModelClient. */
export interface ModelClientDeps {
  logger?: Logger;
}

// Compatible servers (the scripted API) ignore the key, but the SDK insists on one.
const PLACEHOLDER_API_KEY = 'baton-placeholder-key';
const DEFAULT_RETRY_BASE_MS = 1000;
const DEFAULT_RETRY_MAX_DELAY_MS = 60_000;

/**
 * One streamed attempt. The SDK's timeout only covers the wait for response headers, so a watchdog aborts
 * a stream that then goes silent for `idleMs` (reset by every stream event).
 */
async function attempt(
  sdk: Anthropic,
  params: MessageCreateParamsBase,
  options: ModelCallOptions,
  idleMs: number,
): Promise<ModelResponse> {
  const idle = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, idle.signal]) : idle.signal;
  const watchdog = setTimeout(() => idle.abort(), idleMs);
  try {
    const stream = sdk.messages.stream(params, { signal });
    const { onText } = options;
    stream.on('streamEvent', () => watchdog.refresh());
    if (onText) stream.on('text', (delta) => onText(delta));
    const message = await stream.finalMessage();
    const model = message.model || params.model;
    return {
      id: message.id,
      model,
      content: message.content,
      stopReason: message.stop_reason,
      usage: usageOf(model, message.usage),
    };
  } catch (err) {
    if (idle.signal.aborted && options.signal?.aborted !== true) throw new ModelStreamStalledError(idleMs);
    throw err;
  } finally {
    clearTimeout(watchdog);
  }
}

/**
 * Creates a model client. Never throws for a missing API key: `call` rejects with ModelNotConfiguredError
 * instead, so runs that never call the model need no key. The SDK's own retries are off; ours are the only ones.
 * @example
 * const model = createModelClient(modelConfigFromEnv(), { logger });
 * const res = await model.call({ system, tools, messages }, { signal, onText: (d) => process.stdout.write(d) });
 */
export function createModelClient(config: ModelConfig, deps: ModelClientDeps = {}): ModelClient {
  const checked = parseModelConfig(config);
  const logger = deps.logger ?? silentLogger();
  const retryBaseMs = checked.retryBaseMs ?? DEFAULT_RETRY_BASE_MS;
  const retryMaxDelayMs = checked.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS;
  let sdk: Anthropic | undefined;

  const client = (): Anthropic => {
    if (checked.apiKey === undefined && checked.baseURL === undefined) throw new ModelNotConfiguredError();
    // Explicit key and base URL: the SDK must not pick up other credentials or hosts from the environment.
    sdk ??= new Anthropic({
      apiKey: checked.apiKey ?? PLACEHOLDER_API_KEY,
      baseURL: checked.baseURL ?? 'https://api.anthropic.com',
      maxRetries: 0,
      timeout: checked.timeoutMs,
    });
    return sdk;
  };

  const call = async (request: ModelRequest, options: ModelCallOptions = {}): Promise<ModelResponse> => {
    const sdkClient = client();
    const params = messageParams(checked.model, checked.maxTokens, request);
    const { signal } = options;
    for (let n = 1; ; n++) {
      if (signal?.aborted === true) throw new ModelAbortedError({ cause: signal.reason });
      try {
        return await attempt(sdkClient, params, options, checked.timeoutMs);
      } catch (err) {
        const failure = classifyFailure(err, signal);
        if (failure.kind === 'aborted') throw new ModelAbortedError({ cause: err });
        const { status, type, overload, retryAfterMs } = failure;
        // A retry-after beyond what we wait out ourselves goes to the coordinator's shared back-off.
        const tooLong = retryAfterMs !== undefined && retryAfterMs > retryMaxDelayMs;
        if (failure.kind === 'retryable' && n <= checked.maxRetries && !tooLong) {
          const delayMs = retryAfterMs ?? backoffDelayMs(n - 1, retryBaseMs, retryMaxDelayMs);
          logger.warn({ attempt: n, status, type, delayMs, model: params.model }, 'model call failed; retrying');
          options.onRetry?.({ attempt: n + 1, delayMs, status });
          await sleep(delayMs, undefined, signal ? { signal } : {}).catch((e: unknown) => {
            throw new ModelAbortedError({ cause: e });
          });
          continue;
        }
        if (overload) throw new ModelOverloadedError(status === 0 ? 529 : status, retryAfterMs, n, { cause: err });
        const message = err instanceof Error ? err.message : String(err);
        throw new ModelRequestError(`model call failed: ${message}`, status, type, failure.kind === 'retryable', {
          cause: err,
        });
      }
    }
  };

  return { config: checked, call };
}
