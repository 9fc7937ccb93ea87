import type { Bus } from '@baton/bus';
import type { Logger } from '@baton/log';
import { RunStatusSchema, WorkCancel, isFinalStatus, resourceNamesFor } from '@baton/protocol';
import { z } from 'zod';

/** How often a worker re-reads a run's record to learn whether it stopped (cancel broadcasts are immediate). */
const RUN_CHECK_MS = 2_000;

/**
 * What a worker reads of a run's record: its status. The record holds one state per subtask (up to ~1 MiB in a large
 * run) and the worker re-reads it every RUN_CHECK_MS while the run has items: validated whole, a read of a 2,500-subtask
 * record blocked the worker's event loop for ~18 ms, ~9 ms with this view (the rest is JSON.parse). The coordinator,
 * the record's only writer, validates it whole.
 */
const RunStatusView = z.object({ status: RunStatusSchema });

/** Whether a run has stopped, as far as the worker knows, and why (the cancel's reason or the run's status). */
export type RunStop = { stopped: false } | { stopped: true; reason: string };

const LIVE: RunStop = { stopped: false };

/** Options of watchRunStops. */
export interface RunStopWatchOptions {
  bus: Bus;
  log: Logger;
  /** Called each time the worker learns that a run stopped: the worker cancels the run's items in hand. */
  onStop: (runId: string, reason: string) => void;
  /** How old the last answer may be before a check refreshes it. Default RUN_CHECK_MS. */
  refreshMs?: number;
}

/** The one place a worker learns that a run stopped. */
export interface RunStopWatch {
  /**
   * Whether the run has stopped: at once from what is known (the last answer, refreshed in the background once older
   * than RUN_CHECK_MS), or a promise of the run's first read when none has answered yet.
   */
  check(runId: string): RunStop | Promise<RunStop>;
  close(): Promise<void>;
}

interface Check {
  at: number;
  answered: boolean;
  reading?: Promise<RunStop>;
}

/**
 * Watches for stopped runs, so items of a stopped run are dropped unrun and items in hand are cancelled: the cancel
 * broadcast marks a run stopped at once; a run's record (its states, one entry per subtask; the plan is stored apart)
 * is read once before the run's first item, and later items go by the last answer, refreshed in the background when
 * it is older than RUN_CHECK_MS, so no read sits between a freed slot and the next item. An item started on the last
 * answer is cancelled when the refresh finds the run stopped.
 */
export async function watchRunStops(options: RunStopWatchOptions): Promise<RunStopWatch> {
  const { bus, log, onStop } = options;
  const refreshMs = options.refreshMs ?? RUN_CHECK_MS;
  const runs = await bus.kv(resourceNamesFor(bus.subjects.prefix).runsBucket, RunStatusView);
  const stopped = new Set<string>();
  const checks = new Map<string, Check>();

  const read = (runId: string): Promise<RunStop> => {
    const check = checks.get(runId) ?? { at: 0, answered: false };
    checks.set(runId, check);
    check.at = Date.now();
    const reading = runs
      .get(runId)
      .then(
        (run): RunStop => {
          if (!run || !isFinalStatus(run.value.status)) return LIVE;
          const reason = `the run is ${run.value.status}`;
          stopped.add(runId);
          checks.delete(runId);
          onStop(runId, reason);
          return { stopped: true, reason };
        },
        (err: unknown) => {
          log.warn({ err, runId }, 'could not read the run; working on its items anyway');
          return LIVE;
        },
      )
      .finally(() => {
        check.answered = true;
        if (check.reading === reading) delete check.reading;
      });
    check.reading = reading;
    return reading;
  };

  const cancels = bus.subscribe(bus.subjects.workCancelAll(), WorkCancel, (msg) => {
    stopped.add(msg.runId);
    onStop(msg.runId, msg.reason);
  });

  return {
    check: (runId) => {
      if (stopped.has(runId)) return { stopped: true, reason: 'the run has stopped' };
      const check = checks.get(runId);
      if (check === undefined) return read(runId);
      if (!check.answered) return check.reading ?? read(runId);
      if (check.reading === undefined && Date.now() - check.at >= refreshMs) void read(runId);
      return LIVE;
    },
    close: () => cancels.unsubscribe(),
  };
}
