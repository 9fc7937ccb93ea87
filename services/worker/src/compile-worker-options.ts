import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { customAlphabet } from 'nanoid';
import { z } from 'zod';
import type { Bus } from '@baton/bus';
import { silentLogger, type Logger } from '@baton/log';
import type { ModelClient } from '@baton/model';
import { AgentKind, AgentKindSchema, QueueTuningSchema, WorkerId, type QueueTuning } from '@baton/protocol';
import type { EditorLimits } from './agents/editor.machine.js';
import { Isolation } from './environment/worktree-environments.js';
import { WorkerOptionsError } from './errors.js';
import { defaultRecipeThreads } from './lazy-recipe-pool.js';

/** Options of startWorker, as a caller writes them; compileWorkerOptions fills in the defaults. */
export interface WorkerOptions {
  bus: Bus;
  logger?: Logger;
  /** Agent kinds this worker takes work for. Default: every kind. */
  kinds?: readonly AgentKind[];
  /** Subtasks run at once, across kinds. Default 2. */
  slots?: number;
  /** Threads computing recipe programs (renames, codemod modules). Default: the slots, at most the cores less one. */
  recipeThreads?: number;
  model?: ModelClient;
  /** Default: `w-<host>-<random>`. */
  workerId?: string;
  queues?: QueueTuning;
  /** How often the worker announces itself on `workers.heartbeat` and in the workers bucket. Default 5 s. */
  heartbeatMs?: number;
  /** How long a draining worker lets items in hand finish before returning them. Default 30 s. */
  graceMs?: number;
  /** Parent folder of scratch worktrees (resolved against the working directory). Default: the system's temp folder. */
  baseDir?: string;
  /** How long one test or shell command may run. Default 10 min. */
  commandTimeoutMs?: number;
  /** How worktrees get their environment (default `auto`: overlay mounts where the machine allows them). */
  environmentIsolation?: Isolation | 'auto';
  editorLimits?: Partial<EditorLimits>;
  /** Reported in heartbeats. Default: this package's version. */
  version?: string;
}

const PACKAGE_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
const workerSuffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 8);
const defaultWorkerId = () =>
  `w-${
    hostname()
      .replace(/[^A-Za-z0-9_-]/g, '')
      .slice(0, 20) || 'host'
  }-${workerSuffix()}`;

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null;
const PositiveInt = z.number().int().positive();

const WorkerOptionsSchema = z.strictObject({
  bus: z.custom<Bus>(isObject, 'must be a Bus'),
  logger: z.custom<Logger>(isObject, 'must be a Logger').optional(),
  kinds: z.array(AgentKindSchema).min(1).default(Object.values(AgentKind)),
  slots: PositiveInt.default(2),
  recipeThreads: PositiveInt.optional(),
  model: z.custom<ModelClient>(isObject, 'must be a ModelClient').optional(),
  workerId: WorkerId.default(defaultWorkerId),
  queues: QueueTuningSchema.prefault({}),
  heartbeatMs: PositiveInt.default(5_000),
  graceMs: z.number().int().nonnegative().default(30_000),
  baseDir: z
    .string()
    .min(1)
    .transform((p) => resolve(p))
    .optional(),
  commandTimeoutMs: PositiveInt.default(10 * 60_000),
  environmentIsolation: z.enum([...Object.values(Isolation), 'auto']).optional(),
  editorLimits: z
    .strictObject({
      maxTurns: PositiveInt.optional(),
      maxTokens: PositiveInt.optional(),
      maxToolErrors: PositiveInt.optional(),
      maxRepeatedCalls: PositiveInt.optional(),
      deadlineMs: PositiveInt.optional(),
    })
    .default({}),
  version: z.string().min(1).default(PACKAGE_VERSION),
});

/** WorkerOptions with every default filled in and every value checked: what the worker runs with. */
export type CompiledWorkerOptions = Omit<z.output<typeof WorkerOptionsSchema>, 'logger' | 'recipeThreads'> & {
  logger: Logger;
  recipeThreads: number;
};

/**
 * Checks the worker's options once, at start, and fills in the defaults (recipe threads follow the slots); a bad
 * value fails at once with WorkerOptionsError naming the option.
 * @example compileWorkerOptions({ bus, slots: 4 }).kinds // ['editor', 'tester', 'shell']
 */
export function compileWorkerOptions(raw: WorkerOptions): CompiledWorkerOptions {
  const parsed = WorkerOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const option = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
    throw new WorkerOptionsError(option || '(options)', issue.message, { cause: parsed.error });
  }
  const options = parsed.data;
  return {
    ...options,
    logger: options.logger ?? silentLogger(),
    recipeThreads: options.recipeThreads ?? defaultRecipeThreads(options.slots),
  };
}
