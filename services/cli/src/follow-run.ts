import type { Bus } from '@baton/bus';
import { Run, isFinalStatus, resourceNamesFor } from '@baton/protocol';

/** Calls `onUpdate` with every new version of the run's record and resolves with the final one. */
export async function followRun(bus: Bus, runId: string, onUpdate: (run: Run) => void, signal?: AbortSignal): Promise<Run> {
  const kv = await bus.kv(resourceNamesFor(bus.subjects.prefix).runsBucket, Run);
  const controller = new AbortController();
  signal?.addEventListener('abort', () => controller.abort(), { once: true });
  for await (const change of kv.watch({ key: runId, signal: controller.signal })) {
    if (change.op !== 'put' || !change.value) continue;
    onUpdate(change.value);
    if (isFinalStatus(change.value.status)) {
      controller.abort();
      return change.value;
    }
  }
  const last = await kv.get(runId);
  if (!last) throw new Error(`run ${runId} disappeared`);
  return last.value;
}
