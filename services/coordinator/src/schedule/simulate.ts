import { createSchedule } from './create-schedule.js';
import { compareIds, resolveNodes, type DagNode } from './dag.js';
import { InvalidSlotsError, InvalidWeightError } from './errors.js';

/** When one node ran in a simulation. */
interface SimulatedRun {
  id: string;
  start: number;
  end: number;
}

/** A simulated execution of a DAG. */
export interface SimulationResult {
  /** When the last node finished. */
  makespan: number;
  /** Every node, in dispatch order. */
  runs: SimulatedRun[];
}

function checkSlots(slots: number): void {
  if (!Number.isInteger(slots) || slots < 1) throw new InvalidSlotsError(slots);
}

/**
 * Runs the DAG through the scheduler on `slots` parallel slots with no failures: each node takes
 * `durations[id]` (default its weight) while priorities use the weights, so estimates can differ
 * from actual durations. Deterministic.
 * @example simulate([{ id: 'a', deps: [], weight: 2 }, { id: 'b', deps: ['a'], weight: 3 }], 2).makespan; // 5
 */
export function simulate(
  dag: readonly DagNode[],
  slots: number,
  durations: Readonly<Record<string, number>> = {},
): SimulationResult {
  checkSlots(slots);
  const schedule = createSchedule(dag);
  const weights = new Map(dag.map((n) => [n.id, n.weight ?? 1]));
  const durationOf = (id: string): number => {
    const d = durations[id] ?? weights.get(id)!;
    if (!Number.isFinite(d) || d < 0) throw new InvalidWeightError(id, d);
    return d;
  };
  const runs: SimulatedRun[] = [];
  let running: SimulatedRun[] = [];
  let now = 0;
  // Each turn finishes at least one node, so the loop ends after at most dag.length turns.
  for (;;) {
    for (const id of schedule.take(slots - running.length)) {
      const run = { id, start: now, end: now + durationOf(id) };
      runs.push(run);
      running.push(run);
    }
    if (running.length === 0) break;
    now = Math.min(...running.map((r) => r.end));
    const finished = running.filter((r) => r.end === now).sort((a, b) => compareIds(a.id, b.id));
    running = running.filter((r) => r.end !== now);
    for (const r of finished) schedule.markDone(r.id);
  }
  return { makespan: now, runs };
}

/**
 * No schedule on `slots` slots can finish sooner than this: the longer of the critical path
 * (heaviest dependency chain) and the total work spread evenly over the slots.
 */
export function lowerBound(dag: readonly DagNode[], slots: number): number {
  checkSlots(slots);
  const nodes = resolveNodes(dag);
  const finish = new Map<string, number>();
  let total = 0;
  for (const n of nodes) {
    total += n.weight;
    finish.set(n.id, n.weight + Math.max(0, ...n.deps.map((d) => finish.get(d)!)));
  }
  return Math.max(0, ...finish.values(), total / slots);
}
