import { availableParallelism, hostname, loadavg } from 'node:os';
import { customAlphabet } from 'nanoid';
import type { Bus, Delivery, Kv, Subscription } from '@baton/bus';
import { silentLogger, type Logger } from '@baton/log';
import type { ModelClient } from '@baton/model';
import { z } from 'zod';
import {
  Result,
  RunStatusSchema,
  WorkCancel,
  WorkerHeartbeat,
  isFinalStatus,
  queuesFor,
  resourceNamesFor,
  type AgentKind,
  type QueueTuning,
  type WorkItem,
} from '@baton/protocol';
import { createRecipePool, type RecipePool } from '@baton/recipes';
import type { EditorLimits } from './agents/editor.machine.js';
import { offloadLargeDiff } from './large-diff.js';
import { runItem, type RunningItem } from './run-item.js';
import { Workspaces } from './workspace/workspaces.js';

/** This machine's name, for heartbeats. */
const HOST = hostname();

/** How often a worker re-reads a run's record to learn whether it stopped (cancel broadcasts are immediate). */
const RUN_CHECK_MS = 2_000;

/**
 * What a worker reads of a run's record: its status. The record holds one state per subtask (up to ~1 MiB in a large
 * run) and the worker re-reads it every RUN_CHECK_MS while the run has items: validated whole, a read of a 2,500-subtask
 * record blocked the worker's event loop for ~18 ms, ~9 ms with this view (the rest is JSON.parse). The coordinator,
 * the record's only writer, validates it whole.
 */
const RunStatusView = z.object({ status: RunStatusSchema });

const workerSuffix = customAlphabet('0123456789abcdefghijklmnopqrstuvwxyz', 8);

/** Options of startWorker. */
export interface WorkerOptions {
  bus: Bus;
  logger?: Logger;
  kinds?: readonly AgentKind[];
  /** Subtasks run at once, across kinds. Default 2. */
  slots?: number;
  /** Threads computing recipe programs (renames, codemod modules). Default: the slots, at most the cores less one. */
  recipeThreads?: number;
  model?: ModelClient;
  workerId?: string;
  queues?: QueueTuning;
  heartbeatMs?: number;
  /** How long a draining worker lets items in hand finish before returning them. Default 30 s. */
  graceMs?: number;
  /** Parent folder of scratch worktrees. */
  baseDir?: string;
  commandTimeoutMs?: number;
  editorLimits?: Partial<EditorLimits>;
  version?: string;
}

/** A running worker. Lifecycle: running -> draining (stop called) -> stopped. */
export interface Worker {
  readonly id: string;
  /** Items in hand. */
  busy(): number;
  /** Drains: no new items; items in hand finish within the grace period, the rest are returned to the queue. */
  stop(): Promise<void>;
}

interface InHand {
  item: WorkItem;
  running: RunningItem;
  delivery: Delivery<WorkItem>;
}

/**
 * Recipe work is CPU-bound: more threads than cores only add memory (each thread holds its own parsed files) and
 * contention. One core is left to the process's main thread, which diffs, talks to the bus and, in the embedded
 * `baton run`, also merges every result: on 2 cores, one recipe thread finished a 10,000-file rename sooner than two
 * (8 s vs 11 s) and with 140 MB less memory.
 */
export function defaultRecipeThreads(slots: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(slots, cores - 1));
}

/** A recipe pool whose threads start on first use: most workers never run a recipe. */
function lazyRecipePool(threads: number): RecipePool {
  let pool: RecipePool | undefined;
  const get = () => (pool ??= createRecipePool({ threads }));
  return {
    threads,
    run: (root, program) => get().run(root, program),
    preview: (root, program) => get().preview(root, program),
    previewCommit: (repo, commit, program) => get().previewCommit(repo, commit, program),
    destroy: async () => {
      await pool?.destroy();
    },
  };
}

