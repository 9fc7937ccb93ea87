import { RunPlans, type Bus } from '@baton/bus';
import { RunRecord, isFinalStatus, resourceNamesFor, type Run } from '@baton/protocol';
import { createSignal } from './within.js';

/** A live view of one run's KV record (with its plan). */
export interface RunWatch {
  /** The record as last seen (undefined before the first one). */
  latest(): Run | undefined;
  /** Resolves with the record once `condition` holds for it (bounded). */
  until(condition: (run: Run) => boolean, ms: number, what: string): Promise<Run>;
  /** Resolves with the record once the run is final (bounded). */
  final(ms: number): Promise<Run>;
  stop(): void;
}

/** Follows a run through a KV watch of the runs bucket (works with any coordinator, in this process or not). */
export async function watchRun(bus: Bus, runId: string): Promise<RunWatch> {
  const kv = await bus.kv(resourceNamesFor(bus.subjects.prefix).runsBucket, RunRecord, { history: 1 });
  const plans = await RunPlans.open(bus);
  const abort = new AbortController();
  const signal = createSignal();
  let latest: Run | undefined;
  void (async () => {
    for await (const change of kv.watch({ key: runId, signal: abort.signal })) {
      if (change.value === undefined) continue;
      latest = await plans.assemble(change.value);
      signal.notify();
    }
  })().catch((err: unknown) => {
    // An abort ends the watch on purpose; anything else must surface as an unhandled rejection.
    if (!abort.signal.aborted) throw err;
  });
  const until = async (condition: (run: Run) => boolean, ms: number, what: string): Promise<Run> => {
    await signal.until(
      () => latest !== undefined && condition(latest),
      ms,
      `${what} (run ${runId}, last status ${latest?.status ?? 'none'})`,
    );
    return latest!;
  };
  return {
    latest: () => latest,
    until,
    final: (ms) => until((r) => isFinalStatus(r.status), ms, 'the run to finish'),
    stop: () => abort.abort(),
  };
}
