import { NoRespondersError, type Bus, type RunPlans } from '@baton/bus';
import type { Logger } from '@baton/log';
import { PlanReply, PlanRequest, type Plan, type Run } from '@baton/protocol';

/** How one plan request is made. */
export interface PlanRequestOptions {
  bus: Bus;
  /** Where a plan too large for a message is stored by the planner. */
  plans: RunPlans;
  log: Logger;
  /** How long one request may take (a model planner can take minutes). */
  timeoutMs: number;
  /** Abandons the request (a cancel or the run's wall-time budget). */
  signal: AbortSignal;
}

/**
 * Asks the planner (a queue group) for the run's plan, or for repair subtasks. With no planner up (a restart, or the
 * coordinator resumed first) it waits for one, backing off up to 30 s, until the signal aborts.
 */
export async function requestPlan(
  run: Run,
  options: PlanRequestOptions,
  repair?: PlanRequest['repair'],
): Promise<Plan> {
  const { bus, signal } = options;
  const request: PlanRequest = {
    v: 1,
    runId: run.id,
    spec: run.spec,
    baseCommit: run.baseCommit!,
    repoPath: run.spec.repo.path,
    ...(repair ? { repair } : {}),
  };
  for (let wait = 1_000; ; wait = Math.min(wait * 2, 30_000)) {
    try {
      const reply = await untilAborted(
        bus.request(bus.subjects.planRequest(), PlanRequest, PlanReply, request, { timeoutMs: options.timeoutMs }),
        signal,
      );
      // A large plan comes by reference: the planner stored it where this run's record will reference it.
      return 'plan' in reply ? reply.plan : await options.plans.get(reply.planRef);
    } catch (err) {
      if (!(err instanceof NoRespondersError) || signal.aborted) throw err;
      options.log.warn({ runId: run.id, retryInMs: wait }, 'no planner is answering: retrying');
      await untilAborted(new Promise((resolve) => setTimeout(resolve, wait).unref()), signal);
    }
  }
}

/** Settles like `promise`, or rejects with the signal's reason once it aborts (the promise is left to settle unobserved). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
