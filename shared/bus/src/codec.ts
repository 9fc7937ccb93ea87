import { ID_PATTERN, replyEnvelope, toErrorData, type DeadLetter, type ErrorData } from '@baton/protocol';
import type { z } from 'zod';
import { InvalidMessageError, InvalidNameError, RemoteError } from './errors.js';
import type { Schema } from './types.js';

// Wire encoding, receive-side validation, dead-letter building and name checks shared by both transports.

/** The queue name dead letters of plain subscriptions carry (`<prefix>.dead.pubsub`). */
export const PUBSUB_QUEUE = 'pubsub';

const KV_KEY = /^[-/_=.a-zA-Z0-9]+$/;
const KV_FILTER = /^[-/_=.a-zA-Z0-9*>]+$/;
const BUCKET = /^[-_a-zA-Z0-9]+$/;
const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** What decoding a received payload gave: the parsed value, or why it is invalid. */
export type Decoded<T> = { ok: true; value: T } | { ok: false; issues: string };

/** Encodes a message as JSON bytes (sending never validates; receiving always does). */
export function encodeMessage(message: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(message) ?? 'null');
}

/** Parses JSON bytes and validates them against the schema, never throwing. */
export function decodeMessage<T>(schema: Schema<T>, payload: Uint8Array): Decoded<T> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payload));
  } catch (err) {
    return { ok: false, issues: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: formatIssues(parsed.error) };
}

/** One line per zod issue: `path: message`. */
function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Encodes a successful reply envelope. */
export function encodeReply(data: unknown): Uint8Array {
  return encodeMessage({ ok: true, data });
}

/** Encodes an error reply envelope from anything thrown. */
export function encodeErrorReply(err: unknown): Uint8Array {
  const error: ErrorData = toErrorData(err);
  return encodeMessage({ ok: false, error });
}

/** Decodes a reply envelope: the data, or throws RemoteError (error reply) or InvalidMessageError (bad reply). */
export function decodeReply<T>(subject: string, replySchema: Schema<T>, payload: Uint8Array): T {
  const decoded = decodeMessage(replyEnvelope(replySchema), payload);
  if (!decoded.ok) throw new InvalidMessageError(subject, decoded.issues);
  const envelope = decoded.value;
  if (envelope.ok) return envelope.data;
  throw new RemoteError(subject, envelope.error.name, envelope.error.message, envelope.error.data);
}

/** What a transport knows about a message it gives up on. */
export interface DeadLetterInput {
  queue: string;
  subject: string;
  reason: DeadLetter['reason'];
  detail: string;
  deliveries: number;
  payload: Uint8Array;
  msgId?: string | undefined;
}

/** Builds the DeadLetter message, keeping the payload as text when it is UTF-8. */
export function deadLetterOf(input: DeadLetterInput, now = Date.now()): DeadLetter {
  const text = utf8OrNull(input.payload);
  return {
    v: 1,
    queue: input.queue,
    subject: input.subject,
    reason: input.reason,
    detail: input.detail,
    deliveries: input.deliveries,
    payload: text ?? Buffer.from(input.payload).toString('base64'),
    encoding: text === null ? 'base64' : 'utf8',
    ...(input.msgId === undefined ? {} : { msgId: input.msgId }),
    at: now,
  };
}

function utf8OrNull(payload: Uint8Array): string | null {
  try {
    return strictUtf8.decode(payload);
  } catch (_notUtf8) {
    return null;
  }
}

/** Throws InvalidNameError unless the key is a valid KV key (`[-/_=.a-zA-Z0-9]+`, no leading or trailing dot). */
export function assertKvKey(key: string): void {
  if (!KV_KEY.test(key) || key.startsWith('.') || key.endsWith('.')) throw new InvalidNameError('kv key', key);
}

/** Throws InvalidNameError unless the KV key filter is valid (keys with `*` and `>` tokens). */
export function assertKvFilter(filter: string): void {
  if (!KV_FILTER.test(filter) || filter.startsWith('.') || filter.endsWith('.') || filter.includes('..')) {
    throw new InvalidNameError('kv key filter', filter);
  }
}

/** Throws InvalidNameError unless the KV or object bucket name is valid (`[-_a-zA-Z0-9]+`). */
export function assertBucketName(bucket: string): void {
  if (!BUCKET.test(bucket)) throw new InvalidNameError('bucket name', bucket);
}

/** Throws InvalidNameError unless the work queue name is a subject token (it names the dead-letter subject). */
export function assertQueueName(name: string): void {
  if (!ID_PATTERN.test(name)) throw new InvalidNameError('queue name', name);
}

/** Formats a SHA-256 hash the way nats.js obj records digests: `SHA-256=<padded base64url>`. */
export function formatDigest(sha256: Uint8Array): string {
  return `SHA-256=${Buffer.from(sha256).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
}
