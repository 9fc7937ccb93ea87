import { createMemoryBroker, type Bus } from '@baton/bus';
import { startCoordinator, type Coordinator } from '@baton/coordinator';
import type { Logger } from '@baton/log';
import { createModelClient, modelConfigFromEnv, ModelConfigError, type ModelClient } from '@baton/model';
import { checkRecipe, startPlanner } from '@baton/planner';
import { startWorker } from '@baton/worker';
import { CliError } from './errors.js';

/** The model client when one is configured (ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL), else undefined: recipe runs need none. */
export function modelFromEnv(logger: Logger): ModelClient | undefined {
  if (!process.env.ANTHROPIC_API_KEY?.trim() && !process.env.ANTHROPIC_BASE_URL?.trim()) return undefined;
  try {
    return createModelClient(modelConfigFromEnv(), { logger });
  } catch (err) {
    if (err instanceof ModelConfigError) throw new CliError(err.message, 2, { cause: err });
    throw err;
  }
}

/** Coordinator, planner and worker slots in this process on the in-process bus: `baton run`'s embedded default. */
export interface Embedded {
  bus: Bus;
  coordinator: Coordinator;
  stop(): Promise<void>;
}

/** Starts the embedded stack. */
export async function startEmbedded(options: { workers: number; logger: Logger }): Promise<Embedded> {
  const model = modelFromEnv(options.logger);
  const broker = createMemoryBroker({ logger: options.logger });
  const planner = startPlanner({ bus: broker.connect(), logger: options.logger, ...(model ? { model } : {}) });
  const coordinator = await startCoordinator({ bus: broker.connect(), logger: options.logger, checkSpec: checkRecipe });
  const worker = await startWorker({
    bus: broker.connect(),
    logger: options.logger,
    slots: options.workers,
    ...(model ? { model } : {}),
  });
  return {
    bus: broker.connect(),
    coordinator,
    stop: async () => {
      await worker.stop();
      await coordinator.stop();
      await planner.stop();
      await broker.close();
    },
  };
}
