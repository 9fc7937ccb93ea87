import { isTransientError } from '@baton/bus';
import { isFinalStatus, type Run } from '@baton/protocol';
import type { RunEffect } from './run-effect.js';
import type { RunEvent, RunRules } from './run-event.js';
import type { RunStore } from './run-store.js';
import { transition } from './run-transition.js';

/**
 * Runs a run's steps one at a time, in order. A step applies events (pure transitions) to the run as it stands and
 * writes the result with one compare-and-set when it must (`commit`: before an effect that reaches outside, and at
 * the step's end); nothing is copied or written twice. A step that fails leaves the run as KV holds it: its unwritten
 * change is dropped (a redelivered Result is handled anew). A transient bus or KV error is rethrown to the step's
 * caller, which retries (a Result is redelivered); any other error goes to `onInternalError`.
 */
export class StepRunner {
  private chain: Promise<unknown> = Promise.resolve();
  /** The run as KV holds it (last written or read). */
  private written: Run;
  /** The run as the current step has changed it; `written` when it changed nothing yet. */
  private pending: Run;
  /** The events applied since the last write: replayed on the stored run if someone else wrote meanwhile. */
  private events: RunEvent[] = [];

  constructor(
    run: Run,
    private readonly store: RunStore,
    private readonly rules: RunRules,
    private readonly onInternalError: (err: unknown) => Promise<void>,
  ) {
    this.written = this.pending = run;
  }

  /** The run as the current step sees it (as written, outside a step). */
  get run(): Run {
    return this.pending;
  }

  /** Applies `event` to the step's run; returns the effects to perform, in order. */
  apply(event: RunEvent): RunEffect[] {
    const { run, effects } = transition(this.pending, event, this.rules);
    if (run !== this.pending) {
      this.pending = run;
      this.events.push(event);
    }
    return effects;
  }

  /** Writes the step's change so far, if any, in one compare-and-set. */
  async commit(): Promise<void> {
    if (this.pending === this.written) return;
    const events = this.events;
    const written = await this.store.write(this.written.id, this.written, this.pending, (stored) =>
      events.reduce((run, event) => transition(run, event, this.rules).run, stored),
    );
    this.written = this.pending = written;
    this.events = [];
  }

  /** Queues a step; it is skipped once the run is final. Resolves when it ran (rejects on a transient error). */
  enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (isFinalStatus(this.written.status)) return;
      try {
        await step();
        await this.commit();
      } catch (err) {
        // What the step changed was never written: the run is what KV holds.
        this.pending = this.written;
        this.events = [];
        if (isTransientError(err)) throw err;
        await this.onInternalError(err);
      }
    });
    // A failed step must not wedge the run: later steps still run (and may succeed once KV is back).
    this.chain = next.catch(() => undefined);
    return next;
  }
}
