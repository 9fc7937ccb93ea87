import { MessageTooLargeError } from '@baton/bus';
import {
  WorkCancel,
  isFinalStatus,
  toErrorData,
  type Plan,
  type PlanRequest,
  type Result,
  type Run,
  type Subtask,
} from '@baton/protocol';
import { Dispatcher } from './dispatcher.js';
import { Leases } from './leases.js';
import { requestPlan } from './plan-request.js';
import { repairRequestOf } from './repair-request.js';
import type { RunContext } from './run-context.js';
import { needsRecord, type RunEffect } from './run-effect.js';
import type { RunEvent } from './run-event.js';
import { StepRunner } from './step-runner.js';

/**
 * Drives one run: starts (or resumes) it, routes its events (Results, leases, the wall-time budget, a cancel) through
 * the run's pure transitions one step at a time, performs their effects, and finishes it. What a run does is decided
 * in `run-transition.ts`; when it is written in `step-runner.ts`; what goes out in `dispatcher.ts`.
 */
export class RunController {
  private readonly steps: StepRunner;
  private readonly leases: Leases;
  private readonly dispatcher: Dispatcher;
  private wallTimer: NodeJS.Timeout | undefined;
  /** Stale results whose usage was counted (a redelivered copy is not counted again). */
  private readonly countedStale = new Set<string>();
  /**
   * Aborted by a cancel or the wall-time budget: a plan or repair request (minutes with a model) is
   * abandoned so the stop queued behind it runs at once, and nothing more is dispatched meanwhile.
   */
  private readonly interrupt = new AbortController();
  /** Opening the integration branch, which runs alongside planning: a run that stops meanwhile waits for it. */
  private opening: Promise<void> | undefined;
  /** What the first dispatch needs and planning overlaps: the branch, and (on NATS) the base snapshot. */
  private prepared: Promise<unknown> = Promise.resolve();

  constructor(
    run: Run,
    private readonly ctx: RunContext,
  ) {
    const rules = {
      maxConflictRetries: ctx.maxConflictRetries,
      modelBackoffMs: ctx.modelBackoffMs,
      leaseMs: ctx.leaseMs,
      maxPayload: ctx.bus.maxPayload,
    };
    this.steps = new StepRunner(run, ctx.store, rules, (err) => this.failInternally(err));
    this.leases = new Leases((subtaskId, attempt, leaseMs) =>
      this.background(() => this.handle({ type: 'leaseExpired', subtaskId, attempt, leaseMs, now: Date.now() })),
    );
    this.dispatcher = new Dispatcher(
      ctx,
      this.leases,
      () => this.steps.run,
      (step) => this.background(step),
    );
  }

  /** The run's id. */
  get id(): string {
    return this.steps.run.id;
  }

  /** The run as its steps see it (as last written, between steps). */
  get current(): Run {
    return this.steps.run;
  }

  /** The subtask with this id in the run's plan. */
  subtask(id: string): Subtask | undefined {
    return this.steps.run.plan?.subtasks.find((s) => s.id === id);
  }

  /** Starts (or, after a restart, resumes) the run. */
  start(): Promise<void> {
    const run = this.steps.run;
    const remaining = run.spec.limits.maxWallMs - (Date.now() - run.createdAt);
    this.wallTimer = setTimeout(
      () => {
        this.interrupt.abort();
        this.background(() => this.handle({ type: 'budgetCheck', now: Date.now() }));
      },
      Math.max(0, remaining) + 10,
    );
    return this.steps.enqueue(async () => {
      const run = this.steps.run;
      if (run.status === 'queued' || run.status === 'planning') {
        // The branch and (on NATS) the base snapshot the first dispatches need are made while the planner plans.
        const opening = (this.opening = this.ctx.merger.open(run));
        const publishing = this.ctx.repoSource(run, run.baseCommit!).catch((err: unknown) => {
          this.ctx.log.warn(
            { err: toErrorData(err), runId: run.id },
            'could not publish the base snapshot early; the first dispatch publishes it',
          );
        });
        this.prepared = publishing.then(() => opening);
        // Awaited after the plan; marked handled here so a stop before it leaves no unhandled rejection.
        this.prepared.catch(() => undefined);
        await this.handle({ type: 'planning', now: Date.now() });
        // A plan interrupted by a stop still waits for the branch, like the first dispatch would.
        return void (await this.prepared);
      }
      await this.ctx.merger.open(run);
      await this.ctx.merger.recover(run);
      await this.dispatcher.resume(run);
      await this.perform({ type: 'pump' });
    });
  }

  /** Dispatches again if slots or the model became available (called by the shared gate). */
  nudge(): void {
    this.background(() => this.perform({ type: 'pump' }));
  }

  /** Handles one result from a worker. */
  onResult(result: Result): Promise<void> {
    return this.steps.enqueue(() => {
      const key = `${result.subtaskId}/${result.attempt}/${result.workerId}`;
      const st = this.steps.run.subtasks[result.subtaskId];
      const countStale = st !== undefined && result.attempt !== st.attempt && !this.countedStale.has(key);
      if (countStale) this.countedStale.add(key);
      return this.handle({ type: 'resultReceived', result, countStale, now: Date.now() });
    });
  }

  /** Cancels the run: no new work; work in hand is told to stop; the branch is kept. */
  cancel(reason: string): Promise<void> {
    this.interrupt.abort();
    return this.steps.enqueue(() => this.handle({ type: 'cancel', reason, now: Date.now() }));
  }

