import { WireErrorName } from '@baton/protocol';
/** How to give Baton a model: the text every ModelNotConfiguredError carries. */
export const MODEL_SETUP_HINT =
  'Set ANTHROPIC_API_KEY to call the Anthropic API, or ANTHROPIC_BASE_URL to use a compatible server (e.g. the scripted API in tests).';

/**
 * Work that needs a model ran with neither an API key nor a base URL configured (a model call, a task planned in
 * words, an editor subtask); `neededBy` says what needed it, and the message says how to configure one.
 */
export class ModelNotConfiguredError extends Error {
  override readonly name = 'ModelNotConfiguredError';
  constructor(
    readonly neededBy?: string,
    options?: ErrorOptions,
  ) {
    super(
      `${neededBy === undefined ? 'No model' : `${neededBy} needs a model, and none`} is configured. ${MODEL_SETUP_HINT}`,
      options,
    );
  }
}

/** A model call stopped because its AbortSignal fired; it is never retried. */
export class ModelAbortedError extends Error {
  override readonly name = 'ModelAbortedError';
  constructor(options?: { cause?: unknown }) {
    super('model call aborted', options);
  }
}

/** A model call failed with an error that is not (or is no longer) worth retrying here. */
export class ModelRequestError extends Error {
  override readonly name = 'ModelRequestError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the request never got one (connection failure, timeout, mid-stream error without status). */
    readonly status: number,
    /** Anthropic error type (`invalid_request_error`, `api_error`, …) or `connection_error`; null when unknown. */
    readonly type: string | null,
    /** Whether the failure was transient (retries ran out) rather than a request the API will always refuse. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Retries ran out on 429 or 529 (or a retry-after beyond our cap): the coordinator should back off all callers. */
export class ModelOverloadedError extends Error {
  override readonly name = WireErrorName.modelOverloaded;
  constructor(
    /** 429 (rate limited) or 529 (overloaded). */
    readonly status: number,
    /** The server's last `retry-after`, in ms, when it sent one. */
    readonly retryAfterMs: number | undefined,
    /** Attempts made, the first included. */
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `model API ${status === 429 ? 'rate limited' : 'overloaded'} (${status}) after ${attempts} attempt(s)` +
        (retryAfterMs === undefined ? '' : `; server asks to retry after ${retryAfterMs} ms`),
      options,
    );
  }
}

/** The model configuration is invalid; `variable` names the environment variable or option at fault. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

/** A streamed response went silent for longer than the configured timeout; the attempt is retried like a timeout. */
export class ModelStreamStalledError extends Error {
  override readonly name = 'ModelStreamStalledError';
  constructor(readonly idleMs: number) {
    super(`model stream sent nothing for ${idleMs} ms`);
  }
}
