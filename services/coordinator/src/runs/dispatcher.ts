import { toErrorData, type QueueDefinition, type Run, type Subtask, type WorkItem } from '@baton/protocol';
import { leaseMsOf } from './lease-ms.js';
import type { Leases } from './leases.js';
import { activeCount, scheduleOf } from './run-dag.js';
import type { RunContext } from './run-context.js';
import { buildWorkItem, usesModel } from './work-item.js';

/**
 * Of a queue's de-dup window, what a publish of a recorded dispatch may still use: the record's time is taken before
 * the first publish, which may itself take a while, so the last part of the window is left as a margin.
 */
const REPUBLISH_MARGIN_MS = 20_000;

/** How long after its record a dispatch may be published again and still be dropped by the queue as a duplicate. */
function republishWindowMs(queue: QueueDefinition<WorkItem>): number {
  return Math.max(0, queue.duplicateWindowMs - REPUBLISH_MARGIN_MS);
}

/**
 * Dispatches a run's work: picks what is ready and fits (the run's concurrency, the coordinator's shared limit, the
 * model back-off) longest critical path first, builds the items, publishes them once recorded, publishes again a
 * recorded item whose publish failed, and after a restart those a crash may have left unpublished.
 */
export class Dispatcher {
  private readonly republishing = new Set<NodeJS.Timeout>();
  private disposed = false;

  constructor(
    private readonly ctx: RunContext,
    private readonly leases: Leases,
    /** The run as its steps see it now (a republish checks the attempt is still current). */
    private readonly current: () => Run,
    /** Runs a step of the run nobody awaits. */
    private readonly background: (step: () => Promise<void>) => void,
  ) {}

  /** The items of the attempts the run may dispatch now (none when nothing is ready or nothing fits). */
  async next(run: Run): Promise<WorkItem[]> {
    const active = activeCount(run);
    const free = Math.min(run.spec.limits.maxConcurrency - active, this.ctx.gate.free(run.id, active));
    if (free <= 0) return [];
    let { ready } = scheduleOf(run);
    // While the model API is overloaded, only work that needs no model goes out.
    if (this.ctx.gate.modelPaused()) ready = ready.filter((s) => !usesModel(s));
    const items: WorkItem[] = [];
    // Built before anything is recorded: a failure here (a snapshot that cannot be made) fails the step unwritten.
    for (const s of ready.slice(0, free)) items.push(await this.workItem(run, s, run.subtasks[s.id]!.attempt + 1));
    return items;
  }

  /**
   * Publishes recorded attempts, in the schedule's order. The record comes first: an item out before its record can
   * run as an attempt the coordinator does not know (bench/README.md, sixth session). A publish that fails once its
   * record landed is published again in the background while the attempt is current (its Result being redelivered
   * finds its own subtask already handled, so nothing else would send it).
   */
  async publish(items: readonly WorkItem[]): Promise<void> {
    const sent = await Promise.allSettled(items.map((item) => this.publishItem(item)));
    for (const [i, outcome] of sent.entries()) {
      if (outcome.status === 'fulfilled') continue;
      const { runId, subtask, attempt } = items[i]!;
      this.ctx.log.warn(
        { err: toErrorData(outcome.reason), runId, subtaskId: subtask.id, attempt },
        'dispatch recorded but not published: publishing it again shortly',
      );
      this.republish(subtask.id, attempt, 1_000);
    }
  }

  /**
   * After a restart: a dispatch may have been recorded without its publish reaching the queue, so each one still in
   * the queue's de-dup window is published again with the same message id (dropped as a duplicate when it did
   * arrive); past it a copy would run twice, and the attempt's lease, re-armed for what is left of it, covers a
   * lost publish.
   */
  async resume(run: Run): Promise<void> {
    for (const subtask of run.plan?.subtasks ?? []) {
      const st = run.subtasks[subtask.id];
      if (st?.status !== 'dispatched') continue;
      if (Date.now() - st.updatedAt < this.windowOf(subtask))
        await this.publishItem(await this.workItem(run, subtask, st.attempt));
      const left = leaseMsOf(run, subtask.id, this.ctx.leaseMs) - (Date.now() - st.updatedAt);
      this.leases.arm(subtask.id, st.attempt, Math.max(1_000, left));
    }
  }

  /** Stops pending republishes (the run finished, or the coordinator stops). */
  dispose(): void {
    this.disposed = true;
    for (const t of this.republishing) clearTimeout(t);
  }

  private windowOf(subtask: Subtask): number {
    return republishWindowMs(this.ctx.queues.work(subtask.kind));
  }

  /** Publishes a recorded attempt again after `delayMs`, backing off, while it is current and within the window. */
  private republish(subtaskId: string, attempt: number, delayMs: number): void {
    if (this.disposed) return;
    const timer = setTimeout(() => {
      this.republishing.delete(timer);
      this.background(async () => {
        const run = this.current();
        const st = run.subtasks[subtaskId];
        const subtask = run.plan?.subtasks.find((s) => s.id === subtaskId);
        if (this.disposed || !subtask || st?.status !== 'dispatched' || st.attempt !== attempt) return;
        if (Date.now() - st.updatedAt >= this.windowOf(subtask)) return;
        try {
          await this.publishItem(await this.workItem(run, subtask, attempt));
        } catch (err) {
          this.ctx.log.warn(
            { err: toErrorData(err), runId: run.id, subtaskId, attempt },
            'publishing a dispatch failed again',
          );
          this.republish(subtaskId, attempt, Math.min(delayMs * 2, 30_000));
        }
      });
    }, delayMs);
    timer.unref();
    this.republishing.add(timer);
  }

  /** The work item of one attempt. */
  private async workItem(run: Run, subtask: Subtask, attempt: number): Promise<WorkItem> {
    // Independent first attempts start from the run's base (shards stay disjoint, workers share one
    // checkout); work that depends on merged work, or lost a merge, starts from the branch head.
    const baseCommit =
      subtask.deps.length === 0 && (run.subtasks[subtask.id]?.conflicts ?? 0) === 0
        ? run.baseCommit!
        : await this.ctx.merger.head(run.id);
    return buildWorkItem(run, subtask, attempt, baseCommit, await this.ctx.repoSource(run, baseCommit));
  }

  /** Publishes an attempt's item; its message id makes a second publish of the same attempt a duplicate the queue drops. */
  private async publishItem(item: WorkItem): Promise<void> {
    await this.ctx.workQueues[item.subtask.kind].publish(item, {
      msgId: `${item.runId}.${item.subtask.id}.${item.attempt}`,
    });
    this.ctx.log.debug(
      { runId: item.runId, subtaskId: item.subtask.id, attempt: item.attempt, kind: item.subtask.kind },
      'dispatched',
    );
  }
}
