import type { Usage } from '@baton/protocol';
import type {
  CacheControlEphemeral,
  ContentBlock,
  MessageCreateParamsBase,
  MessageParam,
  StopReason,
  TextBlockParam,
  Tool,
  ToolChoice,
} from '@anthropic-ai/sdk/resources/messages';

/** A client tool the model may call: name, what it does, and its input as JSON Schema. */
export interface ToolSpec {
  name: string;
  description: string;
  input_schema: Tool.InputSchema;
}

/** One model call: system prompt, tools, conversation so far. */
export interface ModelRequest {
  system: string;
  tools: readonly ToolSpec[];
  messages: readonly MessageParam[];
  /** Default: the config's maxTokens. */
  maxTokens?: number;
  toolChoice?: ToolChoice;
}

/** The final assistant message of a call. */
export interface ModelResponse {
  /** Message id from the API (`msg_…`). */
  id: string;
  /** The model that answered. */
  model: string;
  content: ContentBlock[];
  stopReason: StopReason | null;
  /** This call's tokens and cost (`modelCalls: 1`). */
  usage: Usage;
}

const ephemeral: CacheControlEphemeral = { type: 'ephemeral' };

/**
 * Builds the Messages API body for a request. Prompt caching: the system block and the LAST tool carry
 * `cache_control: ephemeral`, so the tools + system prefix is cached across the turns of an agent loop.
 */
export function messageParams(model: string, defaultMaxTokens: number, request: ModelRequest): MessageCreateParamsBase {
  const system: TextBlockParam[] | undefined =
    request.system === '' ? undefined : [{ type: 'text', text: request.system, cache_control: ephemeral }];
  const last = request.tools.length - 1;
  const tools: Tool[] = request.tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: t.input_schema,
    ...(i === last ? { cache_control: ephemeral } : {}),
  }));
  return {
    model,
    max_tokens: request.maxTokens ?? defaultMaxTokens,
    messages: [...request.messages],
    ...(system ? { system } : {}),
    ...(tools.length > 0 ? { tools } : {}),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
  };
}
