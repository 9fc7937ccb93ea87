import type { Bus, WorkQueue } from '@baton/bus';
import type { Logger } from '@baton/log';
import type { AgentKind, QueueDefinition, RepoSource, Run, WorkItem } from '@baton/protocol';
import type { DispatchGate } from './dispatch-gate.js';
import type { MergePort } from './ports.js';
import type { RunStore } from './run-store.js';

/** Everything a run controller uses, shared by all runs of one coordinator. */
export interface RunContext {
  bus: Bus;
  store: RunStore;
  merger: MergePort;
  /** The work queues' definitions: a dispatch is published again only within a queue's de-dup window. */
  queues: { work: (kind: AgentKind) => QueueDefinition<WorkItem> };
  workQueues: Record<AgentKind, WorkQueue<WorkItem>>;
  /** Where a worker gets the repository holding `commit` (the local path, or a published snapshot of it). */
  repoSource: (run: Run, commit: string) => Promise<RepoSource>;
  log: Logger;
  /** Plan requests can take a model several minutes. */
  planTimeoutMs: number;
  /** Conflict re-dispatches of one subtask before the planner is asked for a resolve subtask. */
  maxConflictRetries: number;
  /** How long an attempt may take (when its budget sets no wall time) before it is re-dispatched as a new attempt. */
  leaseMs: number;
  /** Called when a run reaches a final status. */
  onFinished: (run: Run) => void;
  /** The global concurrency limit and the model back-off, shared by every run. */
  gate: DispatchGate;
  /** Pause of model work when a worker reports 429/529 without a retry-after. */
  modelBackoffMs: number;
}
