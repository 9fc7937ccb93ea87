import type { Bus } from '@baton/bus';
import { resourceNamesFor, type Result } from '@baton/protocol';

/** Diffs up to this size travel inside the Result; larger ones go to the object store (NATS's default max payload is 1 MiB). */
export const DIFF_INLINE_LIMIT = 256 * 1024;

/**
 * Moves a diff too large for a message into the object store (`<prefix>-diffs`, one object per
 * attempt) and leaves a `diffRef` in the Result; smaller diffs are returned as they are. The limit is never more
 * than a quarter of the bus's max payload (a server configured below NATS's 1 MiB default).
 */
export async function offloadLargeDiff(bus: Bus, result: Result, limit = DIFF_INLINE_LIMIT): Promise<Result> {
  const bytes = Buffer.from(result.diff, 'utf8');
  if (bytes.length <= Math.min(limit, bus.maxPayload / 4)) return result;
  const store = await bus.objectStore(resourceNamesFor(bus.subjects.prefix).diffsBucket);
  const object = `${result.runId}.${result.subtaskId}.${result.attempt}.${result.workerId}.diff`;
  await store.put(object, new Uint8Array(bytes));
  return { ...result, diff: '', diffRef: { bucket: store.bucket, object, bytes: bytes.length } };
}
