import { z } from 'zod';
import { ErrorData } from './error-data.js';

/** The envelope of every reply on request/reply subjects: the answer, or an error as data. */
export function replyEnvelope<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), data }),
    z.strictObject({ ok: z.literal(false), error: ErrorData }),
  ]);
}
/** A reply envelope. */
export type ReplyEnvelope<T> = { ok: true; data: T } | { ok: false; error: ErrorData };
