import type { Subtask } from '@baton/protocol';

/** The dependency structure of a plan's subtasks, with what is wrong with it. */
export interface PlanGraph {
  /** `subtask "a" depends on unknown subtask "z"`, one per bad edge. */
  unknownDeps: string[];
  /** Each distinct cycle once, as ids in dependency order ending where it started: `['a', 'b', 'a']`. */
  cycles: string[][];
  /** Whether neither subtask depends (transitively) on the other; only meaningful without cycles. */
  parallel: (a: number, b: number) => boolean;
}

/**
 * Analyses the dependency edges of subtasks whose ids are unique: unknown targets, cycles,
 * and transitive ancestry (for "may these two run at the same time?").
 */
export function analysePlanGraph(subtasks: readonly Subtask[]): PlanGraph {
  const index = new Map(subtasks.map((s, i) => [s.id, i]));
  const unknownDeps: string[] = [];
  const edges: number[][] = subtasks.map((s) => {
    const out: number[] = [];
    for (const dep of new Set(s.deps)) {
      const j = index.get(dep);
      if (j === undefined) unknownDeps.push(`subtask "${s.id}" depends on unknown subtask "${dep}"`);
      else out.push(j);
    }
    return out;
  });

  const cycles = findCycles(subtasks, edges);
  const ancestors = cycles.length === 0 ? transitiveDeps(edges) : [];
  return {
    unknownDeps,
    cycles,
    parallel: (a, b) => a !== b && !(ancestors[a]?.has(b) ?? false) && !(ancestors[b]?.has(a) ?? false),
  };
}

/** Iterative DFS (plans can be thousands of subtasks deep enough to blow the stack recursively). */
function findCycles(subtasks: readonly Subtask[], edges: number[][]): string[][] {
  const state = new Uint8Array(subtasks.length); // 0 new, 1 on stack, 2 done
  const seen = new Set<string>();
  const cycles: string[][] = [];
  for (let root = 0; root < subtasks.length; root++) {
    if (state[root] !== 0) continue;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    const path: number[] = [root];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = edges[top.node]!;
      if (top.next >= targets.length) {
        state[top.node] = 2;
        stack.pop();
        path.pop();
        continue;
      }
      const to = targets[top.next++]!;
      if (state[to] === 0) {
        state[to] = 1;
        stack.push({ node: to, next: 0 });
        path.push(to);
      } else if (state[to] === 1) {
        const ring = path.slice(path.lastIndexOf(to));
        const key = canonical(ring);
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...ring, to].map((i) => subtasks[i]!.id));
        }
      }
    }
  }
  return cycles;
}

function canonical(ring: number[]): string {
  const start = ring.indexOf(Math.min(...ring));
  return [...ring.slice(start), ...ring.slice(0, start)].join(',');
}

/** For each node, every node it depends on directly or indirectly (the graph is acyclic here). */
function transitiveDeps(edges: number[][]): Set<number>[] {
  const memo: (Set<number> | undefined)[] = new Array<Set<number> | undefined>(edges.length);
  const order = postOrder(edges);
  for (const n of order) {
    const acc = new Set<number>();
    for (const d of edges[n]!) {
      acc.add(d);
      for (const a of memo[d]!) acc.add(a);
    }
    memo[n] = acc;
  }
  return memo.map((s) => s ?? new Set<number>());
}

function postOrder(edges: number[][]): number[] {
  const done = new Uint8Array(edges.length);
  const out: number[] = [];
  for (let root = 0; root < edges.length; root++) {
    if (done[root] === 1) continue;
    const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
    done[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = edges[top.node]!;
      if (top.next >= targets.length) {
        out.push(top.node);
        stack.pop();
        continue;
      }
      const to = targets[top.next++]!;
      if (done[to] === 0) {
        done[to] = 1;
        stack.push({ node: to, next: 0 });
      }
    }
  }
  return out;
}
