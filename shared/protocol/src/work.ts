import { z } from 'zod';
import { CommitId, RunId, SubtaskId, Timestamp, V, WorkerId } from './ids.js';
import { EnvironmentConfig } from './environment.js';
import { ErrorData } from './error-data.js';
import { Subtask } from './plan.js';
import { PolicyConfig } from './policy.js';
import { Usage } from './usage.js';

/** Where a worker gets the repository: a local path (embedded, shared disk) or a git bundle in the object store. */
export const RepoSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local'), path: z.string().min(1) }),
  z.strictObject({ kind: z.literal('snapshot'), bucket: z.string().min(1), object: z.string().min(1) }),
]);
/** Where a worker gets the repository. */
export type RepoSource = z.infer<typeof RepoSource>;

/** A unit of work on `baton.work.<kind>`: one attempt of one subtask. */
export const WorkItem = z.strictObject({
  v: V,
  runId: RunId,
  attempt: z.number().int().positive(),
  subtask: Subtask,
  baseCommit: CommitId,
  repo: RepoSource,
  policy: PolicyConfig,
  /** Commands the tester runs when the subtask lists none. */
  testCommands: z.array(z.string()).default([]),
  /** Commands the user configured (test and recipe commands): not asked about, deny rules still apply. */
  trustedCommands: z.array(z.string()).default([]),
  /** The run's environment settings (defaults apply to fields left out). */
  environment: EnvironmentConfig.optional(),
  issuedAt: Timestamp,
});
/** A unit of work. */
export type WorkItem = z.infer<typeof WorkItem>;

/** One command a worker ran. */
export const CommandOutput = z.strictObject({
  command: z.string(),
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  truncated: z.boolean().default(false),
  timedOut: z.boolean().default(false),
  durationMs: z.number().nonnegative(),
});
/** One command a worker ran. */
export type CommandOutput = z.infer<typeof CommandOutput>;

/** A failing test or diagnostic. */
export const Failure = z.strictObject({
  file: z.string().optional(),
  line: z.number().int().optional(),
  name: z.string().optional(),
  message: z.string(),
});
/** A failing test or diagnostic. */
export type Failure = z.infer<typeof Failure>;

/** What a tester found. */
export const TestReport = z.strictObject({
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative().default(0),
  flaky: z.number().int().nonnegative().default(0),
  failures: z.array(Failure).default([]),
  format: z.enum(['vitest-json', 'jest-json', 'tap', 'pytest', 'tsc', 'exit-code']),
});
/** What a tester found. */
export type TestReport = z.infer<typeof TestReport>;

/** How an agent ended. */
export const AgentStop = z.enum([
  'end_turn',
  'completed',
  'max_turns',
  'token_budget',
  'tool_errors',
  'repeated_call',
  'cancelled',
  'deadline',
  'model_error',
  'tests_failed',
  'command_failed',
  'error',
]);
/** How an agent ended. */
export type AgentStop = z.infer<typeof AgentStop>;

/** What a worker publishes on `baton.results.<runId>` for one attempt. */
export const Result = z.strictObject({
  v: V,
  runId: RunId,
  subtaskId: SubtaskId,
  attempt: z.number().int().positive(),
  workerId: WorkerId,
  ok: z.boolean(),
  stop: AgentStop,
  baseCommit: CommitId,
  /** Unified diff against baseCommit (`git diff --binary`); empty when nothing changed or when it is in `diffRef`. */
  diff: z.string(),
  /** A diff too large to travel in the message, stored in the object store instead. */
  diffRef: z
    .strictObject({ bucket: z.string().min(1), object: z.string().min(1), bytes: z.number().int().nonnegative() })
    .optional(),
  filesChanged: z.array(z.string()).default([]),
  testReport: TestReport.optional(),
  commands: z.array(CommandOutput).default([]),
  usage: Usage,
  summary: z.string().max(100_000).default(''),
  error: ErrorData.optional(),
  startedAt: Timestamp,
  finishedAt: Timestamp,
});
/** What a worker publishes for one attempt. */
export type Result = z.infer<typeof Result>;
