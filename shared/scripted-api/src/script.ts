/** A block the scripted assistant answers with: plain text or a client tool call. */
export type ScriptedContentBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: Record<string, unknown>; id?: string };

/** Stop reasons the scripted server can report (the Messages API's closed set, minus server-tool ones). */
export const ScriptedStopReason = {
  endTurn: 'end_turn',
  toolUse: 'tool_use',
  maxTokens: 'max_tokens',
  stopSequence: 'stop_sequence',
  refusal: 'refusal',
} as const;
/** A stop reason the scripted server can report. */
export type ScriptedStopReason = (typeof ScriptedStopReason)[keyof typeof ScriptedStopReason];

/** Token counts a turn reports, in the wire's own names; omitted counts are estimated or zero. */
export interface ScriptedUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** A successful assistant message, sent as JSON or as an SSE stream depending on the request's `stream`. */
export interface ScriptedResponse {
  content: ScriptedContentBlock[];
  /** Default: `tool_use` when the content holds a tool call, else `end_turn`. */
  stopReason?: ScriptedStopReason;
  usage?: ScriptedUsage;
  /** JSON: wait before answering. Streams: `message_start` and a `ping` go out at once, the content after this delay. */
  delayMs?: number;
}

/** Error types of the Messages API's error body `{ type: 'error', error: { type, message } }`. */
export const ScriptedErrorType = {
  invalidRequest: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  notFound: 'not_found_error',
  requestTooLarge: 'request_too_large',
  rateLimit: 'rate_limit_error',
  api: 'api_error',
  overloaded: 'overloaded_error',
} as const;
/** An error type of the Messages API. */
export type ScriptedErrorType = (typeof ScriptedErrorType)[keyof typeof ScriptedErrorType];

/** An error answer: an HTTP error status with Anthropic's error JSON (or, with `inStream`, an SSE `error` event). */
export interface ScriptedError {
  status: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 502 | 503 | 529;
  /** Sent as the `retry-after` header (seconds). */
  retryAfterSeconds?: number;
  /** Default: the type the real API uses for `status`. */
  errorType?: ScriptedErrorType;
  message?: string;
  /** On a streaming request, answer 200 and fail mid-stream with an `event: error` (as the real API does when overloaded). */
  inStream?: boolean;
  delayMs?: number;
}

/** One scripted answer. */
export type ScriptTurn = ScriptedResponse | ScriptedError;

/** A request as the server recorded it: the parsed JSON body and lower-cased headers. */
export interface ScriptedRequest {
  /** 0-based arrival order. */
  index: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  body: RecordedMessagesBody;
}

/** The fields of a Messages API request body that tests read; anything else is kept as sent. */
export interface RecordedMessagesBody {
  model: string;
  max_tokens: number;
  messages: RecordedMessage[];
  system?: string | RecordedContentBlock[];
  tools?: RecordedContentBlock[];
  tool_choice?: Record<string, unknown>;
  stream?: boolean;
  [key: string]: unknown;
}

/** A message of a recorded request. */
export interface RecordedMessage {
  role: string;
  content: string | RecordedContentBlock[];
}

/** A content block, tool definition or system block of a recorded request, as sent. */
export interface RecordedContentBlock {
  type?: string;
  text?: string;
  name?: string;
  cache_control?: { type: string; ttl?: string };
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  [key: string]: unknown;
}

/** Answers request `index` (0-based); `undefined` means the script is exhausted. */
export type ScriptFunction = (
  request: ScriptedRequest,
  index: number,
) => ScriptTurn | undefined | Promise<ScriptTurn | undefined>;

/** A script: turns consumed in order, or a function choosing each answer. */
export type Script = readonly ScriptTurn[] | ScriptFunction;

/** Whether a turn is an error answer. */
export function isScriptedError(turn: ScriptTurn): turn is ScriptedError {
  return 'status' in turn;
}
