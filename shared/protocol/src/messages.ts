import { z } from 'zod';
import { AgentEvent } from './agent-event.js';
import { DeadLetter } from './dead-letter.js';
import { CancelRequest, Run, RunList, RunQuery, SubmitReply, WorkCancel } from './run.js';
import { HumanDecision, PendingPermission, PermissionDecision, PermissionRequest } from './permission.js';
import { Plan, Subtask } from './plan.js';
import { PlanReply, PlanRequest } from './plan-request.js';
import { Result, WorkItem } from './work.js';
import { RunSpec } from './run-spec.js';
import { WorkerHeartbeat } from './worker-info.js';
import { ErrorData } from './error-data.js';
import { PolicyConfig } from './policy.js';

/** Every message that crosses a process boundary, by name: the source of `docs/schemas/*.json`. */
export const messages = {
  RunSpec,
  Run,
  SubmitReply,
  CancelRequest,
  WorkCancel,
  RunQuery,
  RunList,
  Plan,
  Subtask,
  PlanRequest,
  PlanReply,
  WorkItem,
  Result,
  PermissionRequest,
  PermissionDecision,
  PendingPermission,
  HumanDecision,
  AgentEvent,
  WorkerHeartbeat,
  DeadLetter,
  ErrorData,
  PolicyConfig,
} as const;

/** The name of a wire message. */
export type MessageName = keyof typeof messages;

/** JSON Schema (draft 2020-12) of one message, as a client sends it (defaults optional). */
export function jsonSchemaOf(name: MessageName): Record<string, unknown> {
  const schema = z.toJSONSchema(messages[name], { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return { $id: `https://baton.dev/schemas/${name}.json`, title: name, ...schema };
}
