import type { ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';

/**
 * A `tool_result` block answering the tool call `toolUseId`; failures are results with `is_error`, not exceptions.
 * @example messages.push({ role: 'user', content: [toolResult(block.id, 'no such file', true)] });
 */
export function toolResult(toolUseId: string, content: string, isError = false): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: toolUseId, content, ...(isError ? { is_error: true } : {}) };
}
