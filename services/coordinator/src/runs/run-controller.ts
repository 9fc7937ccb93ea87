import {
  BusClosedError,
  MessageTooLargeError,
  NoRespondersError,
  RequestTimeoutError,
  type Bus,
  type WorkQueue,
} from '@baton/bus';
import type { Logger } from '@baton/log';
import {
  ENVIRONMENT_SETUP_FAILED,
  WorkCancel,
  addUsage,
  isFinalStatus,
  toErrorData,
  type Plan,
  type PlanRequest,
  type Result,
  type Run,
  type RunStatus,
  type StopReason,
  type Subtask,
  type SubtaskState,
  type SubtaskStatus,
  type WorkItem,
  type AgentKind,
  type RepoSource,
} from '@baton/protocol';
import { exceededBudget } from './budget.js';
import { describeFailedCommand, failureDiff, formatFailures } from './failure-report.js';
import { newSubtaskState, recordOverflow } from './run-record-size.js';
import { ACTIVE, DONE, activeCount, anyPendingCanRun, readySubtasks } from './run-progress.js';
import { buildWorkItem, trustedCommandsOf, usesModel } from './work-item.js';
import { requestPlan } from './plan-request.js';
import type { DispatchGate } from './dispatch-gate.js';
import type { MergePort, SchedulePort } from './ports.js';
import { cloneRun, type RunStore } from './run-store.js';

/** Re-publishing a dispatch is only safe while the work queue still drops it as a duplicate (its window is 2 min). */
const DEDUP_WINDOW_MS = 100_000;

/** Everything a run controller uses, shared by all runs of one coordinator. */
export interface RunContext {
  bus: Bus;
  store: RunStore;
  merger: MergePort;
  schedule: SchedulePort;
  workQueues: Record<AgentKind, WorkQueue<WorkItem>>;
  /** Where a worker gets the repository holding `commit` (the local path, or a published snapshot of it). */
  repoSource: (run: Run, commit: string) => Promise<RepoSource>;
  log: Logger;
  /** Plan requests can take a model several minutes. */
  planTimeoutMs: number;
  /** Conflict re-dispatches of one subtask before the planner is asked for a resolve subtask. */
  maxConflictRetries: number;
  /** How long an attempt may take (when its budget sets no wall time) before it is re-dispatched as a new attempt. */
  leaseMs: number;
  /** Called when a run reaches a final status. */
  onFinished: (run: Run) => void;
  /** The global concurrency limit and the model back-off, shared by every run. */
  gate: DispatchGate;
  /** Pause of model work when a worker reports 429/529 without a retry-after. */
  modelBackoffMs: number;
}

/**
 * Drives one run: plan, dispatch ready subtasks (longest critical path first), take results of the
 * current attempt only, merge exactly once, repair failures through the planner, stop on success,
 * cancel, a budget or an unrepairable failure. Events for a run are handled one at a time, in order;
 * every change is written to KV (compare-and-set) before anything is sent, so a restarted
 * coordinator resumes from KV.
 */
export class RunController {
  private chain: Promise<unknown> = Promise.resolve();
  private wallTimer: NodeJS.Timeout | undefined;
  private readonly leases = new Map<string, NodeJS.Timeout>();
  private readonly republishing = new Set<NodeJS.Timeout>();
  private disposed = false;
  /** Stale results whose usage was counted (a redelivered copy is not counted again). */
  private readonly countedStale = new Set<string>();
  /**
   * Aborted by a cancel or the wall-time budget: a plan or repair request (minutes with a model) is
   * abandoned so the stop queued behind it runs at once, and nothing more is dispatched meanwhile.
   */
  private readonly interrupt = new AbortController();
  /** Opening the integration branch, which runs alongside planning: a run that stops meanwhile waits for it. */
  private opening: Promise<void> | undefined;

  /** Changes applied to `run` but not yet written (see stage); `written` is the run as last written or read. */
  private staged: ((run: Run) => void)[] = [];
  private written: Run;

  constructor(
    private run: Run,
    private readonly ctx: RunContext,
  ) {
    this.written = run;
  }

  get id(): string {
    return this.run.id;
  }

  /** The run as last written. */
  get current(): Run {
    return this.run;
  }

