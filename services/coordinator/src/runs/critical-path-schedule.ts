import type { Run, Subtask } from '@baton/protocol';
import { createSchedule, type Schedule } from '../schedule/create-schedule.js';
import type { SchedulePort } from './ports.js';

/** Estimated cost of a subtask, for critical-path priority: model work is slow, recipe shards scale with their files. */
export function subtaskWeight(s: Subtask): number {
  if (s.kind === 'editor') return s.program ? 1 + s.program.files.length / 25 : 20;
  return s.kind === 'tester' ? 5 : 2;
}

/**
 * Orders ready subtasks longest remaining critical path first (ties by id), from a schedule built
 * over the run's plan; rebuilt when repair subtasks grow the plan. Readiness itself comes from the
 * run record (the durable truth), so this holds no state that a restart could lose.
 */
export function criticalPathSchedule(): SchedulePort {
  const cache = new Map<string, { size: number; schedule: Schedule }>();
  return {
    order(run: Run, readyIds: string[]): string[] {
      const subtasks = run.plan?.subtasks ?? [];
      let entry = cache.get(run.id);
      if (!entry || entry.size !== subtasks.length) {
        entry = {
          size: subtasks.length,
          schedule: createSchedule(subtasks.map((s) => ({ id: s.id, deps: s.deps, weight: subtaskWeight(s) }))),
        };
        cache.set(run.id, entry);
      }
      const { schedule } = entry;
      return [...readyIds].sort(
        (a, b) => schedule.criticalPath(b) - schedule.criticalPath(a) || (a < b ? -1 : a > b ? 1 : 0),
      );
    },
  };
}
