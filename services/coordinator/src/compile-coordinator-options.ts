import { resolve } from 'node:path';
import { z } from 'zod';
import type { Bus } from '@baton/bus';
import { silentLogger, type Logger } from '@baton/log';
import { QueueTuningSchema, type QueueTuning, type RunSpec } from '@baton/protocol';
import { CoordinatorOptionsError } from './errors.js';

/** Options of startCoordinator, as a caller writes them; compileCoordinatorOptions fills in the defaults. */
export interface CoordinatorOptions {
  bus: Bus;
  logger?: Logger;
  /** How workers get the repository: `local` paths (embedded, shared disk) or `snapshot` bundles in the object store. Default: snapshot on NATS, local in-process. */
  repoSource?: 'local' | 'snapshot';
  queues?: QueueTuning;
  /** Results handled at once (across runs; each run handles its own in order). Default 16. */
  resultConcurrency?: number;
  /** How long a plan request may take (a model plan can take minutes). Default 10 min. */
  planTimeoutMs?: number;
  /** Conflict re-dispatches of one subtask before the planner is asked for a resolve subtask. Default 2. */
  maxConflictRetries?: number;
  /** Subtasks in flight across all runs. Default 256. */
  maxInFlight?: number;
  /** How long model work pauses after a worker reports the model API overloaded without a retry-after. Default 30 s. */
  modelBackoffMs?: number;
  /** How long an attempt may run without a result before it is re-dispatched (unless its budget sets a wall time). Default 30 min. */
  leaseMs?: number;
  /** The user's settings file (default `~/.config/baton/settings.json`); resolved against the working directory. */
  userSettingsPath?: string;
  /**
   * Checks a submitted spec against the repository at its base commit before the run is recorded (the cli passes the
   * planner's recipe checks: a rename's `from` found once, `to` free); what it throws is the submit's refusal, so a run
   * that cannot be right leaves no branch. The coordinator never imports the planner: whoever composes them passes it.
   */
  checkSpec?: SpecCheck;
}

/** A check of a submitted spec at its pinned base commit (see CoordinatorOptions.checkSpec). */
type SpecCheck = (input: { spec: RunSpec; repoPath: string; baseCommit: string }) => Promise<void>;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
/** A duration in whole milliseconds. */
const Millis = z.number().int().positive();

const CoordinatorOptionsSchema = z.strictObject({
  bus: z.custom<Bus>(isObject, 'must be a Bus'),
  logger: z.custom<Logger>(isObject, 'must be a Logger').optional(),
  repoSource: z.enum(['local', 'snapshot']).optional(),
  queues: QueueTuningSchema.prefault({}),
  resultConcurrency: z.number().int().positive().default(16),
  planTimeoutMs: Millis.default(10 * 60_000),
  maxConflictRetries: z.number().int().nonnegative().default(2),
  maxInFlight: z.number().int().positive().default(256),
  modelBackoffMs: Millis.default(30_000),
  leaseMs: Millis.default(30 * 60_000),
  userSettingsPath: z
    .string()
    .min(1)
    .transform((p) => resolve(p))
    .optional(),
  checkSpec: z.custom<SpecCheck>((v) => typeof v === 'function', 'must be a function').optional(),
});

/** CoordinatorOptions with every default filled in and every value checked: what the coordinator runs with. */
export type CompiledCoordinatorOptions = Omit<z.output<typeof CoordinatorOptionsSchema>, 'logger' | 'repoSource'> & {
  logger: Logger;
  repoSource: 'local' | 'snapshot';
};

/**
 * Checks the coordinator's options once, at start, and fills in the defaults (the repository source follows the
 * bus's transport); a bad value fails at once with CoordinatorOptionsError naming the option.
 * @example compileCoordinatorOptions({ bus, leaseMs: 60_000 }).planTimeoutMs // 600000
 */
export function compileCoordinatorOptions(raw: CoordinatorOptions): CompiledCoordinatorOptions {
  const parsed = CoordinatorOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    throw new CoordinatorOptionsError(option || '(options)', issue.message, { cause: parsed.error });
  }
  const options = parsed.data;
  return {
    ...options,
    logger: options.logger ?? silentLogger(),
    repoSource: options.repoSource ?? (options.bus.transport === 'nats' ? 'snapshot' : 'local'),
  };
}
