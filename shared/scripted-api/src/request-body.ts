import { z } from 'zod';
import type { RecordedMessagesBody } from './script.js';

// Third-party payload: keep only what the server reads and leave the rest as sent.
const MessagesBody = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(z.looseObject({}))]) })),
  stream: z.boolean().optional(),
});

/** The outcome of parsing a request body: the body, or a message for a 400 `invalid_request_error`. */
export type ParsedBody = { ok: true; body: RecordedMessagesBody } | { ok: false; message: string };

/** Parses a raw `POST /v1/messages` body the way the real API rejects malformed ones. */
export function parseMessagesBody(raw: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { ok: false, message: `scripted-api: request body is not JSON (${(err as Error).message})` };
  }
  const parsed = MessagesBody.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { ok: false, message: `scripted-api: invalid Messages request: ${issues}` };
  }
  return { ok: true, body: parsed.data };
}
