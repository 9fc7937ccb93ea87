import { join } from 'node:path';
import { createMemoryBroker, type Bus } from '@baton/bus';
import { startCoordinator, type Coordinator } from '@baton/coordinator';
import { createModelClient, type ModelClient } from '@baton/model';
import { startPlanner, type Planner } from '@baton/planner';
import { startScriptedApi, type Script, type ScriptedApi } from '@baton/scripted-api';
import { startWorker, type Worker } from '@baton/worker';

/** Planner, coordinator and one worker on one in-process bus, optionally with a model backed by a scripted Messages API. */
export interface EmbeddedStack {
  coordinator: Coordinator;
  planner: Planner;
  worker: Worker;
  /** A connection of the test's own to the stack's in-process bus (requests, subscriptions, KV watches). */
  bus: Bus;
  /** The scripted Messages API server, when the stack has a model. */
  api?: ScriptedApi;
  model?: ModelClient;
  /** Stops every service, then the scripted server. */
  stop(): Promise<void>;
}

/** Options of startEmbeddedStack. */
export interface EmbeddedStackOptions {
  /** Folder for the worker's scratch worktrees. */
  dir: string;
  /** When given, the planner and the worker get a model client (the real SDK) pointed at a scripted server answering with it. */
  script?: Script;
  slots?: number;
}

/** Starts an embedded Baton stack (the memory bus, as `baton run` embedded does). */
export async function startEmbeddedStack(options: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const api = options.script === undefined ? undefined : await startScriptedApi(options.script);
  const model =
    api === undefined
      ? undefined
      : createModelClient({ baseURL: api.url, model: 'claude-e2e', maxTokens: 4096, maxRetries: 0, timeoutMs: 30_000 });
  const broker = createMemoryBroker();
  const planner = startPlanner({ bus: broker.connect(), ...(model === undefined ? {} : { model }) });
  const coordinator = await startCoordinator({ bus: broker.connect() });
  const worker = await startWorker({
    bus: broker.connect(),
    slots: options.slots ?? 2,
    baseDir: join(options.dir, 'scratch'),
    ...(model === undefined ? {} : { model }),
  });
  const bus = broker.connect();
  return {
    coordinator,
    planner,
    worker,
    bus,
    ...(api === undefined ? {} : { api }),
    ...(model === undefined ? {} : { model }),
    stop: async () => {
      await worker.stop();
      await coordinator.stop();
      await planner.stop();
      await api?.close();
      await bus.close();
    },
  };
}
