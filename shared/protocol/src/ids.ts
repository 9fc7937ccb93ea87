import { z } from 'zod';

/** Characters allowed in an id: safe as a NATS subject token, a KV key and a git ref component. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** An identifier safe to embed in subjects, KV keys and branch names. */
export const Id = z
  .string()
  .regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit');

/** Id of a run. */
export const RunId = Id.describe('run id');
/** Id of a subtask within a run's plan. */
export const SubtaskId = Id.describe('subtask id');
/** Id of a worker process. */
export const WorkerId = Id.describe('worker id');
/** Id of an agent actor (unique within a run). */
export const ActorId = Id.describe('actor id');

/**
 * The id of the agent actor running `attempt` of a subtask: `<subtaskId>-<attempt>`. A subtask id may use all 64
 * characters, so when that does not fit, the id keeps its start and ends with a hash of the whole subtask id
 * (`<start>_<hash>-<attempt>`): still unique within the run, still a valid id.
 */
export function actorIdOf(subtaskId: string, attempt: number): string {
  const suffix = `-${attempt}`;
  if (subtaskId.length + suffix.length <= 64) return `${subtaskId}${suffix}`;
  // FNV-1a, 32 bits: pure JS, so the protocol package stays usable in a browser.
  let hash = 0x811c9dc5;
  for (let i = 0; i < subtaskId.length; i++) hash = Math.imul(hash ^ subtaskId.charCodeAt(i), 0x01000193) >>> 0;
  const tag = `_${hash.toString(36)}`;
  return `${subtaskId.slice(0, 64 - tag.length - suffix.length)}${tag}${suffix}`;
}

/** A full git commit id (SHA-1 or SHA-256). */
export const CommitId = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a full hex commit id');

/** Milliseconds since the epoch. */
export const Timestamp = z.number().int().nonnegative();

/** The schema version every message carries. Bump on incompatible changes. */
export const SCHEMA_VERSION = 1 as const;
/** The `v` field of every wire message. */
export const V = z.literal(SCHEMA_VERSION);