/**
 * Starts a worker: pulls editor / tester / shell items from the work queues with N slots, runs
 * each in a scratch worktree, heartbeats the queue while busy, publishes the Result and only then
 * acks. Registers itself in KV and on `workers.heartbeat` every few seconds.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { bus } = options;
  const id = options.workerId ?? `w-${HOST.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 20) || 'host'}-${workerSuffix()}`;
  const log = (options.logger ?? silentLogger()).child({ workerId: id });
  const kinds = options.kinds ?? (['editor', 'tester', 'shell'] as const);
  const slots = options.slots ?? 2;
  const queues = queuesFor(bus.subjects.prefix, options.queues);
  const names = resourceNamesFor(bus.subjects.prefix);
  const workspaces = await Workspaces.open({
    workerId: id,
    log,
    snapshots: (bucket) => bus.objectStore(bucket),
    ...(options.baseDir ? { baseDir: options.baseDir } : {}),
  });
  const recipes = lazyRecipePool(options.recipeThreads ?? defaultRecipeThreads(slots));
  const results = await bus.workQueue(queues.results());
  const registry: Kv<WorkerHeartbeat> = await bus.kv(names.workersBucket, WorkerHeartbeat);
  const runs = await bus.kv(names.runsBucket, RunStatusView);
  const inHand = new Map<string, InHand>();
  const tasks = new Set<Promise<void>>();
  const cleanups = new Set<Promise<void>>();
  const startedAt = Date.now();
  const abort = new AbortController();
  let state: WorkerHeartbeat['state'] = 'running';
  let free = slots;
  // Items waiting for a slot, oldest first. A freed slot starts the next one in the same call (no hop through the
  // event loop), so a slot never sits idle while an item is in hand; a draining worker returns the waiting ones.
  const waiting: { start: () => void; giveUp: () => void }[] = [];
  const whenSlotFree = (start: () => void, giveUp: () => void): void => {
    if (abort.signal.aborted) return giveUp();
    if (free > 0) {
      free--;
      return start();
    }
    waiting.push({ start, giveUp });
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next.start();
    else free++;
  };
  abort.signal.addEventListener('abort', () => waiting.splice(0).forEach((w) => w.giveUp()), { once: true });

  const heartbeat = (): WorkerHeartbeat => ({
    v: 1,
    workerId: id,
    host: HOST,
    pid: process.pid,
    kinds: [...kinds],
    slots,
    busy: inHand.size,
    load: loadavg()[0] ?? 0,
    version: options.version ?? '0.1.0',
    startedAt,
    sentAt: Date.now(),
    state,
  });
  const beat = async () => {
    const hb = heartbeat();
    await bus.publish(bus.subjects.workersHeartbeat(), WorkerHeartbeat, hb);
    await registry.put(id, hb);
  };
  await beat();
  const beatTimer = setInterval(
    () => void beat().catch((err: unknown) => log.warn({ err }, 'heartbeat failed')),
    options.heartbeatMs ?? 5_000,
  );

  // Whether a run has stopped, so items of a stopped run are dropped unrun. A run's record (its states, one entry
  // per subtask; the plan is stored apart) is read once before the run's first item; later items go by the last
  // answer, refreshed in the background when it is older than RUN_CHECK_MS, so no read sits between a freed slot
  // and the next item. A cancel broadcast marks the run stopped at once.
  const stopped = new Set<string>();
  const checks = new Map<
    string,
    { at: number; answered: boolean; reading?: Promise<{ stopped: boolean; status?: string }> }
  >();
  const readStopped = (runId: string): Promise<{ stopped: boolean; status?: string }> => {
    const check = checks.get(runId) ?? { at: 0, answered: false };
    checks.set(runId, check);
    check.at = Date.now();
    const reading = runs
      .get(runId)
      .then(
        (run) => {
          if (!run || !isFinalStatus(run.value.status)) return { stopped: false };
          stopped.add(runId);
          checks.delete(runId);
          // An item started on the earlier answer stops as a cancel broadcast would stop it.
          for (const h of inHand.values())
            if (h.item.runId === runId) h.running.cancel(`the run is ${run.value.status}`);
          return { stopped: true, status: run.value.status };
        },
        (err: unknown) => {
          log.warn({ err, runId }, 'could not read the run; working on its items anyway');
          return { stopped: false };
        },
      )
      .finally(() => {
        check.answered = true;
        if (check.reading === reading) delete check.reading;
      });
    check.reading = reading;
    return reading;
  };
  /** True / false when known without waiting for a read; undefined when no read of this run has answered yet. */
  const knownStopped = (runId: string): boolean | undefined => {
    if (stopped.has(runId)) return true;
    const check = checks.get(runId);
    if (check === undefined || !check.answered) return undefined;
    if (check.reading === undefined && Date.now() - check.at >= RUN_CHECK_MS) void readStopped(runId);
    return false;
  };
  const cancelSub: Subscription = bus.subscribe(bus.subjects.workCancelAll(), WorkCancel, (msg) => {
    stopped.add(msg.runId);
    for (const h of inHand.values()) if (h.item.runId === msg.runId) h.running.cancel(msg.reason);
  });

  const deps = {
    bus,
    workerId: id,
    workspaces,
    recipes,
    model: options.model,
    log,
    commandTimeoutMs: options.commandTimeoutMs ?? 10 * 60_000,
    editorLimits: options.editorLimits ?? {},
  };
  const ackWaitMs = options.queues?.ackWaitMs ?? 30_000;
  // From receipt until settled, including while it waits for a slot, an item's lease is kept alive.
  const keepAlive = (delivery: Delivery<WorkItem>) =>
    setInterval(
      () => void delivery.working().catch((err: unknown) => log.warn({ err }, 'queue heartbeat failed')),
      Math.max(100, Math.floor(ackWaitMs / 3)),
    );
  const giveBack = (delivery: Delivery<WorkItem>) =>
    delivery
      .nak()
      .catch((err: unknown) =>
        log.warn({ err, seq: delivery.seq }, 'could not return an item; it comes back after its ack wait'),
      );

  const drop = async (delivery: Delivery<WorkItem>, lease: NodeJS.Timeout, status?: string): Promise<void> => {
    log.info(
      { runId: delivery.data.runId, subtaskId: delivery.data.subtask.id, ...(status ? { status } : {}) },
      'the run has stopped: dropping its item',
    );
    clearInterval(lease);
    release();
    await delivery.ack().catch((err: unknown) => log.warn({ err }, 'could not ack a dropped item'));
  };

  // Called with a slot held. Up to runItem it is synchronous unless the run's record must be read, so the item
  // starts in the call that freed the slot.
  const handle = (delivery: Delivery<WorkItem>, lease: NodeJS.Timeout): Promise<void> => {
    const runId = delivery.data.runId;
    // Work of a run that already stopped (cancelled, failed, over budget) is dropped, not run:
    // the coordinator's cancel only reaches items already in hand.
    const known = knownStopped(runId);
    if (known === true) return drop(delivery, lease);
    if (known === false) return work(delivery, lease);
    return (checks.get(runId)?.reading ?? readStopped(runId)).then((check) =>
      check.stopped ? drop(delivery, lease, check.status) : work(delivery, lease),
    );
  };

  const work = async (delivery: Delivery<WorkItem>, lease: NodeJS.Timeout): Promise<void> => {
    const item = delivery.data;
    const key = `${item.runId}/${item.subtask.id}/${item.attempt}/${delivery.seq}`;
    const running = runItem(item, deps);
    inHand.set(key, { item, running, delivery });
    // The slot is free once the Result is out; the worktree is removed meanwhile (awaited when the worker stops).
    const cleanup = running.cleanup;
    cleanups.add(cleanup);
    void cleanup.finally(() => cleanups.delete(cleanup));
    let released = false;
    try {
      const result = await running.result;
      if (state === 'stopped') return; // returned to the queue by the drain
      // The work is done: the slot goes to the next item (already in hand, see consume) while this Result is published.
      released = true;
      release();
      await results.publish(Result.parse(await offloadLargeDiff(bus, result)), {
        subject: bus.subjects.results(item.runId),
        msgId: `${item.runId}.${item.subtask.id}.${item.attempt}`,
      });
      await delivery.ack();
      log.info(
        { runId: item.runId, subtaskId: item.subtask.id, attempt: item.attempt, ok: result.ok, stop: result.stop },
        'item done',
      );
    } catch (err) {
      log.error(
        { err, runId: item.runId, subtaskId: item.subtask.id },
        'could not publish a result: returning the item',
      );
      await delivery
        .nak(1000)
        .catch((nakErr: unknown) =>
          log.warn({ err: nakErr }, 'could not return the item; it comes back after its ack wait'),
        );
    } finally {
      clearInterval(lease);
      inHand.delete(key);
      if (!released) release();
    }
  };

  const workQueues = await Promise.all(kinds.map((kind) => bus.workQueue(queues.work(kind))));
  const loops = workQueues.map(async (queue) => {
    // One item more than the slots is taken from each queue (consume never has more unsettled), so the next item is
    // in hand the moment a slot frees; waiting for a slot it is kept alive with working(), like the items that run.
    for await (const delivery of queue.consume({ maxInFlight: slots + 1, signal: abort.signal })) {
      const lease = keepAlive(delivery);
      const track = (task: Promise<void>) => {
        tasks.add(task);
        void task.finally(() => tasks.delete(task));
      };
      whenSlotFree(
        () => track(handle(delivery, lease)),
        () => {
          clearInterval(lease);
          track(giveBack(delivery));
        },
      );
    }
  });
  log.info({ kinds, slots }, 'worker started');

  return {
    id,
    busy: () => inHand.size,
    stop: async () => {
      if (state !== 'running') return;
      state = 'draining';
      abort.abort();
      await beat().catch((err: unknown) => log.warn({ err }, 'heartbeat failed'));
      await Promise.all(loops);
      const grace = options.graceMs ?? 30_000;
      // Waits for whole handlers, so results are published and acked before the bus goes away.
      const all = Promise.all([...tasks]);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        all.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        log.warn({ items: inHand.size }, 'grace period over: returning the items in hand to the queue');
        state = 'stopped';
        await Promise.all(
          [...inHand.values()].map(async (h) => {
            h.running.cancel('worker shutting down');
            await giveBack(h.delivery);
          }),
        );
        await Promise.all([...tasks]);
      }
      state = 'stopped';
      clearInterval(beatTimer);
      await cancelSub.unsubscribe();
      await registry.delete(id);
      await recipes.destroy();
      await Promise.all([...cleanups]);
      await workspaces.close();
      log.info('worker stopped');
    },
  };
}
