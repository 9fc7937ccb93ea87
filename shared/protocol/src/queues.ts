import { z } from 'zod';
import { subjectsFor, type Subject } from './subjects.js';
import { Result, WorkItem } from './work.js';
import type { AgentKind } from './plan.js';

/** A durable queue's settings: the producer and every consumer must use the same ones. */
export interface QueueDefinition<T> {
  name: string;
  subject: Subject;
  schema: z.ZodType<T>;
  ackWaitMs: number;
  maxDeliver: number;
  duplicateWindowMs: number;
}

/** Tunables of the queues (tests shorten the ack wait so crashed workers' items come back quickly). */
export interface QueueTuning {
  /** How long a worker may hold an item without a heartbeat before it is redelivered. Default 30 s. */
  ackWaitMs?: number;
  /** Deliveries of one work item before it goes to the dead letter. Default 5. */
  maxDeliver?: number;
}

/** QueueTuning with its defaults filled in: services compile their `queues` option with it, queuesFor reads it. */
export const QueueTuningSchema = z.strictObject({
  ackWaitMs: z.number().int().positive().default(30_000),
  maxDeliver: z.number().int().positive().default(5),
});

/**
 * The work queues (`<prefix>.work.<kind>`) and the results queue (`<prefix>.results.*`) with their settings.
 * @example bus.workQueue(queuesFor('baton').work('editor'))
 */
export function queuesFor(prefix = 'baton', tuning: QueueTuning = {}) {
  const s = subjectsFor(prefix);
  const { ackWaitMs, maxDeliver } = QueueTuningSchema.parse(tuning);
  return {
    work: (kind: AgentKind): QueueDefinition<WorkItem> => ({
      name: `work-${kind}`,
      subject: s.work(kind),
      schema: WorkItem,
      ackWaitMs,
      maxDeliver,
      duplicateWindowMs: 120_000,
    }),
    // Results are small to handle; many more deliveries are allowed so a coordinator restart never dead-letters one.
    results: (): QueueDefinition<Result> => ({
      name: 'results',
      subject: s.resultsAll(),
      schema: Result,
      ackWaitMs,
      maxDeliver: 50,
      duplicateWindowMs: 120_000,
    }),
  } as const;
}
