import type { Kv } from '@baton/bus';
import type { RunRecord, SubtaskStatus } from '@baton/protocol';

/** One change of a subtask's status or attempt, as written to the runs bucket. */
interface SubtaskTransition {
  subtaskId: string;
  status: SubtaskStatus;
  attempt: number;
}

/** A live record of every subtask transition of every run written to `runs`, in write order. */
export interface TransitionLog {
  readonly transitions: readonly SubtaskTransition[];
  /** Index of the first transition of `subtaskId` into `status` (and `attempt`, when given), or -1. */
  indexOf(subtaskId: string, status: SubtaskStatus, attempt?: number): number;
  stop(): void;
}

/** Watches the coordinator's runs bucket and records each subtask transition (start it before submitting). */
export function recordTransitions(runs: Kv<RunRecord>): TransitionLog {
  const abort = new AbortController();
  const transitions: SubtaskTransition[] = [];
  const last = new Map<string, string>();
  void (async () => {
    for await (const change of runs.watch({ initial: false, signal: abort.signal })) {
      for (const [subtaskId, st] of Object.entries(change.value?.subtasks ?? {})) {
        const key = `${change.key}/${subtaskId}`;
        const now = `${st.status}#${st.attempt}`;
        if (last.get(key) === now) continue;
        last.set(key, now);
        transitions.push({ subtaskId, status: st.status, attempt: st.attempt });
      }
    }
  })();
  return {
    transitions,
    indexOf: (subtaskId, status, attempt) =>
      transitions.findIndex(
        (t) => t.subtaskId === subtaskId && t.status === status && (attempt === undefined || t.attempt === attempt),
      ),
    stop: () => abort.abort(),
  };
}
