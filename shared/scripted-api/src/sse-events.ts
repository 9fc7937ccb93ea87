import type { WireContentBlock, WireMessage } from './wire-message.js';

/** One server-sent event: its `event:` name and JSON `data:`. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Formats an event the way the Messages API does: `event: <name>\ndata: <json>\n\n`. */
export function formatSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

/** Splits `text` into `parts` roughly equal, non-empty pieces (fewer when it is short). */
function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) return [];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** The `message_start` and first `ping` events: the message with empty content and no stop reason yet. */
export function openingEvents(message: WireMessage): SseEvent[] {
  const { usage } = message;
  return [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
}

function blockEvents(block: WireContentBlock, index: number): SseEvent[] {
  const deltas: SseEvent[] =
    block.type === 'text'
      ? splitInto(block.text, 4).map((text) => ({
          event: 'content_block_delta',
          data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } },
        }))
      : splitInto(JSON.stringify(block.input), 3).map((partial_json) => ({
          event: 'content_block_delta',
          data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } },
        }));
  const start =
    block.type === 'text'
      ? { type: 'text', text: '' }
      : { type: 'tool_use', id: block.id, name: block.name, input: {} };
  return [
    { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: start } },
    ...deltas,
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ];
}

/** The content blocks, `message_delta` (stop reason and cumulative usage) and `message_stop`. */
export function contentEvents(message: WireMessage): SseEvent[] {
  const { usage } = message;
  const blocks = message.content.flatMap((block, i) => {
    const events = blockEvents(block, i);
    // The real API interleaves pings; one between blocks keeps clients honest about skipping them.
    return i === 0 ? events : [{ event: 'ping', data: { type: 'ping' } }, ...events];
  });
  return [
    ...blocks,
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence },
        usage: {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ];
}
