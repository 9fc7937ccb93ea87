/**
 * Part (b) of bench/run.bench.ts, the coordinator's loop alone: the chain plan run by the real planner and coordinator
 * with an "instant worker" in place of the real one. It takes each work item and answers it at once with an ok Result
 * (no worktree, no git, no agent), optionally after a pause standing for the subtask's work. Timed per link: from the
 * Result's publish to the next item's arrival, the Result consumed, recorded with the next dispatch, the item
 * published and pulled. With no pause the loop runs hot; with one, each link starts on a CPU that sat idle meanwhile
 * (caches cold, clock down), as a real subtask leaves it.
 */
import { performance } from 'node:perf_hooks';
import { startCoordinator } from '@baton/coordinator';
import { startPlanner } from '@baton/planner';
import { RunSpec, emptyUsage, queuesFor, type Result } from '@baton/protocol';
import type { StackBuses } from './orchestration-stack.js';

/** The gaps of one run. */
export interface InstantChain {
  status: string;
  links: number;
  p50: number;
  mean: number;
}

/** Runs the chain of `packages` in `repo` with an instant worker pausing `pauseMs` per item; the first 5 links warm up. */
export async function runInstantWorkerChain(
  buses: StackBuses,
  repo: string,
  packages: string,
  pauseMs: number,
): Promise<InstantChain> {
  const planner = startPlanner({ bus: buses.planner });
  const coordinator = await startCoordinator({ bus: buses.coordinator });
  const queues = queuesFor(buses.worker.subjects.prefix);
  const results = await buses.worker.workQueue(queues.results());
  const stop = new AbortController();
  const gaps: number[] = [];
  let sentAt: number | undefined;
  const workers = (['shell', 'tester'] as const).map(async (kind) => {
    const queue = await buses.worker.workQueue(queues.work(kind));
    for await (const delivery of queue.consume({ maxInFlight: 2, signal: stop.signal })) {
      if (sentAt !== undefined) gaps.push(performance.now() - sentAt);
      const item = delivery.data;
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const now = Date.now();
      const result: Result = {
        v: 1,
        runId: item.runId,
        subtaskId: item.subtask.id,
        attempt: item.attempt,
        workerId: 'instant',
        ok: true,
        stop: 'completed',
        baseCommit: item.baseCommit,
        diff: '',
        filesChanged: [],
        commands: [],
        usage: emptyUsage(),
        summary: '',
        startedAt: now,
        finishedAt: now,
      };
      sentAt = performance.now();
      await results.publish(result, {
        subject: buses.worker.subjects.results(item.runId),
        msgId: `${item.runId}.${item.subtask.id}.${item.attempt}`,
      });
      await delivery.ack();
    }
  });
  try {
    const spec = RunSpec.parse({
      v: 1,
      repo: { path: repo },
      recipe: { kind: 'command', command: 'true', packages },
      testCommands: [],
      limits: { maxSubtasks: 100_000, maxConcurrency: 10_000 },
    });
    const { runId } = await coordinator.submit(spec);
    const run = await coordinator.waitForRun(runId);
    const timed = gaps.slice(5).sort((a, b) => a - b);
    return {
      status: run.status === 'succeeded' ? 'succeeded' : `${run.status}: ${run.detail ?? ''}`.slice(0, 200),
      links: timed.length,
      p50: timed[Math.floor(timed.length / 2)] ?? Number.NaN,
      mean: timed.reduce((a, b) => a + b, 0) / Math.max(1, timed.length),
    };
  } finally {
    stop.abort();
    await Promise.all(workers);
    await coordinator.stop();
    await planner.stop();
  }
}
