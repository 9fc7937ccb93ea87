import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { ModelStreamStalledError } from './errors.js';

/** What a failed attempt means for the retry loop. */
export type AttemptFailure =
  | { kind: 'aborted' }
  | {
      kind: 'retryable' | 'fatal';
      /** HTTP status; 0 when there was none (connection failure, timeout, mid-stream error of unknown type). */
      status: number;
      type: string | null;
      /** Rate limited (429) or overloaded (529): the kinds a shared back-off helps. */
      overload: boolean;
      retryAfterMs: number | undefined;
    };

// Mid-stream `event: error` arrives with HTTP 200 already sent: recover the status its type stands for.
const statusOfType: Readonly<Record<string, number>> = { overloaded_error: 529, rate_limit_error: 429, api_error: 500 };

/** Reads `retry-after-ms`, else `retry-after` (seconds, or an HTTP date), as a delay in ms. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (raw == null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: a uniform delay in [0, min(maxMs, baseMs * 2^retry)). */
export function backoffDelayMs(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** retry));
}

// instanceof alone narrows to APIError<any, any>; the predicate pins the declared defaults.
function isApiError(err: unknown): err is APIError {
  return err instanceof APIError;
}

/** Classifies an error from one SDK attempt: aborted, worth retrying (429, 529, 5xx, 408, connection, timeout, stalled stream), or fatal. */
export function classifyFailure(err: unknown, signal: AbortSignal | undefined): AttemptFailure {
  if (signal?.aborted === true || err instanceof APIUserAbortError) return { kind: 'aborted' };
  if (err instanceof ModelStreamStalledError)
    return { kind: 'retryable', status: 0, type: 'timeout_error', overload: false, retryAfterMs: undefined };
  if (err instanceof APIConnectionError) {
    const type = err instanceof APIConnectionTimeoutError ? 'timeout_error' : 'connection_error';
    return { kind: 'retryable', status: 0, type, overload: false, retryAfterMs: undefined };
  }
  if (!isApiError(err)) return { kind: 'fatal', status: 0, type: null, overload: false, retryAfterMs: undefined };
  const type = err.type ?? null;
  const status = err.status ?? (type !== null ? statusOfType[type] : undefined) ?? 0;
  const overload = status === 429 || status === 529 || type === 'overloaded_error' || type === 'rate_limit_error';
  const retryable = overload || status === 408 || status >= 500;
  return { kind: retryable ? 'retryable' : 'fatal', status, type, overload, retryAfterMs: retryAfterMs(err.headers) };
}
