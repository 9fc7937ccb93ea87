import type { ErrorData, Run, SubtaskState } from '@baton/protocol';

/**
 * The run with some subtasks' states changed, copied on write: the run, its map of states and each changed state are
 * new objects; everything else (the spec, the plan, other states) is shared, never mutated. A step's change costs
 * one copy of the map, not a copy of the record (a structured clone cost ~0.2 ms per change at 50 subtasks).
 */
export function patchSubtasks(run: Run, patches: Iterable<readonly [string, Partial<SubtaskState>]>): Run {
  const subtasks = { ...run.subtasks };
  for (const [id, patch] of patches) subtasks[id] = { ...subtasks[id]!, ...patch };
  return { ...run, subtasks };
}

/** The run with one subtask's state changed (see patchSubtasks). */
export function patchSubtask(run: Run, id: string, patch: Partial<SubtaskState>): Run {
  return patchSubtasks(run, [[id, patch]]);
}

/**
 * How a run's record keeps an error the coordinator raised: its name and message only. The record holds every
 * subtask's error and must fit in one message, so the error's fields (in its message already) are not repeated as
 * data; the name is the one the record has always carried.
 */
export function recordedError(err: Error): ErrorData {
  return { name: err.name, message: err.message };
}
