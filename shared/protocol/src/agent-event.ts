import { z } from 'zod';
import { ActorId, RunId, SubtaskId, Timestamp, V, WorkerId } from './ids.js';

/** The XState inspection event types Baton forwards. */
export const InspectionKind = z.enum(['@xstate.actor', '@xstate.event', '@xstate.snapshot', '@xstate.microstep']);

/** A JSON value (state values, event payload summaries). */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
/** Schema of a JSON value. */
export const Json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(Json), z.record(z.string(), Json)]),
);

/** One agent state transition or event, from XState's inspection API (`baton.events.<runId>.<actorId>`). */
export const AgentEvent = z.strictObject({
  v: V,
  runId: RunId,
  subtaskId: SubtaskId.optional(),
  workerId: WorkerId.optional(),
  actorId: ActorId,
  /** The machine's id (`editor`, `tester`, `shell`). */
  machineId: z.string().min(1).max(100),
  kind: InspectionKind,
  /** The event type that caused it (`xstate.init`, `MODEL_DONE`, …). */
  eventType: z.string().max(200),
  /** The state value after it (snapshots). */
  stateValue: Json.optional(),
  /** `active`, `done`, `error`, `stopped` (snapshots). */
  status: z.enum(['active', 'done', 'error', 'stopped']).optional(),
  seq: z.number().int().nonnegative(),
  timestamp: Timestamp,
});
/** One agent state transition or event. */
export type AgentEvent = z.infer<typeof AgentEvent>;
