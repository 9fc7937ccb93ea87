import type { Subscription, WorkQueue } from '@baton/bus';
import {
  AgentKindSchema,
  CancelRequest,
  RunRecord,
  RunList,
  RUN_LIST_DEFAULT_LIMIT,
  summarizeRun,
  RunQuery,
  RunSpec,
  SubmitReply,
  isFinalStatus,
  queuesFor,
  resourceNamesFor,
  type AgentKind,
  type Run,
  type RepoSource,
  type Result,
  type WorkItem,
} from '@baton/protocol';
import { compileCoordinatorOptions, type CoordinatorOptions } from './compile-coordinator-options.js';
import { RunNotFoundError } from './errors.js';
import { PermissionDesk } from './permissions/permission-desk.js';
import { createGitMergePort } from './runs/git-merge-port.js';
import { prepareRun } from './runs/prepare-run.js';
import { RunController } from './runs/run-controller.js';
import { RunStore } from './runs/run-store.js';
import { publishSnapshot } from './runs/snapshot.js';
import { DispatchGate } from './runs/dispatch-gate.js';

/** A running coordinator. */
export interface Coordinator {
  readonly store: RunStore;
  /** Submits a run directly (what `runs.submit` does). */
  submit(spec: RunSpec): Promise<SubmitReply>;
  /** Resolves when the run reaches a final status. */
  waitForRun(runId: string): Promise<Run>;
  permissions: PermissionDesk;
  stop(): Promise<void>;
}

/**
 * Starts the coordinator: the only holder of global permissions and the only writer of result branches.
 * Resumes every unfinished run recorded in KV. Run one coordinator per cluster.
 */
