import { RunPlans, type Bus } from '@baton/bus';
import { RunRecord, isFinalStatus, resourceNamesFor, type Run } from '@baton/protocol';

/** Calls `onUpdate` with every new version of the run (its record with its plan) and resolves with the final one. */
export async function followRun(
  bus: Bus,
  runId: string,
  onUpdate: (run: Run) => void,
  signal?: AbortSignal,
): Promise<Run> {
  const kv = await bus.kv(resourceNamesFor(bus.subjects.prefix).runsBucket, RunRecord);
  const plans = await RunPlans.open(bus);
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  for await (const change of kv.watch({ key: runId, signal: controller.signal })) {
    if (change.op !== 'put' || !change.value) continue;
    const run = await plans.assemble(change.value);
    onUpdate(run);
    if (isFinalStatus(run.status)) {
      controller.abort();
      return run;
    }
  }
  const last = await kv.get(runId);
  if (!last) throw new Error(`run ${runId} disappeared`);
  return plans.assemble(last.value);
}
