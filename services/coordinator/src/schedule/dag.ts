import { DependencyCycleError, DuplicateSubtaskError, InvalidWeightError, UnknownDependencyError } from './errors.js';

/** A subtask as the scheduler sees it: an id, the ids it waits for, and an estimated cost. */
export interface DagNode {
  id: string;
  deps: readonly string[];
  /** Estimated cost (any unit, e.g. expected minutes); default 1. */
  weight?: number;
}

/** A DagNode with its weight resolved and deps de-duplicated. */
export interface ResolvedNode {
  id: string;
  deps: string[];
  weight: number;
}

/** Deterministic id order: plain code-unit comparison, independent of locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Dispatch priority: the longer remaining critical path first, ties by id (the simulator and production both sort by it). */
export function comparePriority(a: { id: string; critical: number }, b: { id: string; critical: number }): number {
  return b.critical - a.critical || compareIds(a.id, b.id);
}

/**
 * Each node's remaining critical path: its weight plus the heaviest chain of dependents after it. `order` is
 * topological (deps first), as resolveNodes returns it; deps outside `order` are ignored.
 */
export function criticalPaths(order: readonly ResolvedNode[]): Map<string, number> {
  const heaviestAfter = new Map<string, number>();
  const critical = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const path = node.weight + (heaviestAfter.get(node.id) ?? 0);
    critical.set(node.id, path);
    for (const d of node.deps) if (path > (heaviestAfter.get(d) ?? 0)) heaviestAfter.set(d, path);
  }
  return critical;
}

/**
 * Validates `nodes` as an extension of `known` (ids already in the DAG) and returns them resolved
 * in topological order (deps first). Throws DuplicateSubtaskError, InvalidWeightError,
 * UnknownDependencyError or DependencyCycleError naming every offender.
 */
export function resolveNodes(nodes: readonly DagNode[], known: ReadonlySet<string> = new Set()): ResolvedNode[] {
  const byId = new Map<string, ResolvedNode>();
  const duplicates = new Set<string>();
  for (const node of nodes) {
    if (byId.has(node.id) || known.has(node.id)) duplicates.add(node.id);
    const weight = node.weight ?? 1;
    if (!Number.isFinite(weight) || weight < 0) throw new InvalidWeightError(node.id, weight);
    byId.set(node.id, { id: node.id, deps: [...new Set(node.deps)].sort(compareIds), weight });
  }
  if (duplicates.size > 0) throw new DuplicateSubtaskError([...duplicates].sort(compareIds));
  const missing = [...byId.values()].flatMap((n) =>
    n.deps.filter((d) => !byId.has(d) && !known.has(d)).map((dep) => ({ id: n.id, dep })),
  );
  if (missing.length > 0) throw new UnknownDependencyError(missing);

  // Kahn over the new nodes only: known nodes are already placed and cannot depend on new ones.
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of byId.values()) {
    const internal = n.deps.filter((d) => byId.has(d));
    pending.set(n.id, internal.length);
    for (const d of internal) dependents.set(d, [...(dependents.get(d) ?? []), n.id]);
  }
  const queue = [...byId.keys()].filter((id) => pending.get(id) === 0).sort(compareIds);
  const order: ResolvedNode[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(byId.get(id)!);
    for (const next of dependents.get(id) ?? []) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  if (order.length < byId.size) {
    const stuck = new Set([...byId.keys()].filter((id) => pending.get(id)! > 0));
    throw new DependencyCycleError(findCycles(stuck, byId));
  }
  return order;
}

/** One closed path per cycle among the stuck nodes (Tarjan's strongly connected components). */
function findCycles(stuck: ReadonlySet<string>, byId: ReadonlyMap<string, ResolvedNode>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const depsOf = (id: string) => byId.get(id)!.deps.filter((d) => stuck.has(d));
  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.get(id)!);
    stack.push(id);
    onStack.add(id);
    for (const d of depsOf(id)) {
      if (!index.has(d)) {
        visit(d);
        low.set(id, Math.min(low.get(id)!, low.get(d)!));
      } else if (onStack.has(d)) low.set(id, Math.min(low.get(id)!, index.get(d)!));
    }
    if (low.get(id) !== index.get(id)) return;
    const component: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top);
      component.push(top);
      if (top === id) break;
    }
    if (component.length > 1 || depsOf(id).includes(id)) components.push(component);
  };
  for (const id of [...stuck].sort(compareIds)) if (!index.has(id)) visit(id);
  return components.map((members) => cyclePath(new Set(members), depsOf)).sort((a, b) => compareIds(a[0]!, b[0]!));
}

/** A closed path inside one component, from its smallest id, always following the smallest in-component dep. */
function cyclePath(members: ReadonlySet<string>, depsOf: (id: string) => string[]): string[] {
  const start = [...members].sort(compareIds)[0]!;
  const path = [start];
  const seen = new Map([[start, 0]]);
  for (let at = start; ;) {
    at = depsOf(at).find((d) => members.has(d))!;
    const first = seen.get(at);
    if (first !== undefined) return [...path.slice(first), at];
    seen.set(at, path.length);
    path.push(at);
  }
}