  /** The subtask with this id in the run's plan. */
  subtask(id: string): Subtask | undefined {
    return this.run.plan?.subtasks.find((s) => s.id === id);
  }

  /** Starts (or, after a restart, resumes) the run. */
  start(): Promise<void> {
    const remaining = this.run.spec.limits.maxWallMs - (Date.now() - this.run.createdAt);
    this.wallTimer = setTimeout(
      () => {
        this.interrupt.abort();
        this.background(async () => void (await this.checkBudgets()));
      },
      Math.max(0, remaining) + 10,
    );
    return this.enqueue(async () => {
      if (this.run.status === 'queued' || this.run.status === 'planning') {
        // The branch and (on NATS) the base snapshot the first dispatches need are made while the planner plans.
        const opening = (this.opening = this.ctx.merger.open(this.run));
        const publishing = this.ctx.repoSource(this.run, this.run.baseCommit!).catch((err: unknown) => {
          this.ctx.log.warn(
            { err: toErrorData(err), runId: this.run.id },
            'could not publish the base snapshot early; the first dispatch publishes it',
          );
        });
        try {
          await this.plan();
        } finally {
          await publishing;
        }
        await opening;
      } else {
        await this.ctx.merger.open(this.run);
        await this.ctx.merger.recover(this.run);
        // A dispatch may have been recorded without its publish reaching the queue: publish again
        // with the same message id (the queue drops it as a duplicate when it did arrive).
        for (const [id, st] of Object.entries(this.run.subtasks)) {
          if (st.status !== 'dispatched') continue;
          // Outside the de-dup window a copy would run twice; the attempt's lease covers a lost publish there.
          if (Date.now() - st.updatedAt < DEDUP_WINDOW_MS) await this.publishItem(await this.workItem(id, st.attempt));
          this.lease(id, st.attempt, Math.max(1_000, this.leaseMsOf(id) - (Date.now() - st.updatedAt)));
        }
      }
      await this.pump();
    });
  }

  /** Dispatches again if slots or the model became available (called by the shared gate). */
  nudge(): void {
    this.background(() => this.pump());
  }

  /** Handles one result from a worker. */
  onResult(result: Result): Promise<void> {
    return this.enqueue(() => this.handleResult(result));
  }

  /** Cancels the run: no new work; work in hand is told to stop; the branch is kept. */
  cancel(reason: string): Promise<void> {
    this.interrupt.abort();
    return this.enqueue(() => this.finish('cancelled', 'cancelled', reason));
  }

