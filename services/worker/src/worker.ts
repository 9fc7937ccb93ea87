import { availableParallelism, loadavg } from 'node:os';
import { customAlphabet } from 'nanoid';
import type { Bus, Delivery, Kv, Subscription } from '@baton/bus';
import { silentLogger, type Logger } from '@baton/log';
import type { ModelClient } from '@baton/model';
import { Result, Run, WorkCancel, WorkerHeartbeat, isFinalStatus, queuesFor, resourceNamesFor, type AgentKind, type QueueTuning, type WorkItem } from '@baton/protocol';
import { createRecipePool, type RecipePool } from '@baton/recipes';
import type { EditorLimits } from './agents/editor.machine.js';
import { offloadLargeDiff } from './large-diff.js';
import { HOST, runItem, type RunningItem } from './run-item.js';
import { Workspaces } from './workspace/workspaces.js';

/** How often a worker re-reads a run's record to learn whether it stopped (cancel broadcasts are immediate). */
const RUN_CHECK_MS = 2_000;

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
  const workspaces = await Workspaces.open({ workerId: id, log, snapshots: (bucket) => bus.objectStore(bucket), ...(options.baseDir ? { baseDir: options.baseDir } : {}) });
  const recipes = lazyRecipePool(options.recipeThreads ?? defaultRecipeThreads(slots));
  const results = await bus.workQueue(queues.results());
  const registry: Kv<WorkerHeartbeat> = await bus.kv(names.workersBucket, WorkerHeartbeat);
  const runs = await bus.kv(names.runsBucket, Run);
  const inHand = new Map<string, InHand>();
  const tasks = new Set<Promise<void>>();
  const cleanups = new Set<Promise<void>>();
  const startedAt = Date.now();
  const abort = new AbortController();
  let state: WorkerHeartbeat['state'] = 'running';
  let free = slots;
  const waiting: ((got: boolean) => void)[] = [];
  // Resolves false when the worker starts draining: a loop waiting for a slot must not hold up stop().
  const acquire = (): Promise<boolean> => {
    if (abort.signal.aborted) return Promise.resolve(false);
    if (free > 0) {
      free--;
      return Promise.resolve(true);
    }
    return new Promise<boolean>((r) => waiting.push(r));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next(true);
    else free++;
  };
  abort.signal.addEventListener('abort', () => waiting.splice(0).forEach((r) => r(false)), { once: true });

  const heartbeat = (): WorkerHeartbeat => ({
    v: 1, workerId: id, host: HOST, pid: process.pid, kinds: [...kinds], slots, busy: inHand.size,
    load: loadavg()[0] ?? 0, version: options.version ?? '0.1.0', startedAt, sentAt: Date.now(), state,
  });
  const beat = async () => {
    const hb = heartbeat();
    await bus.publish(bus.subjects.workersHeartbeat(), WorkerHeartbeat, hb);
    await registry.put(id, hb);
  };
  await beat();
  const beatTimer = setInterval(() => void beat().catch((err: unknown) => log.warn({ err }, 'heartbeat failed')), options.heartbeatMs ?? 5_000);

  // Whether a run has stopped, so items of a stopped run are dropped unrun. A run's record holds its whole plan
  // (megabytes for a large run), so it is read at most every RUN_CHECK_MS per run, not for every item; a cancel
  // broadcast marks the run stopped at once.
  const stopped = new Set<string>();
  const checkedAt = new Map<string, number>();
  const runStopped = async (runId: string): Promise<{ stopped: boolean; status?: string }> => {
    if (stopped.has(runId)) return { stopped: true };
    const last = checkedAt.get(runId);
    if (last !== undefined && Date.now() - last < RUN_CHECK_MS) return { stopped: false };
    checkedAt.set(runId, Date.now());
    const run = await runs.get(runId).catch((err: unknown) => {
      log.warn({ err, runId }, 'could not read the run; working on the item anyway');
      return null;
    });
    if (!run || !isFinalStatus(run.value.status)) return { stopped: false };
    stopped.add(runId);
    checkedAt.delete(runId);
    return { stopped: true, status: run.value.status };
  };
  const cancelSub: Subscription = bus.subscribe(bus.subjects.workCancelAll(), WorkCancel, (msg) => {
    stopped.add(msg.runId);
    for (const h of inHand.values()) if (h.item.runId === msg.runId) h.running.cancel(msg.reason);
  });

  const deps = {
    bus, workerId: id, workspaces, recipes, model: options.model, log,
    commandTimeoutMs: options.commandTimeoutMs ?? 10 * 60_000, editorLimits: options.editorLimits ?? {},
  };
  const ackWaitMs = options.queues?.ackWaitMs ?? 30_000;
  // From receipt until settled, including while it waits for a slot, an item's lease is kept alive.
  const keepAlive = (delivery: Delivery<WorkItem>) =>
    setInterval(() => void delivery.working().catch((err: unknown) => log.warn({ err }, 'queue heartbeat failed')), Math.max(100, Math.floor(ackWaitMs / 3)));
  const giveBack = (delivery: Delivery<WorkItem>) =>
    delivery.nak().catch((err: unknown) => log.warn({ err, seq: delivery.seq }, 'could not return an item; it comes back after its ack wait'));

  const handle = async (delivery: Delivery<WorkItem>, lease: NodeJS.Timeout): Promise<void> => {
    const item = delivery.data;
    const key = `${item.runId}/${item.subtask.id}/${item.attempt}/${delivery.seq}`;
    // Work of a run that already stopped (cancelled, failed, over budget) is dropped, not run:
    // the coordinator's cancel only reaches items already in hand.
    const check = await runStopped(item.runId);
    if (check.stopped) {
      log.info({ runId: item.runId, subtaskId: item.subtask.id, ...(check.status ? { status: check.status } : {}) }, 'the run has stopped: dropping its item');
      clearInterval(lease);
      release();
      await delivery.ack().catch((err: unknown) => log.warn({ err }, 'could not ack a dropped item'));
      return;
    }
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
      await results.publish(Result.parse(await offloadLargeDiff(bus, result)), { subject: bus.subjects.results(item.runId), msgId: `${item.runId}.${item.subtask.id}.${item.attempt}` });
      await delivery.ack();
      log.info({ runId: item.runId, subtaskId: item.subtask.id, attempt: item.attempt, ok: result.ok, stop: result.stop }, 'item done');
    } catch (err) {
      log.error({ err, runId: item.runId, subtaskId: item.subtask.id }, 'could not publish a result: returning the item');
      await delivery.nak(1000).catch((nakErr: unknown) => log.warn({ err: nakErr }, 'could not return the item; it comes back after its ack wait'));
    } finally {
      clearInterval(lease);
      inHand.delete(key);
      if (!released) release();
    }
  };

  const workQueues = await Promise.all(kinds.map((kind) => bus.workQueue(queues.work(kind))));
  const loops = workQueues.map(async (queue) => {
    // One item more than the slots is taken from each queue, so the next item is in hand the moment a slot frees
    // (waiting for a slot it is kept alive with working(), like the items that run).
    for await (const delivery of queue.consume({ maxInFlight: slots + 1, signal: abort.signal })) {
      const lease = keepAlive(delivery);
      if (!(await acquire())) {
        clearInterval(lease);
        await giveBack(delivery);
        break;
      }
      const task = handle(delivery, lease);
      tasks.add(task);
      void task.finally(() => tasks.delete(task));
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
      const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace)))]);
      clearTimeout(timer);
      if (timedOut) {
        log.warn({ items: inHand.size }, 'grace period over: returning the items in hand to the queue');
        state = 'stopped';
        await Promise.all([...inHand.values()].map(async (h) => {
          h.running.cancel('worker shutting down');
          await giveBack(h.delivery);
        }));
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
