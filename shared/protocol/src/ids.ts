import { z } from 'zod';

/** Characters allowed in an id: safe as a NATS subject token, a KV key and a git ref component. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** An identifier safe to embed in subjects, KV keys and branch names. */
export const Id = z.string().regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ - starting with a letter or digit');

/** Id of a run. */
export const RunId = Id.describe('run id');
/** Id of a subtask within a run's plan. */
export const SubtaskId = Id.describe('subtask id');
/** Id of a worker process. */
export const WorkerId = Id.describe('worker id');
/** Id of an agent actor (unique within a run). */
export const ActorId = Id.describe('actor id');

/** A full git commit id (SHA-1 or SHA-256). */
export const CommitId = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a full hex commit id');

/** Milliseconds since the epoch. */
export const Timestamp = z.number().int().nonnegative();

/** The schema version every message carries. Bump on incompatible changes. */
export const SCHEMA_VERSION = 1 as const;
/** The `v` field of every wire message. */
export const V = z.literal(SCHEMA_VERSION);
