import type {
  ScriptedContentBlock,
  ScriptedResponse,
  ScriptedStopReason,
  ScriptedErrorType,
  ScriptedError,
} from './script.js';

/** A content block in the Messages API's response shape. */
export type WireContentBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** Usage in the Messages API's response shape. */
interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  service_tier: 'standard';
}

/** A complete assistant message as `POST /v1/messages` returns it. */
export interface WireMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: WireContentBlock[];
  stop_reason: ScriptedStopReason | null;
  stop_sequence: string | null;
  usage: WireUsage;
}

/** What the wire message is built from: the turn, the request it answers, and its position. */
export interface WireMessageInput {
  turn: ScriptedResponse;
  turnIndex: number;
  model: string;
  /** Size of the request body, used to estimate input tokens when the turn gives none. */
  requestChars: number;
}

function toolUseId(turnIndex: number, blockIndex: number): string {
  return `toolu_scripted${String(turnIndex).padStart(4, '0')}b${blockIndex}`;
}

function wireBlock(block: ScriptedContentBlock, turnIndex: number, blockIndex: number): WireContentBlock {
  if (block.type === 'text') return { type: 'text', text: block.text };
  return { type: 'tool_use', id: block.id ?? toolUseId(turnIndex, blockIndex), name: block.name, input: block.input };
}

function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

/** Builds the full message a scripted turn answers with; ids are deterministic so recorded demos replay identically. */
export function wireMessage(input: WireMessageInput): WireMessage {
  const { turn, turnIndex } = input;
  const content = turn.content.map((block, i) => wireBlock(block, turnIndex, i));
  const hasToolUse = content.some((block) => block.type === 'tool_use');
  const outputChars = content.reduce(
    (n, b) => n + (b.type === 'text' ? b.text.length : JSON.stringify(b.input).length),
    0,
  );
  const cacheWrite = turn.usage?.cache_creation_input_tokens ?? 0;
  return {
    id: `msg_scripted${String(turnIndex).padStart(4, '0')}`,
    type: 'message',
    role: 'assistant',
    model: input.model,
    content,
    stop_reason: turn.stopReason ?? (hasToolUse ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage: {
      input_tokens: turn.usage?.input_tokens ?? estimateTokens(input.requestChars),
      output_tokens: turn.usage?.output_tokens ?? estimateTokens(outputChars),
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: turn.usage?.cache_read_input_tokens ?? 0,
      cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
      service_tier: 'standard',
    },
  };
}

const defaultErrorTypes: Readonly<Record<ScriptedError['status'], ScriptedErrorType>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

/** Anthropic's error body `{ type: 'error', error: { type, message } }` for a scripted error. */
export function wireError(error: ScriptedError): {
  type: 'error';
  error: { type: ScriptedErrorType; message: string };
} {
  const type = error.errorType ?? defaultErrorTypes[error.status];
  return { type: 'error', error: { type, message: error.message ?? `scripted ${type} (${error.status})` } };
}