  /** Stops timers (coordinator shutdown); the run stays as recorded and resumes on the next start. */
  dispose(): void {
    clearTimeout(this.wallTimer);
    this.leases.dispose();
    this.dispatcher.dispose();
  }

  /** Runs a step nobody awaits (timers, nudges): its failure is logged, never an unhandled rejection. */
  private background(step: () => Promise<void>): void {
    this.steps
      .enqueue(step)
      .catch((err: unknown) =>
        this.ctx.log.error(
          { err, runId: this.id },
          'a background step of the run failed; it resumes on the next event or restart',
        ),
      );
  }

  /** Applies an event to the run and performs its effects, in order. */
  private async handle(event: RunEvent): Promise<void> {
    for (const effect of this.steps.apply(event)) await this.perform(effect);
  }

  private async perform(effect: RunEffect): Promise<void> {
    if (needsRecord(effect)) await this.steps.commit();
    const { ctx, id } = this;
    switch (effect.type) {
      case 'requestPlan':
        return this.plan();
      case 'pump': {
        if (this.steps.run.status !== 'running' || this.interrupt.signal.aborted) return;
        const items = await this.dispatcher.next(this.steps.run);
        return this.handle({ type: 'dispatched', items, now: Date.now() });
      }
      case 'publish':
        return this.dispatcher.publish(effect.items);
      case 'merge': {
        const { result, attempt, title } = effect;
        const outcome = await ctx.merger.merge(this.steps.run, result, attempt, title);
        return this.handle({ type: 'mergeOutcome', result, outcome, now: Date.now() });
      }
      case 'requestRepair':
        return this.repair(effect.failed, effect.result, effect.conflict);
      case 'armLease':
        return this.leases.arm(effect.subtaskId, effect.attempt, effect.ms);
      case 'clearLease':
        return this.leases.clear(effect.subtaskId);
      case 'reportActive':
        return ctx.gate.setActive(id, effect.count);
      case 'pauseModel':
        return ctx.gate.pauseModel(effect.ms);
      case 'finish':
        return this.finish(effect);
      case 'closeBranch':
        return ctx.merger.close(id);
      case 'publishWorkCancel':
        return void (await ctx.bus.publish(ctx.bus.subjects.workCancel(id), WorkCancel, {
          v: 1,
          runId: id,
          reason: effect.reason,
        }));
      case 'notifyFinished':
        return ctx.onFinished(this.steps.run);
      case 'log':
        return ctx.log[effect.level]({ runId: id, ...effect.data }, effect.message);
    }
  }

  /** Asks the planner for the run's plan, or for repair subtasks; a cancel or the wall-time budget abandons it. */
  private requestPlan(repair?: PlanRequest['repair']): Promise<Plan> {
    const { bus, store, log, planTimeoutMs } = this.ctx;
    const options = { bus, plans: store.plans, log, timeoutMs: planTimeoutMs, signal: this.interrupt.signal };
    return requestPlan(this.steps.run, options, repair);
  }

  private async plan(): Promise<void> {
    let plan: Plan;
    try {
      plan = await this.requestPlan();
    } catch (err) {
      // Interrupted: the cancel or budget stop queued behind this step finishes the run.
      if (this.interrupt.signal.aborted) return;
      return this.handle({ type: 'planFailed', message: messageOf(err), now: Date.now() });
    }
    await this.prepared;
    await this.handle({ type: 'planReceived', plan, now: Date.now() });
  }

  private async repair(failed: Subtask, result: Result, conflict: string | undefined): Promise<void> {
    const head = await this.ctx.merger.head(this.id);
    let plan: Plan;
    try {
      plan = await this.requestPlan(await repairRequestOf(this.steps.run, head, failed, result, conflict));
    } catch (err) {
      if (this.interrupt.signal.aborted) return;
      const message = messageOf(err);
      return this.handle({ type: 'repairFailed', failedId: failed.id, result, message, now: Date.now() });
    }
    await this.handle({ type: 'repairPlanReceived', failedId: failed.id, plan, now: Date.now() });
  }

  /** Stops the run: its timers, its share of the gate; reads the branch's head; writes the final record; then tells. */
  private async finish({ status, reason, detail }: Extract<RunEffect, { type: 'finish' }>): Promise<void> {
    this.dispose();
    this.ctx.gate.setActive(this.id, 0);
    await this.opening?.catch(() => undefined);
    const head = await this.ctx.merger.head(this.id).catch((err: unknown) => {
      this.ctx.log.warn(
        { err: toErrorData(err), runId: this.id },
        'could not read the branch head at the end of the run',
      );
      return undefined;
    });
    const effects = this.steps.apply({ type: 'finished', status, reason, detail, head, now: Date.now() });
    try {
      await this.steps.commit();
    } catch (err) {
      if (!(err instanceof MessageTooLargeError)) throw err;
      this.ctx.log.error(
        { err, runId: this.id },
        "the run's final record is too large for the bus: writing it without the subtasks' errors",
      );
      this.steps.apply({ type: 'recordTrimmed', bytes: err.bytes, limit: err.limit, now: Date.now() });
      await this.steps.commit();
    }
    for (const effect of effects) await this.perform(effect);
  }

  /** A step failed on an error that is not the bus's: the run fails with it (once). */
  private async failInternally(err: unknown): Promise<void> {
    // Failing after the final record was written (telling workers, say) must not overwrite how the run ended.
    if (isFinalStatus(this.steps.run.status)) throw err;
    this.ctx.log.error({ err, runId: this.id }, 'run failed on an internal error');
    await this.finish({
      type: 'finish',
      status: 'failed',
      reason: 'internal_error',
      detail: `internal error: ${messageOf(err)}`,
    });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
