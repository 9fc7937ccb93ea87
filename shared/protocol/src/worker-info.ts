import { z } from 'zod';
import { Timestamp, V, WorkerId } from './ids.js';
import { AgentKindSchema } from './plan.js';

/** A worker announcing itself and its load (`baton.workers.heartbeat`), every few seconds. */
export const WorkerHeartbeat = z.strictObject({
  v: V,
  workerId: WorkerId,
  host: z.string().max(255),
  pid: z.number().int().positive(),
  kinds: z.array(AgentKindSchema).min(1),
  slots: z.number().int().positive(),
  busy: z.number().int().nonnegative(),
  /** 1-minute load average of the host. */
  load: z.number().nonnegative(),
  version: z.string().max(100),
  startedAt: Timestamp,
  sentAt: Timestamp,
  state: z.enum(['running', 'draining', 'stopped']),
});
/** A worker's heartbeat. */
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;
