/**
 * A tighter lower bound on the makespan for DAGs with barriers (nodes every other node either waits for or is waited
 * for by, like the joins of a fork-join plan): nothing crosses a barrier, so the bound is the sum of the barriers'
 * durations and of lowerBound() of each segment between them. Never below lowerBound() of the whole DAG.
 */
import { lowerBound, type DagNode } from '@baton/coordinator';

function topologicalOrder(nodes: readonly DagNode[]): DagNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const placed = new Set<string>();
  const order: DagNode[] = [];
  const visit = (n: DagNode) => {
    if (placed.has(n.id)) return;
    placed.add(n.id);
    for (const d of n.deps) visit(byId.get(d)!);
    order.push(n);
  };
  for (const n of nodes) visit(n);
  return order;
}

/** The barrier-split bound of `nodes` (weights = actual durations) on `slots` slots. */
export function barrierBound(nodes: readonly DagNode[], slots: number): number {
  const order = topologicalOrder(nodes);
  const ancestors = new Map<string, Set<string>>();
  for (const n of order) ancestors.set(n.id, new Set(n.deps.flatMap((d) => [d, ...ancestors.get(d)!])));
  const descendants = new Map<string, number>(order.map((n) => [n.id, 0]));
  for (const set of ancestors.values()) for (const a of set) descendants.set(a, descendants.get(a)! + 1);
  const barriers = order.filter((n) => ancestors.get(n.id)!.size + descendants.get(n.id)! === order.length - 1);
  let total = 0;
  let before = new Set<string>();
  const segment = (upTo: Set<string>) => {
    const inside = order.filter((n) => upTo.has(n.id) && !before.has(n.id));
    if (inside.length === 0) return 0;
    const ids = new Set(inside.map((n) => n.id));
    return lowerBound(
      inside.map((n) => ({ id: n.id, deps: n.deps.filter((d) => ids.has(d)), weight: n.weight ?? 1 })),
      slots,
    );
  };
  for (const b of barriers) {
    total += segment(ancestors.get(b.id)!) + (b.weight ?? 1);
    before = new Set([...ancestors.get(b.id)!, b.id]);
  }
  total += segment(new Set(order.map((n) => n.id)));
  return Math.max(total, lowerBound(nodes, slots));
}
