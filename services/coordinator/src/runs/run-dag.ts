import type { Plan, Run, Subtask, SubtaskStatus } from '@baton/protocol';
import { comparePriority, criticalPaths, resolveNodes, type ResolvedNode } from '../schedule/dag.js';
import { NodeProgress, nodeStatuses } from '../schedule/node-progress.js';
import { NodeStatus } from '../schedule/node-status.js';

/** Estimated cost of a subtask, for critical-path priority: model work is slow, recipe shards scale with their files. */
export function subtaskWeight(s: Subtask): number {
  if (s.kind === 'editor') return s.program ? 1 + s.program.files.length / 25 : 20;
  return s.kind === 'tester' ? 5 : 2;
}

/** How a subtask's recorded status reads to the scheduler. */
const PROGRESS: Record<SubtaskStatus, NodeProgress> = {
  pending: NodeProgress.idle,
  dispatched: NodeProgress.running,
  merging: NodeProgress.running,
  // merged, succeeded (nothing to merge) and skipped (superseded by repairs) free their dependents.
  merged: NodeProgress.done,
  succeeded: NodeProgress.done,
  skipped: NodeProgress.done,
  failed: NodeProgress.failed,
  // Only a finished run has cancelled subtasks: none of them will run.
  cancelled: NodeProgress.failed,
};

/** A plan as the scheduler sees it: its nodes in topological order and their critical paths. */
interface PlanDag {
  order: ResolvedNode[];
  critical: Map<string, number>;
  byId: Map<string, Subtask>;
}

// Keyed by the plan object: a run's plan is replaced (never mutated) when repairs grow it, so the DAG is resolved
// once per plan, not per Result.
const dags = new WeakMap<Plan, PlanDag>();

function dagOf(plan: Plan): PlanDag {
  let dag = dags.get(plan);
  if (!dag) {
    const order = resolveNodes(plan.subtasks.map((s) => ({ id: s.id, deps: s.deps, weight: subtaskWeight(s) })));
    dag = { order, critical: criticalPaths(order), byId: new Map(plan.subtasks.map((s) => [s.id, s])) };
    dags.set(plan, dag);
  }
  return dag;
}

/** Where a run's subtasks stand for scheduling: what may be dispatched, by priority, and whether anything still can run. */
export interface RunSchedule {
  /** Pending subtasks whose dependencies are all done, longest remaining critical path first (ties by id). */
  ready: Subtask[];
  /** True when some pending subtask does not wait, directly or through others, on one that failed. */
  canProgress: boolean;
}

/**
 * The run's schedule from its record, by the same DAG functions the simulator and the benchmark drive
 * (`resolveNodes`, `criticalPaths`, `comparePriority`, the readiness rule of `nodeStatuses`).
 */
export function scheduleOf(run: Run): RunSchedule {
  if (!run.plan) return { ready: [], canProgress: false };
  const dag = dagOf(run.plan);
  const statuses = nodeStatuses(dag.order, (id) => PROGRESS[run.subtasks[id]?.status ?? 'cancelled']);
  const ready: { id: string; critical: number }[] = [];
  let canProgress = false;
  for (const [id, status] of statuses) {
    if (status === NodeStatus.ready) ready.push({ id, critical: dag.critical.get(id)! });
    if (status === NodeStatus.ready || status === NodeStatus.waiting) canProgress = true;
  }
  return { ready: ready.sort(comparePriority).map((n) => dag.byId.get(n.id)!), canProgress };
}

/** True when the subtask's work is out: dispatched, or its Result being merged. */
export function isActive(status: SubtaskStatus): boolean {
  return PROGRESS[status] === NodeProgress.running;
}

/** True when the subtask frees its dependents: merged, succeeded, or skipped. */
export function isDone(status: SubtaskStatus): boolean {
  return PROGRESS[status] === NodeProgress.done;
}

/** How many of the run's subtasks have an attempt out. */
export function activeCount(run: Run): number {
  let n = 0;
  for (const id in run.subtasks) if (isActive(run.subtasks[id]!.status)) n++;
  return n;
}
