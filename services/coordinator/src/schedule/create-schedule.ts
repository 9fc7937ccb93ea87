import { comparePriority, compareIds, criticalPaths, resolveNodes, type DagNode, type ResolvedNode } from './dag.js';
import { InvalidTransitionError, UnknownSubtaskError } from './errors.js';
import { idleStatus } from './node-progress.js';
import { NodeStatus } from './node-status.js';

/** A node that will never run, and the failed nodes that caused it. */
interface BlockedNode {
  id: string;
  failed: string[];
}

/** A deterministic DAG scheduler; the caller applies concurrency limits through `take(n)`. */
export interface Schedule {
  /** Dispatchable ids, longest remaining critical path first, ties by id. */
  ready(): string[];
  /** The first `n` of `ready()`, marked running. */
  take(n: number): string[];
  /** ready -> running. */
  markRunning(id: string): void;
  /** running -> done; returns the ids that became ready. */
  markDone(id: string): string[];
  /** ready|running -> failed; returns the ids newly blocked by it (transitively). */
  markFailed(id: string): string[];
  /** running -> ready again (a retry, e.g. after a merge conflict). */
  requeue(id: string): void;
  /** Adds nodes (e.g. repair subtasks) whose deps may be existing nodes; returns the ids ready at once. */
  addSubtasks(nodes: readonly DagNode[]): string[];
  status(id: string): NodeStatus;
  /** Weight plus the heaviest chain of dependents after it. */
  criticalPath(id: string): number;
  /** Nodes that will never run because something they need failed. */
  blocked(): BlockedNode[];
  /** How many nodes are in each status. */
  counts(): Record<NodeStatus, number>;
  /** True when nothing is waiting, ready or running. */
  isFinished(): boolean;
  /** Every id, in insertion (topological) order. */
  ids(): string[];
}

interface NodeState extends ResolvedNode {
  status: NodeStatus;
  dependents: string[];
  /** Deps not yet done. */
  remaining: number;
  critical: number;
  failedCauses: Set<string>;
}

/**
 * Validates the DAG (DuplicateSubtaskError, UnknownDependencyError, DependencyCycleError,
 * InvalidWeightError, each naming every offender) and returns its scheduler.
 * @example
 * const s = createSchedule([{ id: 'a', deps: [], weight: 2 }, { id: 'b', deps: ['a'] }]);
 * s.take(4); // ['a']
 * s.markDone('a'); // ['b']
 */
export function createSchedule(subtasks: readonly DagNode[]): Schedule {
  const nodes = new Map<string, NodeState>();
  const order: string[] = [];
  // The ready nodes, kept sorted by priority (binary insertion) so dispatch never re-sorts the DAG.
  let readyList: NodeState[] = [];
  const byPriority = comparePriority;
  const insertionPoint = (node: NodeState): number => {
    let lo = 0;
    let hi = readyList.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byPriority(readyList[mid]!, node) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const setStatus = (node: NodeState, status: NodeStatus): void => {
    if (node.status === NodeStatus.ready && status !== NodeStatus.ready) readyList.splice(insertionPoint(node), 1);
    if (node.status !== NodeStatus.ready && status === NodeStatus.ready)
      readyList.splice(insertionPoint(node), 0, node);
    node.status = status;
  };

  const get = (id: string): NodeState => {
    const node = nodes.get(id);
    if (node === undefined) throw new UnknownSubtaskError(id);
    return node;
  };
  const move = (node: NodeState, from: readonly NodeStatus[], to: NodeStatus): void => {
    if (!from.includes(node.status)) throw new InvalidTransitionError(node.id, node.status, to);
    setStatus(node, to);
  };
  const recomputeCriticalPaths = (): void => {
    for (const [id, critical] of criticalPaths(order.map((id) => nodes.get(id)!))) nodes.get(id)!.critical = critical;
  };
  const add = (list: readonly DagNode[]): string[] => {
    const resolved = resolveNodes(list, new Set(nodes.keys()));
    const becameReady: string[] = [];
    for (const r of resolved) {
      const deps = r.deps.map((d) => nodes.get(d)!);
      const failedCauses = new Set(
        deps.flatMap((d) => (d.status === NodeStatus.failed ? [d.id] : [...d.failedCauses])),
      );
      const remaining = deps.filter((d) => d.status !== NodeStatus.done).length;
      const status = idleStatus(deps.map((d) => d.status));
      // Enters as waiting; becomes ready after the critical paths are known (below), for a sorted insert.
      const initial = status === NodeStatus.ready ? NodeStatus.waiting : status;
      const node: NodeState = { ...r, status: initial, dependents: [], remaining, critical: r.weight, failedCauses };
      nodes.set(r.id, node);
      order.push(r.id);
      for (const d of deps) d.dependents.push(r.id);
      if (status === NodeStatus.ready) becameReady.push(r.id);
    }
    recomputeCriticalPaths();
    readyList = readyList.sort(byPriority);
    for (const id of becameReady) setStatus(get(id), NodeStatus.ready);
    return becameReady.sort((a, b) => byPriority(get(a), get(b)));
  };

  add(subtasks);

  const schedule: Schedule = {
    ready: () => readyList.map((n) => n.id),
    take: (n) => {
      const taken = readyList.slice(0, Math.max(0, Math.floor(n))).map((node) => node.id);
      for (const id of taken) setStatus(get(id), NodeStatus.running);
      return taken;
    },
    markRunning: (id) => move(get(id), [NodeStatus.ready], NodeStatus.running),
    markDone: (id) => {
      const node = get(id);
      move(node, [NodeStatus.running], NodeStatus.done);
      const ready: string[] = [];
      for (const d of node.dependents) {
        const dependent = get(d);
        dependent.remaining -= 1;
        if (dependent.remaining === 0 && dependent.status === NodeStatus.waiting) {
          setStatus(dependent, NodeStatus.ready);
          ready.push(d);
        }
      }
      return ready.sort((a, b) => byPriority(get(a), get(b)));
    },
    markFailed: (id) => {
      const node = get(id);
      move(node, [NodeStatus.ready, NodeStatus.running], NodeStatus.failed);
      const newlyBlocked: string[] = [];
      const seen = new Set<string>();
      const stack = [...node.dependents];
      for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
        if (seen.has(next)) continue;
        seen.add(next);
        const dependent = get(next);
        dependent.failedCauses.add(id);
        stack.push(...dependent.dependents);
        if (dependent.status === NodeStatus.blocked) continue;
        // A dependent of an unfinished node can only be waiting: it never started.
        setStatus(dependent, NodeStatus.blocked);
        newlyBlocked.push(next);
      }
      return newlyBlocked.sort(compareIds);
    },
    requeue: (id) => move(get(id), [NodeStatus.running], NodeStatus.ready),
    addSubtasks: add,
    status: (id) => get(id).status,
    criticalPath: (id) => get(id).critical,
    blocked: () =>
      order
        .map((id) => get(id))
        .filter((n) => n.status === NodeStatus.blocked)
        .map((n) => ({ id: n.id, failed: [...n.failedCauses].sort(compareIds) }))
        .sort((a, b) => compareIds(a.id, b.id)),
    counts: () => {
      const counts = { waiting: 0, ready: 0, running: 0, done: 0, failed: 0, blocked: 0 };
      for (const n of nodes.values()) counts[n.status] += 1;
      return counts;
    },
    isFinished: () =>
      [...nodes.values()].every(
        (n) => n.status !== NodeStatus.waiting && n.status !== NodeStatus.ready && n.status !== NodeStatus.running,
      ),
    ids: () => [...order],
  };
  return schedule;
}