export async function startCoordinator(raw: CoordinatorOptions): Promise<Coordinator> {
  const options = compileCoordinatorOptions(raw);
  const { bus } = options;
  const log = options.logger.child({ component: 'coordinator' });
  const s = bus.subjects;
  const queues = queuesFor(s.prefix, options.queues);
  const store = await RunStore.open(bus, log);
  const merger = await createGitMergePort(bus, log);
  const workQueues = Object.fromEntries(
    await Promise.all(AgentKindSchema.options.map(async (k) => [k, await bus.workQueue(queues.work(k))] as const)),
  ) as Record<AgentKind, WorkQueue<WorkItem>>;
  const resultsQueue = await bus.workQueue(queues.results());
  const snapshots =
    options.repoSource === 'snapshot' ? await bus.objectStore(resourceNamesFor(s.prefix).snapshotsBucket) : undefined;

  const controllers = new Map<string, RunController>();
  const waiters = new Map<string, ((run: Run) => void)[]>();
  const finished = (run: Run) => {
    controllers.get(run.id)?.dispose();
    controllers.delete(run.id);
    permissions.cancelRun(run.id, `run ${run.status}`);
    for (const w of waiters.get(run.id) ?? []) w(run);
    waiters.delete(run.id);
  };

  // Snapshots this coordinator published (or found), by commit: a dispatch of a commit already published costs no git
  // process and no object-store look-up, and concurrent dispatches of one commit share one publish. Bounded; a
  // forgotten commit is looked up in the store again.
  const published = new Map<string, Promise<string>>();
  const snapshotOf = (repoPath: string, commit: string): Promise<string> => {
    let object = published.get(commit);
    if (!object) {
      object = publishSnapshot(snapshots!, repoPath, commit);
      published.set(commit, object);
      object.catch(() => published.delete(commit));
      if (published.size > 1_000) published.delete(published.keys().next().value!);
    }
    return object;
  };
  const repoSource = async (run: Run, commit: string): Promise<RepoSource> => {
    if (!snapshots) return { kind: 'local', path: run.spec.repo.path };
    return { kind: 'snapshot', bucket: snapshots.bucket, object: await snapshotOf(run.spec.repo.path, commit) };
  };

  const gate = new DispatchGate(options.maxInFlight, () => {
    for (const c of controllers.values()) c.nudge();
  });
  const ctx = {
    gate,
    modelBackoffMs: options.modelBackoffMs,
    bus,
    store,
    merger,
    queues,
    workQueues,
    repoSource,
    log,
    planTimeoutMs: options.planTimeoutMs,
    maxConflictRetries: options.maxConflictRetries,
    leaseMs: options.leaseMs,
    onFinished: finished,
  };

  const permissions = new PermissionDesk(
    bus,
    {
      policyOf: (runId) => {
        const c = controllers.get(runId);
        if (!c?.current.spec.policy) return undefined;
        return { policy: c.current.spec.policy, subtask: (id) => c.subtask(id) };
      },
    },
    log,
  );
  permissions.start();

  const launch = (run: Run) => {
    if (controllers.has(run.id)) return;
    const controller = new RunController(run, ctx);
    controllers.set(run.id, controller);
    controller.start().catch((err: unknown) => log.error({ err, runId: run.id }, 'run controller failed to start'));
  };

  const submit = async (spec: RunSpec): Promise<SubmitReply> => {
    const run = await prepareRun(spec, options.userSettingsPath ? { userSettingsPath: options.userSettingsPath } : {});
    await options.checkSpec?.({ spec: run.spec, repoPath: run.spec.repo.path, baseCommit: run.baseCommit! });
    await store.create(run);
    log.info({ runId: run.id, repo: run.spec.repo.path, base: run.baseCommit }, 'run accepted');
    launch(run);
    return { v: 1, runId: run.id, branch: run.branch! };
  };

  const subscriptions: Subscription[] = [
    bus.serve(s.runsSubmit(), RunSpec, SubmitReply, submit, { queue: 'coordinators' }),
    // The newest runs as summaries (no plan, no states: whole records outgrow a message); `runs.<id>.get` gives one.
    bus.serve(
      s.runsList(),
      RunQuery,
      RunList,
      async (q) => {
        const records = await store.records();
        return {
          v: 1 as const,
          runs: records.slice(0, q.limit ?? RUN_LIST_DEFAULT_LIMIT).map(summarizeRun),
          total: records.length,
        };
      },
      { queue: 'coordinators' },
    ),
    // One run as stored, its plan by reference (RunPlans.assemble puts it back): a plan may be larger than a message.
    bus.serve(
      s.runGetAll(),
      RunQuery,
      RunRecord,
      async (q) => {
        const run = q.runId ? await store.record(q.runId) : null;
        if (!run) throw new RunNotFoundError(q.runId ?? '');
        return run;
      },
      { queue: 'coordinators' },
    ),
    bus.serve(
      s.runCancelAll(),
      CancelRequest,
      RunRecord,
      async (req) => {
        const c = controllers.get(req.runId);
        if (c) await c.cancel(req.reason);
        const run = await store.record(req.runId);
        if (!run) throw new RunNotFoundError(req.runId);
        return run;
      },
      { queue: 'coordinators' },
    ),
  ];

  // Resume every unfinished run (after a crash or restart): KV, the results queue and the branch's trailers hold all state.
  for (const run of await store.list()) {
    if (!isFinalStatus(run.status)) {
      log.info({ runId: run.id, status: run.status }, 'resuming run');
      launch(run);
    }
  }

  const abort = new AbortController();
  const inFlight = new Set<Promise<void>>();
  const consuming = (async () => {
    for await (const delivery of resultsQueue.consume({
      maxInFlight: options.resultConcurrency,
      signal: abort.signal,
    })) {
      // A run handles its results one at a time and may be planning a repair for minutes meanwhile:
      // keep the delivery alive so it is not redelivered into another slot.
      const keepAlive = setInterval(
        () => {
          delivery.working().catch((err: unknown) => log.warn({ err }, 'could not extend a result delivery'));
        },
        Math.max(500, Math.floor(queues.results().ackWaitMs / 3)),
      );
      const handling = handleResult(delivery.data)
        .then(
          () => delivery.ack(),
          (err: unknown) => {
            log.error({ err, runId: delivery.data.runId }, 'handling a result failed: redelivering');
            return delivery.nak(1000);
          },
        )
        .catch((err: unknown) =>
          log.warn({ err }, 'could not settle a result delivery; it comes back after its ack wait'),
        )
        .finally(() => {
          clearInterval(keepAlive);
          inFlight.delete(handling);
        });
      inFlight.add(handling);
    }
  })();

  async function handleResult(result: Result): Promise<void> {
    const c = controllers.get(result.runId);
    if (c) return c.onResult(result);
    const run = await store.get(result.runId);
    if (!run || isFinalStatus(run.status)) {
      log.debug({ runId: result.runId, subtaskId: result.subtaskId }, 'result for a finished or unknown run: dropped');
      return;
    }
    launch(run);
    return controllers.get(result.runId)!.onResult(result);
  }

  return {
    store,
    permissions,
    submit,
    waitForRun: async (runId) => {
      const run = await store.get(runId);
      if (!run) throw new RunNotFoundError(runId);
      if (isFinalStatus(run.status)) return run;
      return new Promise<Run>((resolve) => waiters.set(runId, [...(waiters.get(runId) ?? []), resolve]));
    },
    stop: async () => {
      abort.abort();
      await Promise.all(subscriptions.map((sub) => sub.unsubscribe()));
      await permissions.stop();
      for (const c of controllers.values()) c.dispose();
      gate.dispose();
      await consuming.catch((err: unknown) => log.debug({ err }, 'results consumer ended'));
      // Results being handled settle (ack or nak) before the caller closes the bus.
      await Promise.all(inFlight);
      for (const id of controllers.keys()) merger.close(id);
    },
  };
}