  /** Stops timers (coordinator shutdown); the run stays as recorded and resumes on the next start. */
  dispose(): void {
    clearTimeout(this.wallTimer);
    this.disposed = true;
    for (const t of this.leases.values()) clearTimeout(t);
    for (const t of this.republishing) clearTimeout(t);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (isFinalStatus(this.run.status)) return;
      try {
        await step();
        if (this.staged.length > 0) await this.update(() => undefined);
      } catch (err) {
        // What the step staged was never written: the run is what KV holds (a redelivered result is handled anew).
        this.staged = [];
        this.run = this.written;
        if (isTransient(err)) throw err; // the bus or KV is down: the caller retries (a result is redelivered)
        this.ctx.log.error({ err, runId: this.run.id }, 'run failed on an internal error');
        await this.finish(
          'failed',
          'internal_error',
          `internal error: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    });
    // A failed step must not wedge the run: later steps still run (and may succeed once KV is back).
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Runs a step nobody awaits (timers, nudges): its failure is logged, never an unhandled rejection. */
  private background(step: () => Promise<void>): void {
    this.enqueue(step).catch((err: unknown) =>
      this.ctx.log.error(
        { err, runId: this.run.id },
        'a background step of the run failed; it resumes on the next event or restart',
      ),
    );
  }

  /** Writes `change`, with the changes staged before it, in one compare-and-set. */
  private async update(change: (run: Run) => void): Promise<Run> {
    const changes = [...this.staged, change];
    this.staged = [];
    this.run = this.written = await this.ctx.store.update(this.run.id, (r) => {
      for (const c of changes) c(r);
      return r;
    });
    return this.run;
  }

  /**
   * Applies `change` to the run as this controller sees it and writes it with the next write of the same step (at
   * the latest when the step ends, before its result is acked): a Result and the dispatch it frees are one write.
   */
  private stage(change: (run: Run) => void): void {
    const next = cloneRun(this.run);
    change(next);
    this.run = next;
    this.staged.push(change);
  }

  /** Asks the planner for the run's plan, or for repair subtasks; a cancel or the wall-time budget abandons it. */
  private requestPlan(repair?: PlanRequest['repair']): Promise<Plan> {
    const { bus, store, log, planTimeoutMs } = this.ctx;
    return requestPlan(
      this.run,
      { bus, plans: store.plans, log, timeoutMs: planTimeoutMs, signal: this.interrupt.signal },
      repair,
    );
  }

  private async plan(): Promise<void> {
    await this.update((r) => void (r.status = 'planning'));
    let plan: Plan;
    try {
      plan = await this.requestPlan();
    } catch (err) {
      // Interrupted: the cancel or budget stop queued behind this step finishes the run.
      if (this.interrupt.signal.aborted) return;
      return this.finish(
        'failed',
        'plan_failed',
        `planning failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (plan.subtasks.length > this.run.spec.limits.maxSubtasks) {
      return this.finish(
        'failed',
        'budget_subtasks',
        `the plan has ${plan.subtasks.length} subtasks, budget ${this.run.spec.limits.maxSubtasks}`,
      );
    }
    const now = Date.now();
    const tooLarge = recordOverflow(this.run, plan, this.ctx.bus.maxPayload, now);
    if (tooLarge) return this.finish('failed', 'budget_subtasks', tooLarge);
    const trusted = trustedCommandsOf(this.run.spec, plan);
    await this.update((r) => {
      r.plan = plan;
      r.trustedCommands = trusted;
      r.status = 'running';
      for (const s of plan.subtasks) r.subtasks[s.id] = newSubtaskState(now);
    });
    this.ctx.log.info({ runId: this.run.id, subtasks: plan.subtasks.length }, 'plan accepted');
  }

  /** Dispatches every ready subtask the run's concurrency allows, then finishes the run if nothing is left. */
  private async pump(): Promise<void> {
    if (this.run.status !== 'running' || this.interrupt.signal.aborted) return;
    const active = activeCount(this.run);
    const ready = readySubtasks(this.run);
    const free = Math.min(this.run.spec.limits.maxConcurrency - active, this.ctx.gate.free(this.run.id, active));
    // While the model API is overloaded, only work that needs no model goes out.
    const dispatchable = this.ctx.gate.modelPaused() ? ready.filter((s) => !usesModel(s)) : ready;
    await this.dispatch(
      this.ctx.schedule
        .order(
          this.run,
          dispatchable.map((s) => s.id),
        )
        .slice(0, Math.max(0, free)),
    );
    this.ctx.gate.setActive(this.run.id, activeCount(this.run));
    const all = Object.values(this.run.subtasks);
    if (all.every((s) => DONE.has(s.status))) {
      return this.finish('succeeded', 'success', `${all.filter((s) => s.status !== 'skipped').length} subtasks done`);
    }
    if (!all.some((s) => ACTIVE.has(s.status)) && !anyPendingCanRun(this.run)) {
      const failed = Object.entries(this.run.subtasks).filter(([, s]) => s.status === 'failed');
      return this.finish(
        'failed',
        'unrepairable_failure',
        failed.map(([id, s]) => `${id}: ${s.error?.message ?? 'failed'}`).join('\n') || 'no subtask can run',
      );
    }
  }

  /**
   * Records the subtasks as dispatched (one write), then publishes them, in the schedule's order, and starts their
   * leases. The write comes first. Publishing while the write is in flight saves a durable round trip per link of a
   * chain (~0.3–0.5 ms on NATS here), but an item out before its record can run as an attempt the coordinator does not
   * know: when that write fails, redoing the step only drops the copy within the queue's de-dup window (past it a
   * second worker runs the same attempt, a model editor's tokens spent twice), and its Result may come before the step
   * is redone (tried and measured in bench/README.md, sixth session). A publish that fails once its write landed is
   * published again in the background while the attempt is current (its Result being redelivered finds its own
   * subtask already handled, so nothing else would send it).
   */
  private async dispatch(subtaskIds: readonly string[]): Promise<void> {
    if (subtaskIds.length === 0) return;
    const now = Date.now();
    const attempts = subtaskIds.map((id) => this.run.subtasks[id]!.attempt + 1);
    // Built first (a failure here, say a snapshot that cannot be made, fails the step before anything is written).
    const items: WorkItem[] = [];
    for (const [i, id] of subtaskIds.entries()) items.push(await this.workItem(id, attempts[i]!));
    await this.update((r) => {
      for (const [i, id] of subtaskIds.entries())
        Object.assign(r.subtasks[id]!, { status: 'dispatched', attempt: attempts[i], updatedAt: now });
    });
    const sent = await Promise.allSettled(items.map((item) => this.publishItem(item)));
    for (const [i, id] of subtaskIds.entries()) {
      const attempt = attempts[i]!;
      this.lease(id, attempt, this.leaseMsOf(id));
      const outcome = sent[i]!;
      if (outcome.status === 'fulfilled') continue;
      this.ctx.log.warn(
        { err: toErrorData(outcome.reason), runId: this.run.id, subtaskId: id, attempt },
        'dispatch recorded but not published: publishing it again shortly',
      );
      this.republish(id, attempt, 1_000);
    }
  }

  /**
   * Publishes a recorded attempt again after `delayMs`, backing off, while it is the current attempt and the queue
   * would still drop a copy of an earlier publish that did arrive (past that window the lease re-dispatches it).
   */
  private republish(subtaskId: string, attempt: number, delayMs: number): void {
    if (this.disposed) return;
    const timer = setTimeout(() => {
      this.republishing.delete(timer);
      this.background(async () => {
        const st = this.run.subtasks[subtaskId];
        if (
          this.disposed ||
          st?.status !== 'dispatched' ||
          st.attempt !== attempt ||
          Date.now() - st.updatedAt >= DEDUP_WINDOW_MS
        )
          return;
        try {
          await this.publishItem(await this.workItem(subtaskId, attempt));
        } catch (err) {
          this.ctx.log.warn(
            { err: toErrorData(err), runId: this.run.id, subtaskId, attempt },
            'publishing a dispatch failed again',
          );
          this.republish(subtaskId, attempt, Math.min(delayMs * 2, 30_000));
        }
      });
    }, delayMs);
    timer.unref();
    this.republishing.add(timer);
  }

  private leaseMsOf(subtaskId: string): number {
    const wall = this.subtask(subtaskId)?.budget.maxWallMs ?? this.run.spec.limits.perSubtask.maxWallMs;
    return wall !== undefined ? wall + 60_000 : this.ctx.leaseMs;
  }

  /**
   * An attempt holds a lease: when it runs out with no result, the subtask is dispatched again as a
   * new attempt (a retry), and any late result of the old attempt is rejected as stale.
   */
  private lease(subtaskId: string, attempt: number, ms: number): void {
    this.endLease(subtaskId);
    // A step that was running when the coordinator stopped arms no timer past its stop (the next start re-arms).
    if (this.disposed) return;
    const timer = setTimeout(() => {
      if (this.leases.get(subtaskId) === timer) this.leases.delete(subtaskId);
      this.background(async () => {
        const st = this.run.subtasks[subtaskId];
        if (st?.status !== 'dispatched' || st.attempt !== attempt) return;
        this.ctx.log.warn(
          { runId: this.run.id, subtaskId, attempt },
          'attempt lease expired: dispatching a new attempt',
        );
        if (attempt > this.run.spec.limits.maxRetriesPerSubtask) {
          return this.finish('failed', 'budget_retries', `${subtaskId}: ${attempt} attempts ran out of time`);
        }
        await this.setStatus(subtaskId, 'pending', {
          error: { name: 'LeaseExpired', message: `attempt ${attempt} sent no result in ${Math.round(ms / 1000)} s` },
        });
        await this.pump();
      });
    }, ms);
    timer.unref();
    this.leases.set(subtaskId, timer);
  }

  /** Stops the subtask's lease timer (its Result came, or a new attempt takes a new lease). */
  private endLease(subtaskId: string): void {
    clearTimeout(this.leases.get(subtaskId));
    this.leases.delete(subtaskId);
  }

  /** The work item of one attempt. */
  private async workItem(subtaskId: string, attempt: number): Promise<WorkItem> {
    const subtask = this.subtask(subtaskId)!;
    // Independent first attempts start from the run's base (shards stay disjoint, workers share one
    // checkout); work that depends on merged work, or lost a merge, starts from the branch head.
    const baseCommit =
      subtask.deps.length === 0 && (this.run.subtasks[subtaskId]?.conflicts ?? 0) === 0
        ? this.run.baseCommit!
        : await this.ctx.merger.head(this.run.id);
    return buildWorkItem(this.run, subtask, attempt, baseCommit, await this.ctx.repoSource(this.run, baseCommit));
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

  private async handleResult(result: Result): Promise<void> {
    const st = this.run.subtasks[result.subtaskId];
    const subtask = this.subtask(result.subtaskId);
    const log = this.ctx.log.child({ runId: this.run.id, subtaskId: result.subtaskId, attempt: result.attempt });
    if (!st || !subtask) return log.warn('result for a subtask not in the plan: dropped');
    if (result.attempt !== st.attempt) {
      // Its tokens were spent all the same: they count toward the run's budgets.
      const key = `${result.subtaskId}/${result.attempt}/${result.workerId}`;
      if (!this.countedStale.has(key)) {
        this.countedStale.add(key);
        await this.update((r) => void (r.usage = addUsage(r.usage, result.usage)));
      }
      return log.info({ current: st.attempt }, 'result of a stale attempt: rejected');
    }
    // `merging` here means a coordinator died mid-merge: its result was never acked and is redelivered;
    // merging it again is safe (the ledger and the branch's trailers make a landed merge a duplicate).
    const interruptedMerge = st.status === 'merging';
    if (st.status !== 'dispatched' && !interruptedMerge)
      return log.info({ status: st.status }, 'result already handled: duplicate dropped');
    this.endLease(result.subtaskId);

    const nothingToMerge = subtask.kind === 'tester' || (result.diff.trim() === '' && result.diffRef === undefined);
    if (!interruptedMerge) {
      // One change: the usage, and where a successful result goes next (so a restart never counts its usage twice).
      // A merge is recorded as started before it runs; otherwise the change goes with the step's next write.
      const taken = (r: Run) => {
        const s = r.subtasks[result.subtaskId]!;
        s.usage = addUsage(s.usage, result.usage);
        r.usage = addUsage(r.usage, result.usage);
        if (!result.ok) return;
        Object.assign(
          s,
          { status: nothingToMerge ? 'succeeded' : 'merging', updatedAt: Date.now() },
          nothingToMerge ? { filesChanged: 0 } : {},
        );
      };
      if (nothingToMerge || !result.ok) this.stage(taken);
      else await this.update(taken);
    } else log.info('resuming a merge interrupted by a coordinator restart');
    if (await this.checkBudgets()) return;

    if (!result.ok) return this.onFailure(subtask, result);
    if (nothingToMerge) return this.pump();
    const outcome = await this.ctx.merger.merge(this.run, result, st.attempt, `${subtask.title}`);
    switch (outcome.kind) {
      case 'merged':
      case 'duplicate': {
        const commit = outcome.commit ?? undefined;
        // Written with the dispatch it frees (or at the end of this step): a crash before that redelivers the
        // Result, recorded as merging, and the merge is found on the branch.
        this.stage((r) => {
          Object.assign(r.subtasks[subtask.id]!, {
            status: 'merged',
            updatedAt: Date.now(),
            filesChanged: outcome.kind === 'merged' ? outcome.files.length : result.filesChanged.length,
            ...(commit ? { mergedCommit: commit } : {}),
          });
          if (commit) r.headCommit = commit;
        });
        break;
      }
      case 'stale':
        log.info('merger rejected a stale attempt');
        break;
      case 'conflict': {
        const conflicts = (this.run.subtasks[subtask.id]?.conflicts ?? 0) + 1;
        await this.update((r) => void (r.subtasks[subtask.id]!.conflicts = conflicts));
        log.info({ files: outcome.files, conflicts }, 'merge conflict');
        if (conflicts <= this.ctx.maxConflictRetries) {
          await this.setStatus(subtask.id, 'pending');
        } else {
          await this.repair(subtask, result, { conflict: `${outcome.detail}\nfiles: ${outcome.files.join(', ')}` });
        }
        break;
      }
      case 'invalid':
        return this.onFailure(subtask, { ...result, error: { name: 'InvalidDiff', message: outcome.detail } });
    }
    await this.pump();
  }

  private async onFailure(subtask: Subtask, result: Result): Promise<void> {
    const st = this.run.subtasks[subtask.id]!;
    const error = result.error ?? {
      name: 'SubtaskFailed',
      message: `${subtask.kind} stopped: ${result.stop}${describeFailedCommand(result)}`,
    };
    // Preparing the environment failed: every attempt would run the same command on the same files. No retry, no repair.
    if (error.name === ENVIRONMENT_SETUP_FAILED) {
      await this.markFailed(subtask.id, { ...result, error });
      return this.finish('failed', 'environment_setup_failed', error.message);
    }
    if (error.name === 'ModelOverloadedError') {
      const retryAfter =
        typeof error.data?.retryAfterMs === 'number' ? error.data.retryAfterMs : this.ctx.modelBackoffMs;
      this.ctx.gate.pauseModel(retryAfter);
      this.ctx.log.warn(
        { runId: this.run.id, subtaskId: subtask.id, pauseMs: retryAfter },
        'model API overloaded: pausing model work for every run',
      );
    }
    if (subtask.kind === 'tester' && result.testReport && result.testReport.failed > 0) {
      await this.update((r) => void (r.subtasks[subtask.id]!.error = error));
      await this.repair(subtask, result, {});
      return this.pump();
    }
    if (st.attempt <= this.run.spec.limits.maxRetriesPerSubtask && result.stop !== 'cancelled') {
      this.ctx.log.info(
        { runId: this.run.id, subtaskId: subtask.id, stop: result.stop, error },
        'subtask failed: retrying',
      );
      await this.update((r) => {
        const s = r.subtasks[subtask.id]!;
        s.status = 'pending';
        s.error = error;
      });
      return this.pump();
    }
    await this.update((r) => {
      const s = r.subtasks[subtask.id]!;
      s.status = 'failed';
      s.error = error;
    });
    if (st.attempt > this.run.spec.limits.maxRetriesPerSubtask) {
      return this.finish(
        'failed',
        'budget_retries',
        `${subtask.id} failed ${st.attempt} times; last: ${error.message}`,
      );
    }
    return this.pump();
  }

  /** Asks the planner for repair subtasks replacing `failed`; the run fails with the failures when it cannot. */
  private async repair(failed: Subtask, result: Result, extra: { conflict?: string }): Promise<void> {
    const failures = result.testReport?.failures ?? [];
    // Repairs done so far, from the record (so a restart does not reset the bound).
    const repairs = Object.values(this.run.subtasks).filter(
      (st) => st.status === 'skipped' && st.error?.name === 'Superseded',
    ).length;
    if (repairs >= this.run.spec.limits.maxRetriesPerSubtask) {
      await this.markFailed(failed.id, result);
      return this.finish(
        'failed',
        'unrepairable_failure',
        `gave up after ${repairs} repairs:\n${formatFailures(result)}`,
      );
    }
    const head = await this.ctx.merger.head(this.run.id);
    const repair: PlanRequest['repair'] = {
      failed,
      ...(result.testReport ? { report: result.testReport } : {}),
      failures,
      ...(extra.conflict ? { conflict: extra.conflict } : {}),
      diff: (await failureDiff(this.run.spec.repo.path, this.run.baseCommit!, head, failures)).slice(0, 150_000),
      headCommit: head,
      existingIds: Object.keys(this.run.subtasks),
    };
    let plan: Plan;
    try {
      plan = await this.requestPlan(repair);
    } catch (err) {
      if (this.interrupt.signal.aborted) return;
      await this.markFailed(failed.id, result);
      return this.finish(
        'failed',
        'unrepairable_failure',
        `${err instanceof Error ? err.message : String(err)}\n${formatFailures(result)}`,
      );
    }
    const now = Date.now();
    await this.update((r) => {
      r.subtasks[failed.id]!.status = 'skipped';
      r.subtasks[failed.id]!.error = {
        name: 'Superseded',
        message: `repaired by ${plan.subtasks.map((s) => s.id).join(', ')}`,
      };
      // Whatever waited for the failed subtask now waits for its repairs too.
      const repairIds = plan.subtasks.map((s) => s.id);
      const rewired = r.plan!.subtasks.map((s) =>
        s.deps.includes(failed.id) ? { ...s, deps: [...new Set([...s.deps, ...repairIds])] } : s,
      );
      // Repairs come after the failed subtask (done as skipped), so they start from the branch head,
      // where the work they repair was merged, not from the run's base.
      const repairs = plan.subtasks.map((s) => (s.deps.length === 0 ? { ...s, deps: [failed.id] } : s));
      r.plan = { ...r.plan!, subtasks: [...rewired, ...repairs] };
      for (const s of repairs) r.subtasks[s.id] = newSubtaskState(now);
    });
    this.ctx.log.info(
      { runId: this.run.id, failed: failed.id, repairs: plan.subtasks.map((s) => s.id) },
      'repair subtasks planned',
    );
  }

  private async markFailed(id: string, result: Result): Promise<void> {
    await this.update((r) => {
      r.subtasks[id]!.status = 'failed';
      r.subtasks[id]!.error = result.error ?? { name: 'SubtaskFailed', message: formatFailures(result) };
    });
  }

  private async setStatus(id: string, status: SubtaskStatus, extra: Partial<SubtaskState> = {}): Promise<void> {
    await this.update((r) => {
      Object.assign(r.subtasks[id]!, extra, { status, updatedAt: Date.now() });
    });
  }

  private async checkBudgets(): Promise<boolean> {
    if (isFinalStatus(this.run.status)) return true;
    const over = exceededBudget(this.run, Date.now());
    if (!over) return false;
    await this.finish('failed', over.reason, over.detail);
    return true;
  }

  private async finish(status: RunStatus, reason: StopReason, detail: string): Promise<void> {
    this.dispose();
    this.ctx.gate.setActive(this.run.id, 0);
    await this.opening?.catch(() => undefined);
    const now = Date.now();
    const head = await this.ctx.merger.head(this.run.id).catch((err: unknown) => {
      this.ctx.log.warn(
        { err: toErrorData(err), runId: this.run.id },
        'could not read the branch head at the end of the run',
      );
      return undefined;
    });
    const final = (r: Run) => {
      r.status = status;
      r.stopReason = reason;
      r.detail = detail;
      r.finishedAt = now;
      if (head) r.headCommit = head;
      for (const s of Object.values(r.subtasks))
        if (s.status === 'pending' || ACTIVE.has(s.status)) s.status = 'cancelled';
    };
    const staged = [...this.staged];
    try {
      await this.update(final);
    } catch (err) {
      if (!(err instanceof MessageTooLargeError)) throw err;
      // The record outgrew a message (the errors of many failed subtasks): the run still stops, with the subtasks'
      // errors left out of its record, rather than staying unfinished with every write failing.
      this.ctx.log.error(
        { err, runId: this.run.id },
        "the run's final record is too large for the bus: writing it without the subtasks' errors",
      );
      this.staged = staged;
      await this.update((r) => {
        final(r);
        for (const s of Object.values(r.subtasks)) delete s.error;
        r.detail = `${detail.slice(0, 2_000)}\n(the subtasks' errors are left out of this record: with them it was ${err.bytes} bytes, over the bus's limit of ${err.limit})`;
      });
    }
    this.ctx.merger.close(this.run.id);
    if (status !== 'succeeded') {
      await this.ctx.bus.publish(this.ctx.bus.subjects.workCancel(this.run.id), WorkCancel, {
        v: 1,
        runId: this.run.id,
        reason: detail,
      });
    }
    this.ctx.log.info({ runId: this.run.id, status, reason, detail }, 'run finished');
    this.ctx.onFinished(this.run);
  }
}

/** Errors of a bus or KV that is down for a moment: the step is retried, the run does not fail. */
function isTransient(err: unknown): boolean {
  return (
    err instanceof BusClosedError ||
    err instanceof RequestTimeoutError ||
    err instanceof NoRespondersError ||
    (err instanceof Error && /^(ConnectionError|ClosedConnectionError|TimeoutError|RequestError)$/.test(err.name))
  );
}
