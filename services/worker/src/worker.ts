import { hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Delivery, Kv } from '@baton/bus';
import { Result, WorkerHeartbeat, queuesFor, resourceNamesFor, type WorkItem } from '@baton/protocol';
import { compileWorkerOptions, type WorkerOptions } from './compile-worker-options.js';
import { offloadLargeDiff } from './large-diff.js';
import { lazyRecipePool } from './lazy-recipe-pool.js';
import { runItem, type RunningItem } from './run-item.js';
import { watchRunStops } from './run-stop-watch.js';
import { startSlotPool, type Slot } from './slot-pool.js';
import { WorktreeEnvironments } from './environment/worktree-environments.js';
import { Workspaces } from './workspace/workspaces.js';

/** This machine's name, for heartbeats. */
const HOST = hostname();

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
 * Starts a worker: pulls editor / tester / shell items from the work queues with N slots, runs
 * each in a scratch worktree, heartbeats the queue while busy, publishes the Result and only then
 * acks. Registers itself in KV and on `workers.heartbeat` every few seconds.
 */
export async function startWorker(raw: WorkerOptions): Promise<Worker> {
  const options = compileWorkerOptions(raw);
  const { bus, kinds, slots, workerId: id } = options;
  const log = options.logger.child({ workerId: id });
  const queues = queuesFor(bus.subjects.prefix, options.queues);
  const names = resourceNamesFor(bus.subjects.prefix);
  const workspaces = await Workspaces.open({
    workerId: id,
    log,
    snapshots: (bucket) => bus.objectStore(bucket),
    ...(options.baseDir ? { baseDir: options.baseDir } : {}),
  });
  const recipes = lazyRecipePool(options.recipeThreads);
  const results = await bus.workQueue(queues.results());
  const registry: Kv<WorkerHeartbeat> = await bus.kv(names.workersBucket, WorkerHeartbeat);
  const inHand = new Map<string, InHand>();
  const cleanups = new Set<Promise<void>>();
  const startedAt = Date.now();
  let state: WorkerHeartbeat['state'] = 'running';

  const heartbeat = (): WorkerHeartbeat => ({
    v: 1,
    workerId: id,
    host: HOST,
    pid: process.pid,
    kinds: [...kinds],
    slots,
    busy: inHand.size,
    load: loadavg()[0] ?? 0,
    version: options.version,
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
    options.heartbeatMs,
  );

  // Items of a stopped run (cancelled, failed, over budget) are dropped unrun, and its items in hand are cancelled.
  const runStops = await watchRunStops({
    bus,
    log,
    onStop: (runId, reason) => {
      for (const h of inHand.values()) if (h.item.runId === runId) h.running.cancel(reason);
    },
  });

  const environments = new WorktreeEnvironments({
    dir: join(workspaces.dir, 'environments'),
    log,
    ...(options.environmentIsolation ? { isolation: options.environmentIsolation } : {}),
  });
  const deps = {
    bus,
    workerId: id,
    workspaces,
    environments,
    recipes,
    model: options.model,
    log,
    commandTimeoutMs: options.commandTimeoutMs,
    editorLimits: options.editorLimits,
  };

  const drop = async (delivery: Delivery<WorkItem>, slot: Slot, reason: string): Promise<void> => {
    log.info(
      { runId: delivery.data.runId, subtaskId: delivery.data.subtask.id, reason },
      'the run has stopped: dropping its item',
    );
    slot.release();
    await delivery.ack().catch((err: unknown) => log.warn({ err }, 'could not ack a dropped item'));
  };

  const work = async (delivery: Delivery<WorkItem>, slot: Slot): Promise<void> => {
    const item = delivery.data;
    const key = `${item.runId}/${item.subtask.id}/${item.attempt}/${delivery.seq}`;
    const running = runItem(item, deps);
    inHand.set(key, { item, running, delivery });
    // The slot is free once the Result is out; the worktree is removed meanwhile (awaited when the worker stops).
    const cleanup = running.cleanup;
    cleanups.add(cleanup);
    void cleanup.finally(() => cleanups.delete(cleanup));
    try {
      const result = await running.result;
      if (state === 'stopped') return; // returned to the queue by the drain
      // The work is done: the slot goes to the next item (already in hand, see the slot pool) while this Result is published.
      slot.release();
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
      inHand.delete(key);
    }
  };

  const pool = startSlotPool({
    slots,
    queues: await Promise.all(kinds.map((kind) => bus.workQueue(queues.work(kind)))),
    ackWaitMs: options.queues.ackWaitMs,
    log,
    // Up to runItem this is synchronous unless the run's first read has not answered, so the item starts in the
    // call that freed the slot.
    run: (delivery, slot) => {
      const stop = runStops.check(delivery.data.runId);
      if (stop instanceof Promise)
        return stop.then((s) => (s.stopped ? drop(delivery, slot, s.reason) : work(delivery, slot)));
      return stop.stopped ? drop(delivery, slot, stop.reason) : work(delivery, slot);
    },
  });
  log.info({ kinds, slots }, 'worker started');

  return {
    id,
    busy: () => inHand.size,
    stop: async () => {
      if (state !== 'running') return;
      state = 'draining';
      const closing = pool.close();
      await beat().catch((err: unknown) => log.warn({ err }, 'heartbeat failed'));
      await closing;
      const grace = options.graceMs;
      // Waits for whole handlers, so results are published and acked before the bus goes away.
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        pool.settled().then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        log.warn({ items: inHand.size }, 'grace period over: returning the items in hand to the queue');
        state = 'stopped';
        await Promise.all(
          [...inHand.values()].map(async (h) => {
            h.running.cancel('worker shutting down');
            await pool.giveBack(h.delivery);
          }),
        );
        await pool.settled();
      }
      state = 'stopped';
      clearInterval(beatTimer);
      await runStops.close();
      await registry.delete(id);
      await recipes.destroy();
      await Promise.all([...cleanups]);
      await workspaces.close();
      log.info('worker stopped');
    },
  };
}
