import { describe, expect, it } from 'vitest';
import { lowerBound, simulate } from './simulate.js';

describe('simulate and lowerBound', () => {
  it('finishes a chain exactly at its bound (the critical path)', () => {
    const chain = [
      { id: 's1', deps: [], weight: 1 },
      { id: 's2', deps: ['s1'], weight: 2 },
      { id: 's3', deps: ['s2'], weight: 3 },
      { id: 's4', deps: ['s3'], weight: 4 },
    ];
    expect(lowerBound(chain, 2)).toBe(10);
    expect(simulate(chain, 2).makespan).toBe(10);
  });

  it('schedules a fan-out/fan-in DAG on 2 slots at its optimum', () => {
    const dag = [
      { id: 'root', deps: [], weight: 1 },
      { id: 'a', deps: ['root'], weight: 3 },
      { id: 'b', deps: ['root'], weight: 3 },
      { id: 'c', deps: ['root'], weight: 2 },
      { id: 'd', deps: ['root'], weight: 2 },
      { id: 'sink', deps: ['a', 'b', 'c', 'd'], weight: 1 },
    ];
    // Work 12 over 2 slots = 6 > critical path 5; the true optimum is 1 + 10/2 + 1 = 7.
    expect(lowerBound(dag, 2)).toBe(6);
    const result = simulate(dag, 2);
    expect(result.makespan).toBe(7);
    expect(result.runs.map((r) => `${r.id}@${r.start}`)).toEqual(['root@0', 'a@1', 'b@1', 'c@4', 'd@4', 'sink@6']);
  });

  it('runs the long chain first, reaching the bound where id order would not', () => {
    const dag = [
      { id: 'a', deps: [], weight: 2 },
      { id: 'b', deps: [], weight: 2 },
      { id: 'z1', deps: [], weight: 1 },
      { id: 'z2', deps: ['z1'], weight: 4 },
    ];
    expect(lowerBound(dag, 2)).toBe(5);
    expect(simulate(dag, 2).makespan).toBe(5);
    // With actual durations differing from the estimates, the plan still follows the estimates.
    expect(simulate(dag, 2, { z2: 1 }).makespan).toBe(4);
  });
});

describe('simulate on random DAGs', () => {
  it('respects dependencies and slots, never beats the lower bound, and is deterministic', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const n = 5 + Math.floor(random() * 60);
      const id = (i: number) => `t${String(i).padStart(3, '0')}`;
      const dag = Array.from({ length: n }, (_, i) => ({
        id: id(i),
        deps: i === 0 ? [] : Array.from({ length: Math.floor(random() * 3) }, () => id(Math.floor(random() * i))),
        weight: Math.floor(random() * 6),
      }));
      const slots = 1 + Math.floor(random() * 4);
      const result = simulate(dag, slots);
      expect(simulate(dag, slots)).toEqual(result);
      expect(result.runs).toHaveLength(n);
      expect(result.makespan).toBeGreaterThanOrEqual(lowerBound(dag, slots));
      const end = new Map(result.runs.map((r) => [r.id, r.end]));
      for (const run of result.runs) {
        for (const dep of dag.find((d) => d.id === run.id)!.deps)
          expect(run.start).toBeGreaterThanOrEqual(end.get(dep)!);
        const concurrent = result.runs.filter((r) => r.start <= run.start && run.start < r.end).length;
        expect(concurrent).toBeLessThanOrEqual(slots);
      }
      // One slot: no idle time, the makespan is exactly the total work.
      expect(simulate(dag, 1).makespan).toBe(dag.reduce((sum, d) => sum + d.weight, 0));
    }
  });
});
