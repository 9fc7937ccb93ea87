import type { ResolvedNode } from './dag.js';
import { NodeStatus } from './node-status.js';

/** Where a node's own work stands, as its owner records it: not started, out, finished, or given up. */
export const NodeProgress = {
  idle: 'idle',
  running: 'running',
  done: 'done',
  failed: 'failed',
} as const;
/** Where a node's own work stands. */
export type NodeProgress = (typeof NodeProgress)[keyof typeof NodeProgress];

/**
 * The status of a node that has not started, from its dependencies' statuses: blocked when one failed or is
 * blocked (it will never run), ready when every one is done, waiting otherwise. The one readiness rule: the
 * scheduler the simulator drives applies it as nodes are added, and production applies it to the run's record.
 */
export function idleStatus(depStatuses: Iterable<NodeStatus>): NodeStatus {
  let allDone = true;
  for (const s of depStatuses) {
    if (s === NodeStatus.failed || s === NodeStatus.blocked) return NodeStatus.blocked;
    if (s !== NodeStatus.done) allDone = false;
  }
  return allDone ? NodeStatus.ready : NodeStatus.waiting;
}

/**
 * Every node's status from each node's own progress (a run's record holds only that): a node's own progress wins
 * once it started; an idle one gets idleStatus of its dependencies. `order` is topological, as resolveNodes
 * returns it, so each dependency's status is known before its dependents'.
 */
export function nodeStatuses(
  order: readonly ResolvedNode[],
  progress: (id: string) => NodeProgress,
): Map<string, NodeStatus> {
  const statuses = new Map<string, NodeStatus>();
  for (const node of order) {
    const own = progress(node.id);
    statuses.set(
      node.id,
      own === NodeProgress.idle
        ? idleStatus(node.deps.map((d) => statuses.get(d) ?? NodeStatus.waiting))
        : own === NodeProgress.running
          ? NodeStatus.running
          : own === NodeProgress.done
            ? NodeStatus.done
            : NodeStatus.failed,
    );
  }
  return statuses;
}
