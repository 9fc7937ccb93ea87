import { z } from 'zod';
import { Id, RunId, SubtaskId, Timestamp, V, WorkerId } from './ids.js';
import { VerdictSchema } from './policy.js';

/** The tools a permission request can name (Claude Code's tool names). */
export const PermissionTool = z.enum(['Bash', 'Edit', 'Write', 'Read', 'WebFetch']);
/** A tool a permission request can name. */
export type PermissionTool = z.infer<typeof PermissionTool>;

/** A worker asks the coordinator whether an action may run (`baton.perm.request`). */
export const PermissionRequest = z.strictObject({
  v: V,
  id: Id,
  runId: RunId,
  subtaskId: SubtaskId,
  attempt: z.number().int().positive(),
  workerId: WorkerId,
  tool: PermissionTool,
  /** Bash: the whole command line. */
  command: z.string().max(100_000).optional(),
  /** Edit/Write/Read: the repository-relative path. */
  path: z.string().max(4096).optional(),
  /** Why the agent wants it (shown to the human who approves). */
  reason: z.string().max(10_000).optional(),
  requestedAt: Timestamp,
});
/** A worker's permission request. */
export type PermissionRequest = z.infer<typeof PermissionRequest>;

/** Who made a decision. */
export const DecidedBy = z.enum(['policy', 'human', 'timeout', 'cancel']);

/** The answer to a PermissionRequest; also the event recorded for it. */
export const PermissionDecision = z.strictObject({
  v: V,
  requestId: Id,
  runId: RunId,
  decision: z.enum(['allow', 'deny']),
  reason: z.string(),
  /** The rule that decided, e.g. `Bash(git push:*)`. */
  rule: z.string().optional(),
  decidedBy: DecidedBy,
  decidedAt: Timestamp,
});
/** The answer to a PermissionRequest. */
export type PermissionDecision = z.infer<typeof PermissionDecision>;

/** A request parked for a human (`baton.perm.<runId>.pending`). */
export const PendingPermission = z.strictObject({
  v: V,
  request: PermissionRequest,
  verdict: VerdictSchema,
  rule: z.string().optional(),
  expiresAt: Timestamp,
});
/** A request parked for a human. */
export type PendingPermission = z.infer<typeof PendingPermission>;

/** A human's answer (`baton.perm.<runId>.decide`). */
export const HumanDecision = z.strictObject({
  v: V,
  requestId: Id,
  runId: RunId,
  decision: z.enum(['allow', 'deny']),
  reason: z.string().max(10_000).default(''),
  by: z.string().max(200).default('human'),
});
/** A human's answer to a parked request. */
export type HumanDecision = z.infer<typeof HumanDecision>;
