/**
 * The real planner + coordinator + worker on given buses (as `baton run` and test/e2e/embedded-run.test.ts start
 * them), for bench/run.bench.ts. The worker's bus is wrapped so that every Result it publishes is also recorded
 * here (the benchmark reads the worker's own startedAt..finishedAt without competing for the results queue), and the
 * coordinator's so that the size of every work item it publishes is.
 */
import type { Bus, WorkQueue, WorkQueueDef } from '@baton/bus';
import { startCoordinator, type Coordinator, type CoordinatorOptions } from '@baton/coordinator';
import { startPlanner, type Planner } from '@baton/planner';
import { queuesFor, type Result } from '@baton/protocol';
import { startWorker, type Worker } from '@baton/worker';

/** One bus per component (separate connections, as separate processes would have). */
export interface StackBuses {
  planner: Bus;
  coordinator: Bus;
  worker: Bus;
}

/** A running stack. */
export interface OrchestrationStack {
  coordinator: Coordinator;
  /** Every Result the worker published, in order. */
  results: Result[];
  /** JSON size of every work item the coordinator published, in order. */
  itemBytes: number[];
  stop(): Promise<void>;
}

/** `bus` with every message published to the queues `record` accepts handed to `record` first. */
function recording(bus: Bus, record: (queue: string, message: unknown) => boolean): Bus {
  const workQueue = async <T>(definition: WorkQueueDef<T>): Promise<WorkQueue<T>> => {
    const queue = await bus.workQueue(definition);
    if (!record(definition.name, undefined)) return queue;
    return {
      name: queue.name,
      publish: (message, options) => {
        record(definition.name, message);
        return queue.publish(message, options);
      },
      consume: (options) => queue.consume(options),
      size: () => queue.size(),
    };
  };
  return new Proxy(bus, {
    get: (target, key) => {
      if (key === 'workQueue') return workQueue;
      const value: unknown = Reflect.get(target, key, target);
      // Bound to the real bus: its methods may use private fields, which a proxy as `this` cannot reach.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Starts planner, coordinator and one worker with `slots` slots and scratch folders under `baseDir`. */
export async function startOrchestrationStack(
  buses: StackBuses,
  slots: number,
  baseDir: string,
  coordinatorOptions: Partial<CoordinatorOptions> = {},
): Promise<OrchestrationStack> {
  const results: Result[] = [];
  const itemBytes: number[] = [];
  const names = queuesFor(buses.worker.subjects.prefix);
  const resultsQueue = names.results().name;
  const workQueues = new Set((['editor', 'tester', 'shell'] as const).map((kind) => names.work(kind).name));
  const planner: Planner = startPlanner({ bus: buses.planner });
  const coordinator = await startCoordinator({
    ...coordinatorOptions,
    bus: recording(buses.coordinator, (queue, message) => {
      if (message !== undefined) itemBytes.push(JSON.stringify(message).length);
      return workQueues.has(queue);
    }),
  });
  const worker: Worker = await startWorker({
    bus: recording(buses.worker, (queue, message) => {
      if (message !== undefined) results.push(message as Result);
      return queue === resultsQueue;
    }),
    slots,
    baseDir,
  });
  return {
    coordinator,
    results,
    itemBytes,
    stop: async () => {
      await worker.stop();
      await coordinator.stop();
      await planner.stop();
    },
  };
}
