import { z } from 'zod';
import { Timestamp, V } from './ids.js';

/** Why a message went to the dead letter. */
export const DeadLetterReason = z.enum(['invalid', 'max_deliveries', 'terminated']);

/** A message the bus gave up on, with the reason (`<prefix>.dead.<queue>`). */
export const DeadLetter = z.strictObject({
  v: V,
  queue: z.string(),
  subject: z.string(),
  reason: DeadLetterReason,
  detail: z.string(),
  deliveries: z.number().int().nonnegative(),
  /** The original payload, as text (UTF-8) when it was text, else base64 with `encoding: base64`. */
  payload: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  msgId: z.string().optional(),
  at: Timestamp,
});
/** A message the bus gave up on. */
export type DeadLetter = z.infer<typeof DeadLetter>;
