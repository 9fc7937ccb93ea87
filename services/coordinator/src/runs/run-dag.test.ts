import type { Run, SubtaskStatus } from '@baton/protocol';
import { describe, expect, it } from 'vitest';
import { createSchedule, type Schedule } from '../schedule/create-schedule.js';
import { NodeStatus } from '../schedule/node-status.js';
import { activeCount, scheduleOf, subtaskWeight } from './run-dag.js';
import { runOf, subtask } from './run-fixture.js';

/** A seeded pseudo-random sequence (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A run's record status standing for a scheduler node's status. */
const RECORDED: Record<NodeStatus, SubtaskStatus> = {
  waiting: 'pending',
  ready: 'pending',
  blocked: 'pending',
  running: 'dispatched',
  done: 'merged',
  failed: 'failed',
};

describe('scheduleOf (production readiness and priority)', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])(
    'agrees with the scheduler the simulator drives, step by step, on random DAG %i',
    (seed) => {
      const rand = random(seed);
      const kinds = ['editor', 'shell', 'tester'] as const;
      const subtasks = Array.from({ length: 40 }, (_, i) => {
        const deps = Array.from({ length: i }, (_, d) => `s${String(d).padStart(2, '0')}`).filter(() => rand() < 0.06);
        return subtask(`s${String(i).padStart(2, '0')}`, kinds[Math.floor(rand() * 3)], deps);
      });
      const schedule: Schedule = createSchedule(
        subtasks.map((s) => ({ id: s.id, deps: s.deps, weight: subtaskWeight(s) })),
      );
      const recordOf = (): Run =>
        runOf(subtasks, Object.fromEntries(subtasks.map((s) => [s.id, { status: RECORDED[schedule.status(s.id)] }])));
      for (let turn = 0; !schedule.isFinished(); turn++) {
        const run = recordOf();
        const production = scheduleOf(run);
        expect(production.ready.map((s) => s.id)).toEqual(schedule.ready());
        expect(production.canProgress).toBe(schedule.counts().ready + schedule.counts().waiting > 0);
        expect(activeCount(run)).toBe(schedule.counts().running);
        schedule.take(1 + Math.floor(rand() * 3));
        const running = subtasks.filter((s) => schedule.status(s.id) === NodeStatus.running);
        const pick = running[Math.floor(rand() * running.length)];
        if (!pick) continue;
        const roll = rand();
        if (roll < 0.1) schedule.markFailed(pick.id);
        else if (roll < 0.2) schedule.requeue(pick.id);
        else schedule.markDone(pick.id);
      }
      expect(scheduleOf(recordOf()).canProgress).toBe(false);
    },
  );

  it('has nothing to schedule before the plan', () => {
    expect(scheduleOf({ ...runOf([]), plan: undefined })).toEqual({ ready: [], canProgress: false });
  });
});
